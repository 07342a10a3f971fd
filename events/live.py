"""Push events, acknowledgements and subscription states to the browsers allowed to see a camera.

The events socket (events.consumers) joins the groups `groups_for(user)` names: today every
role that may watch live video sees every camera, so they share one group and a batch of
events from many cameras is one channel message per browser; a per-camera permission would
add `events.camera.<id>` groups here, and `send_events` sends to those too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from frontend.roles import VIEW_LIVE

ALL_CAMERAS = "events.all"


def groups_for(user: Any) -> list[str] | None:
    """The channel groups of the cameras whose events `user` may see; None for no events."""
    if not user.is_authenticated or not user.has_perm(VIEW_LIVE):
        return None
    return [ALL_CAMERAS]


def _layer() -> Any:
    layer = get_channel_layer()
    assert layer is not None, "CHANNEL_LAYERS is not configured"
    return layer


async def send_events(by_camera: Mapping[int, list[Any]]) -> None:
    """Send the events of several cameras (camera id -> payloads) as one message."""
    batch = [event for events in by_camera.values() for event in events]
    if batch:
        await _layer().group_send(ALL_CAMERAS, {"type": "events.batch", "events": batch})


async def send_subscription(device_id: int, state: dict[str, Any]) -> None:
    await _layer().group_send(ALL_CAMERAS, {"type": "events.subscription", "state": state})


async def send_acknowledged(
    by_camera: Mapping[int, list[int]], told: Mapping[str, str], unacknowledged: int
) -> None:
    """Tell the viewers of the cameras which of their events were acknowledged (camera id ->
    event ids), `told` who did it, when and with what comment, and how many alarms are still
    unacknowledged."""
    ids = [pk for pks in by_camera.values() for pk in pks]
    if ids:
        message = {"events": ids, **told, "unacknowledged": unacknowledged}
        await _layer().group_send(
            ALL_CAMERAS, {"type": "events.acknowledged", "acknowledged": message}
        )


def send_events_sync(by_camera: Mapping[int, list[Any]]) -> None:
    async_to_sync(send_events)(by_camera)


def send_acknowledged_sync(
    by_camera: Mapping[int, list[int]], told: Mapping[str, str], unacknowledged: int
) -> None:
    async_to_sync(send_acknowledged)(by_camera, told, unacknowledged)
