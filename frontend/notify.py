"""Push JSON payloads to the browsers of one user or of everyone, from sync or async code."""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

BROADCAST_GROUP = "broadcast"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


async def notify_group(group: str, payload: dict[str, Any]) -> None:
    layer = get_channel_layer()
    assert layer is not None, "CHANNEL_LAYERS is not configured"
    await layer.group_send(group, {"type": "notify", "payload": payload})


def notify_user(user_id: int, payload: dict[str, Any]) -> None:
    async_to_sync(notify_group)(user_group(user_id), payload)


def notify_everyone(payload: dict[str, Any]) -> None:
    async_to_sync(notify_group)(BROADCAST_GROUP, payload)
