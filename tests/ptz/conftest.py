"""The simulator's PTZ dome, added and synced, for the PTZ tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cameras.models import Device
from cameras.sync import sync_device
from simulator.camera import Camera
from simulator.ptz_motion import Motion
from tests.cameras.conftest import ThreadedFleet


@pytest.fixture
def dome(transactional_db: None) -> Iterator[tuple[Camera, Device]]:
    """The ptz-dome served from a thread, and its Device synced (presets, node, profiles)."""
    with ThreadedFleet() as cameras:
        camera = cameras["ptz-dome"]
        device = Device(host=camera.host, port=camera.port, username="admin")
        device.password = "admin"
        device.save()
        sync_device(device, final_attempt=True)
        device.refresh_from_db()
        assert device.status == Device.Status.ONLINE, device.last_error
        yield camera, device


def motion(camera: Camera) -> Motion:
    """The simulated dome's live pan/tilt/zoom and move state."""
    return camera.runtime.motion["PTZNode_1"]
