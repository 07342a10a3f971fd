"""ASGI entry point: Django for HTTP, Channels for WebSockets (same origin, login required)."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vms.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from vms.routing import websocket_urlpatterns  # noqa: E402
from vms.websocket import LoginRequiredMiddleware, OriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": OriginValidator(
            AuthMiddlewareStack(LoginRequiredMiddleware(URLRouter(websocket_urlpatterns)))
        ),
    }
)
