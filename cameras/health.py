"""Reachability of the added cameras, polled by Celery beat.

One unauthenticated GetSystemDateAndTime per camera, all cameras at once with a short
deadline (a camera that refuses it without credentials has answered: it is there); only
status changes write to the database (plus one bulk `last_seen` update). A camera that
comes back is resynced, since it may have rebooted with other settings.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cameras.models import Device
from cameras.onvif import AuthenticationFailed, OnvifClient, OnvifError
from frontend.notify import notify_everyone

POLL_TIMEOUT = 3.0


@dataclass(frozen=True)
class Probe:
    pk: int
    error: str | None  # None = answered


async def _probe(pk: int, host: str, port: int, timeout: float) -> Probe:
    async with OnvifClient(host, port, "", "", timeout=timeout) as client:
        try:
            await client.call_anonymous("device", "GetSystemDateAndTime")
        except AuthenticationFailed:
            pass  # some cameras want a token even for their clock: a refusal is an answer
        except OnvifError as exc:
            return Probe(pk, exc.message)
    return Probe(pk, None)


async def probe_all(targets: list[tuple[int, str, int]], timeout: float) -> list[Probe]:
    return list(
        await asyncio.gather(*(_probe(pk, host, port, timeout) for pk, host, port in targets))
    )


def poll_devices(timeout: float = POLL_TIMEOUT) -> dict[str, int]:
    watched = [Device.Status.ONLINE, Device.Status.OFFLINE]
    devices = {d.pk: d for d in Device.objects.filter(status__in=watched, syncing=False)}
    if not devices:
        return {"online": 0, "offline": 0}
    targets = [(d.pk, d.host, d.port) for d in devices.values()]
    probes = asyncio.run(probe_all(targets, timeout))
    now = timezone.now()
    answered = [p.pk for p in probes if p.error is None]
    Device.objects.filter(pk__in=answered).update(last_seen=now)
    for probe in probes:
        device = devices[probe.pk]
        if probe.error is None and device.status == Device.Status.OFFLINE:
            _came_back(device)
        elif probe.error is not None and device.status == Device.Status.ONLINE:
            device.record_error(probe.error, Device.Status.OFFLINE)
            _announce(device)
    return {"online": len(answered), "offline": len(probes) - len(answered)}


def _came_back(device: Device) -> None:
    from cameras.services import request_sync

    device.status = Device.Status.ONLINE
    device.last_error = ""
    device.save(update_fields=["status", "last_error"])
    _announce(device)
    request_sync(device)


def _announce(device: Device) -> None:
    payload = {
        "type": "device.status",
        "device": device.pk,
        "status": device.status,
        "label": device.get_status_display(),
        "error": device.last_error,
    }
    transaction.on_commit(lambda: notify_everyone(payload))
