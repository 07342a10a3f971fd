"""The events socket (/ws/events/): events and subscription states of the visible cameras."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from events.live import groups_for


class EventConsumer(AsyncJsonWebsocketConsumer):
    groups: list[str] = []

    async def connect(self) -> None:
        groups = await database_sync_to_async(groups_for)(self.scope["user"])
        if groups is None:
            await self.close(code=4403)
            return
        self.groups = groups
        for group in self.groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        await self.send_json({"type": "error", "message": "This socket only sends."})

    async def events_batch(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "events", "events": event["events"]})

    async def events_subscription(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "subscription", "state": event["state"]})
