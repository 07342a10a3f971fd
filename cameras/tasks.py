"""Celery tasks of the cameras app: thin, idempotent, on the `onvif` queue."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task

from cameras import health
from cameras.models import Device
from cameras.sync import TransientSyncError
from cameras.sync import sync_device as run_sync

SYNC_RETRIES = 3


@shared_task(
    name="cameras.sync_device",
    bind=True,
    autoretry_for=(TransientSyncError,),
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=SYNC_RETRIES,
    soft_time_limit=90,
    time_limit=120,
)
def sync_device(self: Task, device_id: int) -> None:
    device = Device.objects.filter(pk=device_id).first()
    if device is None:
        return
    run_sync(device, final_attempt=self.request.retries >= SYNC_RETRIES)


@shared_task(name="cameras.poll_devices", soft_time_limit=20, time_limit=30)
def poll_devices() -> dict[str, Any]:
    return health.poll_devices()


@shared_task(name="cameras.discover", soft_time_limit=30, time_limit=40)
def discover(scan_id: str, targets: list[list[Any]], multicast: bool) -> int:
    from cameras.discovery import run_scan

    return run_scan(scan_id, [(str(h), int(p)) for h, p in targets], multicast=multicast)
