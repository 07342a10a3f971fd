"""The virtual cameras of simulator/ as the peers of the VMS's camera tests."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
import pytest_asyncio

from cameras.models import Device
from cameras.onvif import OnvifClient
from cameras.sync import sync_device
from simulator import config
from simulator.camera import Camera
from simulator.server import Simulator


@pytest_asyncio.fixture
async def fleet() -> AsyncIterator[dict[str, Camera]]:
    """The demo set (ptz-dome, bullet-analytics, audio-cam, dual-sensor) on free ports."""
    cameras = config.load(base_port=0)
    simulator = Simulator(cameras)
    await simulator.start()
    try:
        yield {camera.name: camera for camera in cameras}
    finally:
        await simulator.stop()


class ThreadedFleet:
    """The demo set served from a thread of its own, for synchronous code (Celery, views)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.cameras = config.load(base_port=0)
        self.simulator = Simulator(self.cameras)

    def run(self, coroutine: Any, timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def __enter__(self) -> dict[str, Camera]:
        self.thread.start()
        self.run(self.simulator.start())
        return {camera.name: camera for camera in self.cameras}

    def media(self, camera: Camera) -> Any:
        """The camera's RTSP side (simulator.media.CameraMedia)."""
        return self.simulator.server(camera).media

    def __exit__(self, *exc: object) -> None:
        self.run(self.simulator.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


@pytest.fixture
def threaded_fleet() -> Iterator[dict[str, Camera]]:
    with ThreadedFleet() as cameras:
        yield cameras


def add_synced(camera: Camera, name: str = "") -> Device:
    """`camera` added as admin/admin and synced (blocking: call it from a thread in async
    tests); it must come out online."""
    device = Device(host=camera.host, port=camera.port, username="admin")
    if name:
        device.name = name
    device.password = "admin"
    device.save()
    sync_device(device, final_attempt=True)
    device.refresh_from_db()
    assert device.status == Device.Status.ONLINE, device.last_error
    return device


async def connected(camera: Camera) -> OnvifClient:
    """An ONVIF client of the VMS, connected to `camera` as its admin."""
    onvif = OnvifClient(camera.host, camera.port, "admin", "admin")
    await onvif.connect()
    return onvif
