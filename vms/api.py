"""The JSON API: one NinjaAPI, session authentication (CSRF-checked), routers from the apps."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern
from ninja import NinjaAPI
from ninja.security import django_auth

from analytics.api import router as analytics_router
from cameras.api import router as devices_router
from cameras.configure.api import refused
from cameras.configure.api import router as configure_router
from cameras.configure.errors import ConfigError
from cameras.configure.imaging_api import router as imaging_router
from cameras.configure.overlay_api import router as overlay_router
from cameras.io_api import router as io_router
from events.api import router as events_router
from ptz.tour_api import router as tour_router

api = NinjaAPI(title="VMS API", version="1", auth=django_auth, urls_namespace="api")
api.add_router("/", devices_router)
api.add_router("/", events_router)
api.add_router("/", configure_router)
api.add_router("/", overlay_router)
api.add_router("/", imaging_router)
api.add_router("/", io_router)
api.add_router("/", tour_router)
api.add_router("/", analytics_router)
api.add_exception_handler(ConfigError, refused)  # type: ignore[arg-type]

API = "api"  # access declaration: session auth checked by the API itself (401 as JSON)


def urls() -> tuple[list[Any], str, str]:
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            if pattern.name in ("openapi-json", "openapi-view", "api-root"):
                pattern.callback.access = "login"  # type: ignore[attr-defined]
            else:
                pattern.callback.login_required = False  # type: ignore[attr-defined]
                pattern.callback.access = API  # type: ignore[attr-defined]
    return patterns, app_name, namespace
