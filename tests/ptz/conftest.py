"""The simulator's PTZ dome (and its bullet camera), added and synced, for the PTZ tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cameras.models import Device
from simulator.camera import Camera
from simulator.ptz_motion import Axis, Motion
from tests.cameras.conftest import ThreadedFleet, add_synced


@pytest.fixture
def dome(transactional_db: None) -> Iterator[tuple[Camera, Device]]:
    """The ptz-dome served from a thread, and its Device synced (presets, node, profiles)."""
    with ThreadedFleet() as cameras:
        camera = cameras["ptz-dome"]
        yield camera, add_synced(camera)


@pytest.fixture
def fleet_devices(transactional_db: None) -> Iterator[dict[str, tuple[Camera, Device]]]:
    """The demo fleet served from a thread; the bullet camera (no PTZ, remote focus) synced,
    and the audio camera synced as a fixed-focus camera (no PTZ, no remote focus)."""
    with ThreadedFleet() as cameras:
        cameras["audio-cam"].video_sources[0].remote_focus = False
        yield {
            name: (cameras[name], add_synced(cameras[name]))
            for name in ("bullet-analytics", "audio-cam")
        }


def motion(camera: Camera) -> Motion:
    """The simulated dome's live pan/tilt/zoom and move state."""
    return camera.runtime.motion["PTZNode_1"]


def focus(camera: Camera, source: str = "VideoSource_1") -> Axis | None:
    """The simulated focus of a video source (None until its focus was first asked about)."""
    axis: Axis | None = camera.runtime.focus.get(source)
    return axis


def focus_position(camera: Camera, source: str = "VideoSource_1") -> float:
    axis = focus(camera, source)
    if axis is not None:
        return axis.position()
    return next(vs.focus_position for vs in camera.video_sources if vs.token == source)


def focusing(camera: Camera, source: str = "VideoSource_1") -> bool:
    axis = focus(camera, source)
    return axis is not None and axis.moving()


@pytest.fixture
def dual(transactional_db: None) -> Iterator[tuple[Camera, Device]]:
    """The dual-sensor camera (no PTZ, a remote focus on each of its two sources), synced."""
    with ThreadedFleet() as cameras:
        camera = cameras["dual-sensor"]
        yield camera, add_synced(camera)
