"""Queries and actions on stored events, shared by the pages and the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from events.models import Event


def search(
    *,
    device_id: int | None = None,
    topic: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[Event]:
    """Events newest first, filtered by camera, topic (or a topic prefix ending in /) and time."""
    events = Event.objects.select_related("device", "acknowledged_by")
    if device_id is not None:
        events = events.filter(device_id=device_id)
    if topic:
        events = (
            events.filter(topic__startswith=topic)
            if topic.endswith("/")
            else events.filter(topic=topic)
        )
    if since is not None:
        events = events.filter(received__gte=since)
    if until is not None:
        events = events.filter(received__lte=until)
    return events


def acknowledge(event: Event, user: Any, comment: str) -> Event:
    """Mark an event as seen by `user`, with an optional comment (the first one counts)."""
    updated = Event.objects.filter(pk=event.pk, acknowledged=None).update(
        acknowledged=timezone.now(), acknowledged_by=user, comment=comment.strip()[:2000]
    )
    if updated:
        event.refresh_from_db()
    return event
