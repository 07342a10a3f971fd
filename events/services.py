"""Queries and actions on stored events, shared by the pages and the API."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from events import live
from events.models import Event

logger = logging.getLogger(__name__)
MAX_ACKNOWLEDGE = 1000  # events acknowledged in one go
MAX_COMMENT = 2000


def search(
    *,
    device_id: int | None = None,
    topic: str = "",
    rule: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[Event]:
    """Events newest first, filtered by camera, topic (or a topic prefix ending in /), the
    analytics rule that raised them, and time."""
    events = Event.objects.select_related("device", "acknowledged_by")
    if device_id is not None:
        events = events.filter(device_id=device_id)
    if topic:
        events = (
            events.filter(topic__startswith=topic)
            if topic.endswith("/")
            else events.filter(topic=topic)
        )
    if rule:
        events = events.filter(rule=rule)
    if since is not None:
        events = events.filter(received__gte=since)
    if until is not None:
        events = events.filter(received__lte=until)
    return events


def unacknowledged_count() -> int:
    """How many alarms nobody has acknowledged yet (of every camera: all roles see all)."""
    return Event.objects.alarms().unacknowledged().count()


def acknowledge(event: Event, user: Any, comment: str) -> Event:
    """Mark an event as seen by `user`, with an optional comment (the first one counts)."""
    acknowledge_many([event.pk], user, comment)
    event.refresh_from_db()
    return event


def acknowledge_many(ids: Iterable[int], user: Any, comment: str) -> list[int]:
    """Mark the events `ids` as seen by `user`, now, with one comment; events acknowledged
    before keep their first acknowledgement. The ids acknowledged now, which every viewer of
    their cameras is told (with the new unacknowledged count) once committed.

    ValueError (its message for people) for more than MAX_ACKNOWLEDGE events."""
    wanted = sorted(set(ids))
    if len(wanted) > MAX_ACKNOWLEDGE:
        raise ValueError(f"Acknowledge at most {MAX_ACKNOWLEDGE} events at once.")
    if not wanted:
        return []
    now, text = timezone.now(), comment.strip()[:MAX_COMMENT]
    with transaction.atomic():
        # Locked, then updated: two operators acknowledging the same event are told apart.
        rows = list(
            Event.objects.select_for_update()
            .filter(pk__in=wanted, acknowledged=None)
            .order_by("pk")
            .values_list("pk", "device_id")
        )
        done = [pk for pk, _ in rows]
        Event.objects.filter(pk__in=done).update(
            acknowledged=now, acknowledged_by=user, comment=text
        )
        if done:
            by_camera: dict[int, list[int]] = {}
            for pk, device_id in rows:
                by_camera.setdefault(device_id, []).append(pk)
            told = {"by": user.get_username(), "at": now.isoformat(), "comment": text}
            transaction.on_commit(lambda: _tell(by_camera, told))
    return done


def _tell(by_camera: dict[int, list[int]], told: dict[str, str]) -> None:
    try:
        live.send_acknowledged_sync(by_camera, told, unacknowledged_count())
    except Exception:  # the channel layer is away: stored anyway, shown on the next load
        logger.warning("could not tell the browsers of acknowledged events", exc_info=True)
