"""The imaging page of a camera (admins): the live picture of a video source with a control
for each setting the camera offers. Without JavaScript the form posts every value; with it
(cameras/static/cameras/imaging.js) each change goes to the API at once, debounced."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from cameras.configure import imaging
from cameras.configure.errors import ConfigError
from cameras.configure.imaging_api import imaging_json
from cameras.configure.views import render_page
from cameras.models import Device
from cameras.onvif.config_types import Range
from frontend.access import requires
from frontend.roles import CONFIGURE_CAMERAS


def _posted(page: imaging.ImagingPage, data: Any) -> dict[str, float | str]:
    """The values of the form that differ from the camera's."""
    changes: dict[str, float | str] = {}
    for key, option in page.options.items():
        raw = data.get(key)
        if raw is None or raw == "":
            continue
        value: float | str = _number(raw, key) if isinstance(option, Range) else str(raw)
        if value != page.settings.get(key):
            changes[key] = value
    return changes


def _number(raw: str, key: str) -> float:
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{key}: {raw!r} is not a number.", 400, {key: "not a number"}) from None


@requires(CONFIGURE_CAMERAS)
def imaging_page(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(Device, pk=pk)
    source = request.GET.get("source") or None
    try:
        page = imaging.read_imaging(device, source)
        if request.method == "POST":
            if request.POST.get("move"):
                value = _number(request.POST.get("value", ""), "value")
                imaging.focus_move(
                    device, request.user, page.source, request.POST["move"], value, None
                )
                messages.success(request, "Focus move sent.")
            elif request.POST.get("preset"):
                imaging.set_preset(device, request.user, page.source, request.POST["preset"])
                messages.success(request, "Imaging preset applied.")
            elif changes := _posted(page, request.POST):
                imaging.set_imaging(device, request.user, page.source, changes)
                messages.success(request, "Imaging settings saved.")
            return redirect(f"{request.path}?source={page.source}")
    except ConfigError as exc:
        if request.method == "POST":
            messages.error(request, exc.message)
            return redirect(request.get_full_path())
        return render_page(request, device, "imaging.html", topic="imaging", problem=exc.message)
    return render_page(
        request,
        device,
        "imaging.html",
        topic="imaging",
        page=page,
        state=imaging_json(page),
        ice_servers=settings.VMS_ICE_SERVERS,
    )
