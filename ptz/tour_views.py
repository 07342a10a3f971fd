"""The preset tours page of a PTZ camera (admins, in its Configure area): the tours with their
live state and an editor for their spots, direction, rounds and duration, within the camera's
tour options. The editor (ptz/static/ptz/tours.js) writes through the API (ptz.tour_api)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from cameras.configure.errors import ConfigError
from cameras.configure.views import render_page
from cameras.models import Device
from frontend.access import requires
from frontend.roles import CONFIGURE_CAMERAS
from ptz import tours
from ptz.tour_api import tours_json


@requires(CONFIGURE_CAMERAS)
def tours_page(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(Device, pk=pk)
    try:
        page = tours.read_tours(device)
    except ConfigError as exc:
        return render_page(request, device, "tours.html", topic="tours", problem=exc.message)
    return render_page(request, device, "tours.html", topic="tours", state=tours_json(page))
