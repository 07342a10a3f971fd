"""The inputs and outputs page of a camera: everyone who watches live video sees the relays
and inputs with their last reported state (updated live, cameras/static/cameras/io.js);
operators switch relays; admins set relay modes and input idle states."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cameras import io
from cameras.configure.errors import ConfigError
from cameras.models import Device
from cameras.onvif.deviceio import RelayOutput
from frontend.access import requires
from frontend.roles import CONFIGURE_CAMERAS, SWITCH_OUTPUTS, VIEW_LIVE


def _act(request: HttpRequest, device: Device) -> None:
    post, user = request.POST, request.user
    action, token = post.get("action", ""), post.get("token", "")
    if action in ("activate", "deactivate"):
        if not user.has_perm(SWITCH_OUTPUTS):
            raise ConfigError("Your role does not allow switching relays.", 403)
        io.switch_relay(device, user, token, action == "activate")
        messages.success(request, f"{token} {action}d: its state shows when the camera reports it.")
        return
    if not user.has_perm(CONFIGURE_CAMERAS):
        raise ConfigError("Your role does not allow changing the camera's settings.", 403)
    if action == "relay":
        try:
            delay = float(post.get("delay") or 0) or None
        except ValueError:
            raise ConfigError("The delay must be a number of seconds.", 400) from None
        relay = RelayOutput(
            token, request.POST.get("mode", ""), delay, request.POST.get("idle", "")
        )
        io.set_relay(device, user, relay)
        messages.success(request, f"{token} settings saved.")
    elif action == "output":
        io.rename_video_output_configuration(device, user, token, post.get("name", ""))
        messages.success(request, f"{token} configuration renamed.")
    elif action == "input":
        io.set_input_idle_state(device, user, token, post.get("idle", ""))
        messages.success(request, f"{token} idle state saved.")
    else:
        raise ConfigError(f"Unknown action {action!r}: nothing was changed.")


@requires(VIEW_LIVE)
def io_page(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(Device, pk=pk)
    if request.method == "POST":
        try:
            _act(request, device)
        except ConfigError as exc:
            messages.error(request, exc.message)
        return redirect("device_io", pk=device.pk)
    page, problem = None, ""
    try:
        page = io.read_io(device)
    except ConfigError as exc:
        problem = exc.message
    context = {"nav": "devices", "device": device, "page": page, "problem": problem}
    return render(request, "cameras/io.html", context)
