"""What admins do to devices. Views call these; camera I/O happens in Celery tasks."""

from __future__ import annotations

from django.db import transaction

from cameras.models import Device


def request_sync(device: Device) -> None:
    """Mark the device as syncing and enqueue the sync once the transaction commits."""
    from cameras.tasks import sync_device

    Device.objects.filter(pk=device.pk).update(syncing=True, sync_step="Queued")
    device.syncing, device.sync_step = True, "Queued"
    transaction.on_commit(lambda: sync_device.delay(device.pk))


@transaction.atomic
def add_device(
    *,
    host: str,
    port: int,
    username: str,
    password: str,
    name: str = "",
    allow_plaintext: bool = False,
) -> Device:
    device = Device(
        host=host, port=port, username=username, name=name, allow_plaintext=allow_plaintext
    )
    device.password = password
    device.save()
    request_sync(device)
    return device


@transaction.atomic
def update_credentials(
    device: Device, *, username: str, password: str | None, allow_plaintext: bool
) -> None:
    """New credentials end "needs credentials": the device is synced again."""
    device.username = username
    if password:
        device.password = password
    device.allow_plaintext = allow_plaintext
    device.status = Device.Status.PENDING
    device.save(update_fields=["username", "password_encrypted", "allow_plaintext", "status"])
    request_sync(device)


def live_tiles(limit: int = 16) -> list[tuple[Device, str]]:
    """Cameras to show on the live page with the profile to play: the smallest H.264 one."""
    tiles = []
    for device in Device.objects.prefetch_related("profiles")[:limit]:
        playable = [p for p in device.profiles.all() if p.stream_uri and p.encoding == "H264"]
        if playable:
            smallest = min(playable, key=lambda p: ((p.width or 0) * (p.height or 0), p.position))
            tiles.append((device, smallest.token))
    return tiles
