"""Celery tasks of the events app (queue `events`): snapshots and retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from events import snapshots
from events.models import Event, Snapshot


@shared_task(name="events.take_snapshots", soft_time_limit=25, time_limit=30, expires=30)
def take_snapshots(device_ids: list[int], received_ts: float) -> int:
    """Fetch a JPEG from each camera and attach it to the events that arrived around then."""
    received = datetime.fromtimestamp(received_ts, UTC)
    return sum(snapshots.take(pk, received) is not None for pk in device_ids)


@shared_task(name="events.purge_events", soft_time_limit=300, time_limit=330)
def purge_events() -> int:
    """Delete events (and their snapshots) older than VMS_EVENTS_RETENTION_DAYS."""
    cutoff = timezone.now() - timedelta(days=settings.VMS_EVENTS_RETENTION_DAYS)
    deleted, _ = Event.objects.filter(received__lt=cutoff).delete()
    Snapshot.objects.filter(taken__lt=cutoff).delete()
    return deleted
