"""Pages of the dashboard shell: live, devices, events, settings, and the health endpoint."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from frontend.access import login_only, public, requires
from frontend.health import system_health
from frontend.roles import VIEW_LIVE

login = public(
    auth_views.LoginView.as_view(
        template_name="frontend/login.html", redirect_authenticated_user=True
    )
)
logout = login_only(auth_views.LogoutView.as_view())
password_change = login_only(
    auth_views.PasswordChangeView.as_view(
        template_name="frontend/password_change.html", success_url="/settings/?password=changed"
    )
)


@requires(VIEW_LIVE)
def live(request: HttpRequest) -> HttpResponse:
    from cameras.services import live_tiles

    context = {"nav": "live", "tiles": live_tiles(), "ice_servers": settings.VMS_ICE_SERVERS}
    return render(request, "frontend/live.html", context)


@requires(VIEW_LIVE)
def events(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/events.html", {"nav": "events"})


@login_only
def account(request: HttpRequest) -> HttpResponse:
    changed = request.GET.get("password") == "changed"
    return render(request, "frontend/settings.html", {"nav": "settings", "changed": changed})


@login_only
def status(request: HttpRequest) -> HttpResponse:
    """The service status strip, refreshed by htmx."""
    return render(request, "frontend/_status.html", {"checks": system_health()})


def _has_token(request: HttpRequest) -> bool:
    token = settings.VMS_HEALTHZ_TOKEN
    header = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(header, f"Bearer {token}")


@public
def healthz(request: HttpRequest) -> HttpResponse:
    """JSON health of database, Redis and Celery; for signed-in users or a bearer token."""
    if not (request.user.is_authenticated or _has_token(request)):
        return JsonResponse(
            {"error": "Sign in, or send 'Authorization: Bearer <VMS_HEALTHZ_TOKEN>'."}, status=401
        )
    checks = system_health()
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", "checks": checks},
        status=200 if healthy else 503,
    )
