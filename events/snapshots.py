"""The picture that goes with an event: one JPEG from the camera's snapshot URI."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import httpx

from cameras.models import Device
from events.models import Event, Snapshot

logger = logging.getLogger(__name__)
TIMEOUT = 5.0
WINDOW = timedelta(seconds=1)  # events this close to the snapshot share it
MAX_BYTES = 5 * 1024 * 1024


def snapshot_uri(device: Device) -> str:
    profile = next((p for p in device.profiles.all() if p.snapshot_uri), None)
    return profile.snapshot_uri if profile is not None else ""


def fetch(device: Device, uri: str) -> bytes | None:
    auth = httpx.DigestAuth(device.username, device.password) if device.username else None
    try:
        response = httpx.get(uri, auth=auth, timeout=TIMEOUT, follow_redirects=False)
    except httpx.HTTPError as exc:
        logger.info("%s: snapshot failed: %s", device, exc)
        return None
    content = response.content
    if (
        response.status_code != 200
        or not content.startswith(b"\xff\xd8")
        or len(content) > MAX_BYTES
    ):
        logger.info("%s: snapshot answer HTTP %s is not a JPEG", device, response.status_code)
        return None
    return content


def take(device_id: int, received: datetime) -> int | None:
    device = Device.objects.filter(pk=device_id).prefetch_related("profiles").first()
    if device is None:
        return None
    uri = snapshot_uri(device)
    jpeg = fetch(device, uri) if uri else None
    if jpeg is None:
        return None
    shot = Snapshot.objects.create(device=device, taken=received, jpeg=jpeg)
    Event.objects.filter(
        device=device,
        snapshot=None,
        received__gte=received - timedelta(milliseconds=100),
        received__lt=received + WINDOW,
    ).update(snapshot=shot)
    return shot.pk
