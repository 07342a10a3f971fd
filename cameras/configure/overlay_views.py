"""The privacy mask and OSD editor of a camera (admins): the live picture of one video source
configuration with its masks and OSDs drawn over it. The page carries the camera's state
and options; the editor (cameras/static/cameras/overlays.js) changes them through the API."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from cameras.configure import overlays
from cameras.configure.errors import ConfigError
from cameras.configure.overlay_api import overlays_json
from cameras.configure.views import render_page
from cameras.models import Device
from frontend.access import requires
from frontend.roles import CONFIGURE_CAMERAS


@requires(CONFIGURE_CAMERAS)
def overlays_page(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(Device, pk=pk)
    try:
        page = overlays.read_overlays(device, request.GET.get("source") or None)
    except ConfigError as exc:
        return render_page(request, device, "overlays.html", topic="overlays", problem=exc.message)
    return render_page(
        request,
        device,
        "overlays.html",
        topic="overlays",
        page=page,
        state=overlays_json(page),
        ice_servers=settings.VMS_ICE_SERVERS,
    )
