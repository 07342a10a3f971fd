"""The per-user notification socket: later features push device status and alarms here."""

from __future__ import annotations

from typing import Any

from frontend.notify import BROADCAST_GROUP, user_group
from vms.websocket import JsonConsumer

HANDLED = ("ping",)


class NotificationConsumer(JsonConsumer):
    groups: list[str] = []

    async def connect(self) -> None:
        user = self.scope["user"]
        self.groups = [user_group(user.pk), BROADCAST_GROUP]
        for group in self.groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self.send_error(
                'Messages must be JSON objects with a "type", e.g. {"type": "ping"}.'
            )
            return
        if content["type"] == "ping":
            await self.send_json({"type": "pong", "id": content.get("id")})
            return
        known = ", ".join(HANDLED)
        await self.send_error(f"Unknown message type {content['type']!r}; known types: {known}.")

    async def notify(self, event: dict[str, Any]) -> None:
        """Channel-layer handler: forward a payload sent with frontend.notify."""
        await self.send_json(event["payload"])
