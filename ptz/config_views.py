"""The PTZ configuration page of a camera (admins, in its Configure area): default speeds and
timeout, pan/tilt/zoom limits, E-Flip and Reverse, from the camera's options; and which PTZ
configuration each media profile holds, with a form to put a compatible one in it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from cameras.configure.errors import ConfigError
from cameras.configure.views import render_page
from cameras.models import Device
from cameras.onvif.ptz_config import PtzConfiguration, Span
from frontend.access import requires
from frontend.roles import CONFIGURE_CAMERAS
from ptz import configuration


def _number(data: Any, key: str, errors: dict[str, str]) -> float | None:
    raw = (data.get(key) or "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        errors[key] = f"{raw!r} is not a number."
        return None


def _span(data: Any, key: str, errors: dict[str, str]) -> Span | None:
    low, high = _number(data, f"{key}_min", errors), _number(data, f"{key}_max", errors)
    return (low, high) if low is not None and high is not None else None


def posted(config: PtzConfiguration, data: Any) -> PtzConfiguration:
    errors: dict[str, str] = {}
    changed = replace(
        config,
        name=(data.get("name") or "").strip(),
        timeout=_number(data, "timeout", errors),
        pan_tilt_speed=_number(data, "pan_tilt_speed", errors),
        zoom_speed=_number(data, "zoom_speed", errors),
        pan_limits=_span(data, "pan", errors),
        tilt_limits=_span(data, "tilt", errors),
        zoom_limits=_span(data, "zoom", errors),
        eflip=data.get("eflip") or config.eflip,
        reverse=data.get("reverse") or config.reverse,
    )
    if errors:
        raise ConfigError(" ".join(errors.values()), 400, errors)
    return changed


def _act(request: HttpRequest, device: Device) -> str:
    """Do what the form posted asks; the success message."""
    if request.POST.get("action") == "attach":
        profile = request.POST.get("profile", "")
        token = request.POST.get("configuration", "")
        configuration.attach_ptz_configuration(device, request.user, profile, token)
        return f"PTZ configuration {token} put in profile {profile}."
    page = configuration.read_ptz_configurations(device, profiles=False)
    token = request.POST.get("token", "")
    held = next((c for c in page.configurations if c.token == token), None)
    if held is None:
        raise ConfigError(f"The camera has no PTZ configuration {token!r}.", 404)
    configuration.set_ptz_configuration(device, request.user, posted(held, request.POST))
    return f"PTZ configuration {held.name} saved to the camera."


def _show(request: HttpRequest, device: Device, status: int = 200) -> HttpResponse:
    try:
        page = configuration.read_ptz_configurations(device)
    except ConfigError as exc:
        response = render_page(request, device, "ptz.html", topic="ptz", problem=exc.message)
    else:
        response = render_page(request, device, "ptz.html", topic="ptz", page=page)
    response.status_code = status
    return response


@requires(CONFIGURE_CAMERAS)
def ptz_page(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows the configurations and the profiles; POST saves a configuration or, with
    action=attach, puts one in a profile. A refusal is a flash error on the page, answered
    with its status (400 a value the camera does not take, 404, 409, 502)."""
    device = get_object_or_404(Device, pk=pk)
    if request.method != "POST":
        return _show(request, device)
    try:
        done = _act(request, device)
    except ConfigError as exc:
        messages.error(request, exc.message)
        return _show(request, device, exc.status)
    messages.success(request, done)
    return redirect("configure_ptz", pk=device.pk)
