"""Pages of the dashboard shell: live, devices, events, settings, and the health endpoint."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from frontend.access import login_only, monitoring_allowed, public, requires
from frontend.health import system_health
from frontend.roles import VIEW_LIVE

logout = login_only(auth_views.LogoutView.as_view())
password_change = login_only(
    auth_views.PasswordChangeView.as_view(
        template_name="frontend/password_change.html", success_url="/settings/?password=changed"
    )
)


@requires(VIEW_LIVE)
def live(request: HttpRequest) -> HttpResponse:
    """The grid of cameras: the user's working layout, the named view in ?view=, or the one
    camera in ?camera= alone (not saved; a message instead if it cannot be shown)."""
    from frontend.layouts import services as layouts

    known = layouts.cameras()
    views = layouts.visible_views(request.user)
    single, notice = None, ""
    if "camera" in request.GET:
        single, notice = layouts.single_camera(request.user, request.GET["camera"], known)
    shown = single or next((v for v in views if str(v.pk) == request.GET.get("view")), None)
    view = shown or layouts.working_layout(request.user, known)
    view.grid, view.cells = layouts.normalise(view.grid, view.cells, known)
    cells = layouts.layout_cells(view, known)
    context = {
        "nav": "live",
        "view": view,
        "single": known[view.cells[0]] if single is not None and view.cells[0] else None,
        "notice": notice,
        "views": views,
        "cells": cells,
        "cameras": list(known.values()),
        "grids": layouts.GRIDS,
        "ice_servers": settings.VMS_ICE_SERVERS,
        "ptz_controls": _ptz_controls(request, [c.camera for c in cells if c.camera], known),
        "streams": {c.key: {"main": c.main, "sub": c.sub} for c in known.values()},
    }
    return render(request, "frontend/live.html", context)


def _ptz_controls(
    request: HttpRequest, shown: list[Any], known: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """PTZ and focus controls per live entry key: on the entries of the video source they
    belong to (the device's first entry if that source has none); the entries of the camera's
    other sensors get the focus of their own lens, where it can be moved."""
    from ptz.services import controls_for, lens_only

    controls = controls_for(request.user, {c.device_id for c in shown})
    sources = {(c.device_id, c.source) for c in known.values()}
    found = {}
    for camera in shown:
        control = controls.get(camera.device_id)
        if control is None:
            continue
        source, lenses = control.get("source", ""), control.get("lenses", {})
        first = camera.key == str(camera.device_id)
        mine = camera.source == source or (first and (camera.device_id, source) not in sources)
        if mine and (control["ptz"] or control["focus"]):
            found[camera.key] = control
        elif camera.source in lenses:
            found[camera.key] = lens_only(camera.source) | {"focus": lenses[camera.source]}
    return found


@login_only
def account(request: HttpRequest) -> HttpResponse:
    changed = request.GET.get("password") == "changed"
    return render(request, "frontend/settings.html", {"nav": "settings", "changed": changed})


@login_only
def status(request: HttpRequest) -> HttpResponse:
    """The service status strip, refreshed by htmx."""
    return render(request, "frontend/_status.html", {"checks": system_health()})


@public
def healthz(request: HttpRequest) -> HttpResponse:
    """JSON health of database, Redis and Celery; for signed-in users or a bearer token."""
    if not monitoring_allowed(request):
        return JsonResponse(
            {"error": "Sign in, or send 'Authorization: Bearer <VMS_MONITORING_TOKEN>'."},
            status=401,
        )
    checks = system_health()
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", "checks": checks},
        status=200 if healthy else 503,
    )
