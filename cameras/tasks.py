"""Celery tasks of the cameras app: thin, idempotent, on the `onvif` queue."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery import Task, shared_task

from cameras import health
from cameras.models import Device
from cameras.sync import TransientSyncError
from cameras.sync import end_stale_syncs as end_syncs_older_than
from cameras.sync import sync_device as run_sync

SYNC_RETRIES = 3
SYNC_TIME_LIMIT = 120  # seconds; the soft limit, 30 s earlier, ends the sync with a message
# A sync attempt older than this has no worker left: its hard time limit would have ended it.
STALE_SYNC = timedelta(seconds=SYNC_TIME_LIMIT + 30)


class SyncTask(Task):
    """A worker process that dies mid-sync (killed, out of memory) does not lose the sync:
    the message is acknowledged only at the end, and a lost worker counts as one of the
    retries, so a camera that kills workers cannot loop. A sync is safe to run twice. When
    the whole worker dies, the beat's end_stale_syncs ends the sync instead."""

    acks_late = True
    retry_on_worker_lost = True
    reject_on_worker_lost = True  # only if the retry cannot be sent
    default_retry_delay = 2  # the retry after a lost worker


@shared_task(
    name="cameras.sync_device",
    bind=True,
    base=SyncTask,
    autoretry_for=(TransientSyncError,),
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=SYNC_RETRIES,
    soft_time_limit=SYNC_TIME_LIMIT - 30,
    time_limit=SYNC_TIME_LIMIT,
)
def sync_device(self: Task, device_id: int) -> None:
    device = Device.objects.filter(pk=device_id).first()
    if device is None:
        return
    run_sync(device, final_attempt=self.request.retries >= SYNC_RETRIES)


@shared_task(name="cameras.end_stale_syncs", soft_time_limit=20, time_limit=30)
def end_stale_syncs() -> int:
    """Beat: end the syncs whose whole worker died (a killed pool process is retried)."""
    return end_syncs_older_than(STALE_SYNC)


@shared_task(name="cameras.poll_devices", soft_time_limit=20, time_limit=30)
def poll_devices() -> dict[str, Any]:
    return health.poll_devices()


@shared_task(name="cameras.discover", soft_time_limit=30, time_limit=40)
def discover(scan_id: str, targets: list[list[Any]], multicast: bool) -> int:
    from cameras.discovery import run_scan

    return run_scan(scan_id, [(str(h), int(p)) for h, p in targets], multicast=multicast)
