"""The MJPEG fallback: the camera's snapshots as multipart JPEG over HTTP."""

from __future__ import annotations

import tracemalloc
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.test import AsyncClient

from cameras.models import Device
from cameras.onvif import OnvifClient
from cameras.sync import read_device, store_snapshot
from simulator.camera import Camera
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def stored(camera: Camera, snapshot: Any) -> Device:
    device = Device(host=camera.host, port=camera.port, username="admin", status="online")
    device.password = "admin"
    device.save()
    store_snapshot(device, snapshot)
    return device


async def test_it_streams_the_cameras_snapshots(fleet: dict[str, Camera]) -> None:
    camera = fleet["audio-cam"]
    async with OnvifClient(camera.host, camera.port, "admin", "admin") as onvif:
        device = await stored(camera, await read_device(onvif))
    client = AsyncClient()
    await client.aforce_login(await database_sync_to_async(UserFactory)(role="viewer"))
    response = await client.get(f"/devices/{device.pk}/mjpeg/")
    assert response["Content-Type"] == "multipart/x-mixed-replace; boundary=vmsframe"
    parts = response.streaming_content
    first = await anext(parts)
    second = await anext(parts)
    for part in (first, second):
        assert part.startswith(b"--vmsframe\r\nContent-Type: image/jpeg\r\n")
        assert b"\r\n\r\n\xff\xd8" in part  # a JPEG follows the part headers
    await parts.aclose()


async def test_a_camera_without_snapshots_is_a_clear_404(fleet: dict[str, Camera]) -> None:
    device = await database_sync_to_async(Device.objects.create)(
        host="192.0.2.9", port=80, username="a"
    )
    client = AsyncClient()
    await client.aforce_login(await database_sync_to_async(UserFactory)(role="viewer"))
    response = await client.get(f"/devices/{device.pk}/mjpeg/")
    assert response.status_code == 404


TOO_LARGE = (
    "The camera's snapshots are larger than 5 MiB, so they are not shown: lower the "
    "resolution or quality of its snapshots on the camera."
)


async def viewer_client() -> AsyncClient:
    client = AsyncClient()
    await client.aforce_login(await database_sync_to_async(UserFactory)(role="viewer"))
    return client


async def test_a_huge_first_snapshot_is_refused_in_words_and_never_held(
    fleet: dict[str, Camera],
) -> None:
    camera = fleet["audio-cam"]
    async with OnvifClient(camera.host, camera.port, "admin", "admin") as onvif:
        device = await stored(camera, await read_device(onvif))
    camera.quirks.snapshot_bytes = 50_000_000
    client = await viewer_client()
    tracemalloc.start()
    try:
        response = await client.get(f"/devices/{device.pk}/mjpeg/")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024, peak
    assert response.status_code == 502
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == TOO_LARGE


async def test_a_snapshot_that_grows_too_large_ends_the_stream_with_the_reason(
    fleet: dict[str, Camera],
) -> None:
    camera = fleet["audio-cam"]
    async with OnvifClient(camera.host, camera.port, "admin", "admin") as onvif:
        device = await stored(camera, await read_device(onvif))
    client = await viewer_client()
    response = await client.get(f"/devices/{device.pk}/mjpeg/")
    parts = response.streaming_content
    assert b"Content-Type: image/jpeg" in await anext(parts)
    camera.quirks.snapshot_bytes = 50_000_000
    last = b""
    async for part in parts:
        assert len(part) < 1024 * 1024  # never the huge picture
        last = part
    assert (
        last
        == (
            f"--vmsframe\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{TOO_LARGE}\r\n"
            "--vmsframe--\r\n"
        ).encode()
    )
