"""Every WebSocket route of the VMS. Each one requires login (see vms.websocket)."""

from __future__ import annotations

from django.urls import path

from cameras.consumers import StreamConsumer
from events.consumers import EventConsumer
from frontend.consumers import NotificationConsumer
from ptz.consumers import PtzConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi(), name="ws-notifications"),
    path("ws/stream/", StreamConsumer.as_asgi(), name="ws-stream"),
    path("ws/events/", EventConsumer.as_asgi(), name="ws-events"),
    path("ws/ptz/", PtzConsumer.as_asgi(), name="ws-ptz"),
]
