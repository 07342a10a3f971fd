"""A camera that goes away is shown offline, and online again when it is back."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from cameras.health import poll_devices
from cameras.models import Device
from cameras.sync import sync_device
from simulator.camera import Camera
from tests import processes
from tests.cameras.conftest import ThreadedFleet, add_synced

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_stopped_camera_goes_offline_and_comes_back_online() -> None:
    fleet = ThreadedFleet()
    with fleet as cameras:
        camera = cameras["ptz-dome"]
        device = add_synced(camera)
        other = add_synced(cameras["audio-cam"])
        server = fleet.simulator.server(camera)
        fleet.run(server.stop())
        assert poll_devices(timeout=1.0) == {"online": 1, "offline": 1}
        device.refresh_from_db()
        assert device.status == Device.Status.OFFLINE
        assert "Cannot connect" in device.last_error
        other.refresh_from_db()
        assert other.status == Device.Status.ONLINE
        fleet.run(server.start())
        assert poll_devices(timeout=1.0) == {"online": 2, "offline": 0}
        device.refresh_from_db()
        assert device.status == Device.Status.ONLINE
        assert device.last_error == ""
        assert device.syncing  # a resync was requested: the camera may have changed


def test_a_camera_that_wants_credentials_for_its_clock_stays_online(
    threaded_fleet: dict[str, Camera],
) -> None:
    camera = threaded_fleet["bullet-analytics"]
    camera.quirks.auth_clock = True  # the poll's anonymous GetSystemDateAndTime gets a 401
    device = add_synced(camera)
    assert poll_devices(timeout=1.0) == {"online": 1, "offline": 0}
    device.refresh_from_db()
    assert device.status == Device.Status.ONLINE, device.last_error
    assert device.last_seen is not None


def test_devices_that_need_credentials_are_left_alone(threaded_fleet: dict[str, Camera]) -> None:
    camera = threaded_fleet["bullet-analytics"]
    device = Device(host=camera.host, port=camera.port, username="admin")
    device.password = "wrong"
    device.save()
    sync_device(device, final_attempt=True)
    before = camera.runtime.requests
    poll_devices(timeout=1.0)
    assert camera.runtime.requests == before
    device.refresh_from_db()
    assert device.status == Device.Status.NEEDS_CREDENTIALS


def test_beat_and_a_worker_notice_a_camera_leave_and_come_back_within_30_s(
    celery_worker: Any, tmp_path: Path
) -> None:
    fleet = ThreadedFleet()
    with fleet as cameras, processes.celery_beat(tmp_path):
        camera = cameras["audio-cam"]
        device = add_synced(camera)
        server = fleet.simulator.server(camera)
        fleet.run(server.stop())
        assert wait_for_status(device, Device.Status.OFFLINE, within=30) < 30
        fleet.run(server.start())
        assert wait_for_status(device, Device.Status.ONLINE, within=30) < 30


def wait_for_status(device: Device, status: str, within: float) -> float:
    started = time.monotonic()
    while True:
        device.refresh_from_db()
        elapsed = time.monotonic() - started
        if device.status == status:
            return elapsed
        assert elapsed < within, f"still {device.status} after {within} s: {device.last_error}"
        time.sleep(0.5)
