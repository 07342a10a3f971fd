"""The events socket (/ws/events/): events, acknowledgements and subscription states of the
visible cameras. On connecting it sends {"type": "unacknowledged", "count"}; then
{"type": "events", "events"}, {"type": "acknowledged", "events": [ids], "by", "at", "comment",
"unacknowledged"} and {"type": "subscription", "state"}."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async

from events.live import groups_for
from events.services import unacknowledged_count
from vms.websocket import JsonConsumer


class EventConsumer(JsonConsumer):
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
        count = await database_sync_to_async(unacknowledged_count)()
        await self.send_json({"type": "unacknowledged", "count": count})

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        await self.send_json({"type": "error", "message": "This socket only sends."})

    async def events_batch(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "events", "events": event["events"]})

    async def events_acknowledged(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "acknowledged"} | event["acknowledged"])

    async def events_subscription(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "subscription", "state": event["state"]})
