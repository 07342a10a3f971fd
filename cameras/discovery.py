"""Discovery scans: run by a Celery task, results kept in the cache for the page to poll."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from django.core.cache import cache

from cameras.models import Device
from cameras.onvif.discovery import probe

RESULT_SECONDS = 600


def _key(scan_id: str) -> str:
    return f"discovery:{scan_id}"


def start_scan(targets: list[tuple[str, int]], *, multicast: bool) -> str:
    from cameras.tasks import discover

    scan_id = uuid.uuid4().hex
    cache.set(_key(scan_id), {"state": "running", "devices": []}, RESULT_SECONDS)
    discover.delay(scan_id, [[host, port] for host, port in targets], multicast)
    return scan_id


def run_scan(
    scan_id: str, targets: list[tuple[str, int]], *, multicast: bool, timeout: float = 2.0
) -> int:
    found = asyncio.run(
        probe([(h, int(p)) for h, p in targets], timeout=timeout, multicast=multicast)
    )
    devices = [
        {
            "name": d.name,
            "hardware": d.hardware,
            "location": d.location,
            "host": d.host,
            "port": d.port,
            "xaddr": d.xaddrs[0],
            "endpoint": d.endpoint,
        }
        for d in found
    ]
    cache.set(_key(scan_id), {"state": "done", "devices": devices}, RESULT_SECONDS)
    return len(devices)


def scan_results(scan_id: str) -> dict[str, Any] | None:
    """The scan's state and devices, each marked with the Device it already is (if added)."""
    result = cache.get(_key(scan_id))
    if result is None:
        return None
    added = {(d.host, d.port): d for d in Device.objects.all()}
    for device in result["devices"]:
        device["added"] = added.get((device["host"], device["port"]))
    return dict(result)
