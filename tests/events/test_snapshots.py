"""The picture of an event: fetched from the camera's snapshot URI, never beyond a size cap."""

from __future__ import annotations

import logging
import tracemalloc
from datetime import UTC, datetime

import pytest

from cameras.models import Device
from events import snapshots
from events.models import Snapshot
from simulator.camera import Camera
from tests.cameras.conftest import add_synced

pytestmark = pytest.mark.django_db(transaction=True)
MiB = 1 << 20
HUGE = 50_000_000


def test_a_snapshot_is_a_jpeg_of_the_camera(threaded_fleet: dict[str, Camera]) -> None:
    device = add_synced(threaded_fleet["audio-cam"])
    shot = snapshots.take(device.pk, datetime.now(UTC))
    assert shot is not None
    assert Snapshot.objects.get(pk=shot).jpeg.startswith(b"\xff\xd8")


def test_a_huge_snapshot_is_left_unread_and_the_log_says_why(
    threaded_fleet: dict[str, Camera], caplog: pytest.LogCaptureFixture
) -> None:
    camera = threaded_fleet["audio-cam"]
    device = add_synced(camera)
    camera.quirks.snapshot_bytes = HUGE
    uri = snapshots.snapshot_uri(Device.objects.prefetch_related("profiles").get(pk=device.pk))
    caplog.set_level(logging.INFO, logger="events.snapshots")
    tracemalloc.start()
    try:
        jpeg = snapshots.fetch(device, uri)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * snapshots.MAX_BYTES < HUGE / 2, peak
    assert jpeg is None
    assert f"{device}: the camera's snapshot is larger than 5 MiB: not kept" in caplog.text
    assert snapshots.take(device.pk, datetime.now(UTC)) is None
    assert not Snapshot.objects.exists()
