"""The PTZ audit log page (the commands themselves go over the PTZ socket, ptz.consumers)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from frontend.access import requires
from frontend.roles import CONFIGURE_CAMERAS
from ptz.models import PtzAction


@requires(CONFIGURE_CAMERAS)
def audit_log(request: HttpRequest) -> HttpResponse:
    actions = PtzAction.objects.all()
    camera = request.GET.get("camera", "").strip()
    if camera:
        actions = actions.filter(camera__icontains=camera)
    page = Paginator(actions, 100).get_page(request.GET.get("page"))
    return render(request, "ptz/audit.html", {"nav": "devices", "page": page, "camera": camera})
