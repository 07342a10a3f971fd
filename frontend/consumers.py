"""The per-user notification socket: later features push device status and alarms here."""

from __future__ import annotations

import json
from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from frontend.notify import BROADCAST_GROUP, user_group

HANDLED = ("ping",)


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    groups: list[str] = []

    async def connect(self) -> None:
        user = self.scope["user"]
        self.groups = [user_group(user.pk), BROADCAST_GROUP]
        for group in self.groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    @classmethod
    async def decode_json(cls, text_data: str) -> Any:
        try:
            return json.loads(text_data)
        except json.JSONDecodeError:
            return None

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

    async def send_error(self, message: str) -> None:
        await self.send_json({"type": "error", "message": message})

    async def notify(self, event: dict[str, Any]) -> None:
        """Channel-layer handler: forward a payload sent with frontend.notify."""
        await self.send_json(event["payload"])
