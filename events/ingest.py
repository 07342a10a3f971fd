"""Store the events a camera reported, start what they trigger, and say who to tell.

Used by the event runner (pulled messages) and by the push consumer view (Notify); both
then send the payloads to the camera's channel group (events.live).
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import TypedDict

from django.db import transaction

from cameras.models import Device
from cameras.onvif.events import EventMessage, needs_resync
from events.models import Event

logger = logging.getLogger(__name__)
SNAPSHOT_EVERY = 1.0  # seconds: events of the same second share one snapshot
_last_snapshot: dict[int, float] = {}  # device id -> monotonic time of its last one


class EventPayload(TypedDict):
    id: int
    device: int
    device_name: str
    topic: str
    name: str
    rule: str
    state: bool | None
    operation: str
    source: dict[str, str]
    data: dict[str, str]
    camera_time: str | None
    received: str
    received_ts: float


def payload(event: Event, device_name: str) -> EventPayload:
    return {
        "id": event.pk,
        "device": event.device_id,
        "device_name": device_name,
        "topic": event.topic,
        "name": event.name,
        "rule": event.rule,
        "state": event.state,
        "operation": event.operation,
        "source": event.source,
        "data": event.data,
        "camera_time": event.camera_time.isoformat() if event.camera_time else None,
        "received": event.received.isoformat(),
        "received_ts": event.received.timestamp(),
    }


def store(device: Device, messages: list[EventMessage], received: datetime) -> list[EventPayload]:
    """Save `messages` of `device`; resync it on configuration changes; queue a snapshot."""
    return store_batch([(device, messages)], received).get(device.pk, [])


def store_batch(
    batch: list[tuple[Device, list[EventMessage]]], received: datetime
) -> dict[int, list[EventPayload]]:
    """Save the messages of several cameras in one INSERT; the payloads per camera id."""
    rows: list[tuple[Device, Event]] = []
    changed: dict[int, Device] = {}
    for device, messages in batch:
        for m in messages:
            rows.append((device, _event(device, m, received)))
            if needs_resync(m.topic):
                changed[device.pk] = device
    if not rows:
        return {}
    Event.objects.bulk_create([event for _, event in rows])
    for device in changed.values():
        resync(device)
    payloads: dict[int, list[EventPayload]] = {}
    for device, event in rows:
        payloads.setdefault(device.pk, []).append(payload(event, str(device)))
    now = time.monotonic()
    due = [pk for pk in payloads if now - _last_snapshot.get(pk, -SNAPSHOT_EVERY) >= SNAPSHOT_EVERY]
    if due:
        _last_snapshot.update(dict.fromkeys(due, now))
        _queue_snapshots(due, received)
    return payloads


def _event(device: Device, m: EventMessage, received: datetime) -> Event:
    return Event(
        device_id=device.pk,
        topic=m.topic[:255],
        name=m.name[:100],
        source=m.source,
        key=m.key,
        data=m.data,
        rule=m.rule[:100],
        state=m.state,
        operation=m.property_operation[:12],
        camera_time=m.utc_time,
        received=received,
    )


# Publishing a Celery message costs milliseconds: one thread of its own does it, in order, so
# the events are sent to the browsers without waiting for it.
_publisher = ThreadPoolExecutor(1, thread_name_prefix="snapshot-tasks")


def _queue_snapshots(device_ids: list[int], received: datetime) -> None:
    transaction.on_commit(lambda: _publisher.submit(_publish, device_ids, received.timestamp()))


def _publish(device_ids: list[int], received_ts: float) -> None:
    from events.tasks import take_snapshots

    try:
        take_snapshots.delay(device_ids, received_ts)
    except Exception:  # the broker is away: the events are stored, only their snapshot is lost
        logger.warning("could not queue snapshots for cameras %s", device_ids, exc_info=True)


def resync(device: Device) -> None:
    """Read the camera again (its profiles or configurations changed), once at a time."""
    from cameras.services import request_sync

    if Device.objects.filter(pk=device.pk, syncing=False).exists():
        logger.info("%s: configuration changed on the camera; resyncing", device)
        request_sync(device)
