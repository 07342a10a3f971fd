"""The picture that goes with an event: one JPEG from the camera's snapshot URI.

The answer is read in chunks and only up to MAX_BYTES: a camera that sends a far larger
picture (150 MB was seen) costs the worker no more than that, and the log says so.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

import httpx

from cameras.models import Device
from events.models import Event, Snapshot
from vms.logs import redact

logger = logging.getLogger(__name__)
TIMEOUT = 5.0
WINDOW = timedelta(seconds=1)  # events this close to the snapshot share it
MAX_BYTES = 5 * 1024 * 1024
DEADLINE = 10.0  # seconds for the whole answer (TIMEOUT is per read)


class TooLarge(Exception):
    pass


def snapshot_uri(device: Device) -> str:
    profile = next((p for p in device.profiles.all() if p.snapshot_uri), None)
    return profile.snapshot_uri if profile is not None else ""


def fetch(device: Device, uri: str) -> bytes | None:
    """The camera's JPEG, or None (and a log line that says why)."""
    auth = httpx.DigestAuth(device.username, device.password) if device.username else None
    try:
        with httpx.stream(
            "GET", uri, auth=auth, timeout=TIMEOUT, follow_redirects=False
        ) as response:
            if response.status_code != 200:
                logger.info("%s: snapshot answer HTTP %s", device, response.status_code)
                return None
            content = _read(response)
    except TooLarge:
        mib = MAX_BYTES // (1024 * 1024)
        logger.info("%s: the camera's snapshot is larger than %s MiB: not kept", device, mib)
        return None
    except httpx.HTTPError as exc:
        logger.info("%s: snapshot failed: %s", device, redact(str(exc)))
        return None
    if not content.startswith(b"\xff\xd8"):
        logger.info("%s: the camera's snapshot answer is not a JPEG", device)
        return None
    return content


def _read(response: httpx.Response) -> bytes:
    """The body, read chunk by chunk up to MAX_BYTES and DEADLINE."""
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BYTES:
        raise TooLarge
    chunks: list[bytes] = []
    size, deadline = 0, time.monotonic() + DEADLINE
    for chunk in response.iter_bytes(64 * 1024):
        size += len(chunk)
        if size > MAX_BYTES:
            raise TooLarge
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout(f"the answer took more than {DEADLINE:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


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
