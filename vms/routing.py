"""Every WebSocket route of the VMS. Each one requires login (see vms.websocket)."""

from __future__ import annotations

from django.urls import path

from cameras.consumers import StreamConsumer
from frontend.consumers import NotificationConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi(), name="ws-notifications"),
    path("ws/stream/", StreamConsumer.as_asgi(), name="ws-stream"),
]
