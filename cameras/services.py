"""What admins do to devices. Views call these; camera I/O happens in Celery tasks."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from cameras.models import Device, MediaProfile


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


PLAYABLE = ("H264", "H265")  # H.265 is transcoded to H.264 by the gateway


def playable_profiles(profiles: Iterable[MediaProfile]) -> list[MediaProfile]:
    """The profiles a browser can be given: the H.264 ones, or the H.265 ones (transcoded by
    the gateway, at a cost) when the camera has no H.264 stream."""
    streams = [p for p in profiles if p.stream_uri and p.encoding in PLAYABLE]
    return [p for p in streams if p.encoding == "H264"] or streams
