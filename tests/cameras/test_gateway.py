"""The gateway process with a real viewer socket: what reaches viewers, Redis, the device page
and the log when a stream fails, where credentials go, and how refusals are said."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis
from aiortc import RTCPeerConnection
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connection
from django.test import Client

from cameras.gateway import OFFER_REFUSED
from cameras.media.rtsp_auth import PLAINTEXT_REFUSED
from cameras.models import Device, MediaProfile
from cameras.streams import ALIVE, STATS, read_stats, stream_key
from simulator.camera import Camera
from tests import processes
from tests.cameras.conftest import add_synced
from tests.factories import UserFactory
from vms.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)
SECRET = "Wr0ngSecret"


@asynccontextmanager
async def logged_gateway(gateway_id: str, log: Path) -> AsyncIterator[None]:
    """A gateway process whose log (every line, DEBUG up) goes to `log`."""
    client = aioredis.Redis.from_url(settings.REDIS_URL)
    for key in [k async for k in client.scan_iter(match=ALIVE + "*")]:
        await client.delete(key)  # leftovers of killed test gateways must not get the stream
    env = processes.child_env(
        VMS_WEBRTC_HOST_ADDRESSES="127.0.0.1", VMS_GATEWAY_IDLE_SECONDS="3", VMS_LOG_LEVEL="DEBUG"
    )
    argv = [sys.executable, "manage.py", "gateway", "--id", gateway_id]
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, cwd=processes.ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 30
        while not await client.exists(ALIVE + gateway_id):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            await asyncio.sleep(0.1)
        yield
    finally:
        await asyncio.to_thread(processes.stop, process)
        await client.delete(ALIVE + gateway_id)
        await client.aclose()


def added(camera: Camera) -> Device:
    """`camera` added and synced (from a thread of its own: the simulator runs on this loop)."""
    try:
        return add_synced(camera)
    finally:
        connection.close()


@database_sync_to_async
def played_profile(device: Device) -> MediaProfile:
    """The profile a tile plays: the first with a stream and a video encoding."""
    return device.profiles.exclude(stream_uri="").exclude(encoding="").order_by("position").first()


@database_sync_to_async
def cookie() -> bytes:
    client = Client()
    client.force_login(UserFactory(role="viewer"))
    return f"sessionid={client.cookies['sessionid'].value}".encode()


@database_sync_to_async
def device_page(device: Device) -> str:
    client = Client()
    client.force_login(UserFactory(role="viewer"))
    return client.get(f"/devices/{device.pk}/").content.decode()


async def viewer() -> WebsocketCommunicator:
    headers = [
        (b"origin", b"http://127.0.0.1"),
        (b"host", b"127.0.0.1"),
        (b"cookie", await cookie()),
    ]
    communicator = WebsocketCommunicator(application, "/ws/stream/", headers=headers)
    assert (await communicator.connect(timeout=5))[0]
    return communicator


async def offer(communicator: WebsocketCommunicator, device: Device, sdp: str = "") -> None:
    """What the player sends: an offer for the camera's video (a real one unless `sdp`)."""
    if not sdp:
        browser = RTCPeerConnection()
        browser.addTransceiver("video", direction="recvonly")
        await browser.setLocalDescription(await browser.createOffer())
        sdp = browser.localDescription.sdp
        await browser.close()
    await communicator.send_json_to({"type": "offer", "device": device.pk, "sdp": sdp})


async def receive_until(
    communicator: WebsocketCommunicator, done: Callable[[dict[str, Any]], bool], seconds: float
) -> list[dict[str, Any]]:
    """The messages the viewer receives until one is `done`."""
    messages: list[dict[str, Any]] = []
    deadline = time.monotonic() + seconds
    while not messages or not done(messages[-1]):
        left = deadline - time.monotonic()
        assert left > 0, f"nothing of the kind within {seconds} s: {messages}"
        try:
            messages.append(await communicator.receive_json_from(timeout=left))
        except TimeoutError:
            continue
    return messages


async def figures(key: str, ready: Callable[[dict[str, Any]], bool], seconds: float = 20) -> Any:
    """The gateway's figures for `key` in Redis once `ready`."""
    deadline = time.monotonic() + seconds
    while not ready(fields := (await asyncio.to_thread(read_stats)).get(key, {})):
        assert time.monotonic() < deadline, fields
        await asyncio.sleep(0.3)
    return fields


@database_sync_to_async
def update_device(device: Device, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(device, name, value)
    device.save()


async def test_a_failing_stream_shows_no_password_to_viewers_redis_the_page_or_the_log(
    fleet: dict[str, Camera], tmp_path: Path
) -> None:
    camera = fleet["audio-cam"]
    device = await asyncio.to_thread(added, camera)
    await update_device(device, password=SECRET)  # the camera refuses it
    key = stream_key(device.pk, (await played_profile(device)).token)
    log = tmp_path / "gateway.log"
    async with logged_gateway("gw-secret", log):
        communicator = await viewer()
        await offer(communicator, device)
        messages = await receive_until(
            communicator, lambda m: m["type"] == "state" and bool(m["error"]), 30
        )
        await figures(key, lambda f: bool(f.get("last_error")))
        client = aioredis.Redis.from_url(settings.REDIS_URL)
        raw = (await client.get(STATS + "gw-secret") or b"").decode()
        await client.aclose()
        page = await device_page(device)
        await communicator.disconnect()
    said = (
        "The camera refused the username or password for its stream (RTSP 401): check "
        "the device's credentials."
    )
    assert messages[-1]["error"] == said
    assert said in raw and said.replace("'", "&#x27;") in page
    logged = log.read_text()
    assert "reconnecting" in logged  # the failure is in the log, in words
    for text in (json.dumps(messages), raw, page, logged):
        assert SECRET not in text


async def test_credentials_go_only_to_the_host_the_admin_entered(
    fleet: dict[str, Camera], tmp_path: Path
) -> None:
    camera = fleet["audio-cam"]
    device = await asyncio.to_thread(added, camera)
    # The camera now names another machine in its stream URIs, and the VMS holds them as
    # the camera gave them: that machine listens and asks for a password in clear.
    camera.quirks.advertised_host = "127.0.0.2"
    profile = await played_profile(device)
    advertised = f"rtsp://127.0.0.2:{camera.rtsp_port}/{profile.token}"
    await database_sync_to_async(MediaProfile.objects.filter(device=device).update)(
        stream_uri=advertised
    )
    received: list[bytes] = []

    async def other_machine(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while data := await reader.read(65536):
            received.append(data)
            writer.write(b'RTSP/1.0 401 Unauthorized\r\nCSeq: 1\r\nWWW-Authenticate: Basic '
                         b'realm="other"\r\n\r\n')  # fmt: skip
        writer.close()

    trap = await asyncio.start_server(other_machine, "127.0.0.2", camera.rtsp_port)
    try:
        async with logged_gateway("gw-host", tmp_path / "gateway.log"):
            communicator = await viewer()
            await offer(communicator, device)
            key = stream_key(device.pk, profile.token)
            live = await figures(key, lambda f: bool(received) or f.get("packets", 0) > 10)
            await communicator.disconnect()
    finally:
        trap.close()
    assert received == []  # not a byte, let alone the password
    assert live["state"] == "live"  # the stream plays, from the camera the admin added


async def test_a_basic_only_camera_is_refused_in_words_until_plain_text_is_allowed(
    fleet: dict[str, Camera], tmp_path: Path
) -> None:
    camera = fleet["audio-cam"]
    camera.quirks.rtsp_basic_only = True
    device = await asyncio.to_thread(added, camera)
    key = stream_key(device.pk, (await played_profile(device)).token)
    async with logged_gateway("gw-basic", tmp_path / "gateway.log"):
        communicator = await viewer()
        await offer(communicator, device)
        messages = await receive_until(communicator, lambda m: m["type"] == "error", 20)
        assert messages[-1]["message"] == PLAINTEXT_REFUSED
        assert not camera.runtime.server.media.sessions  # nothing was set up: no password sent
        refused = await figures(key, lambda f: f.get("last_error") == PLAINTEXT_REFUSED, 6)
        assert refused["state"] == "stopped"  # the device page says why, too
        await update_device(device, allow_plaintext=True)
        await offer(communicator, device)
        await figures(key, lambda f: f.get("state") == "live" and f.get("packets", 0) > 10)
        await communicator.disconnect()


async def test_a_malformed_offer_is_refused_in_words_without_internals(
    fleet: dict[str, Camera], tmp_path: Path
) -> None:
    device = await asyncio.to_thread(added, fleet["audio-cam"])
    log = tmp_path / "gateway.log"
    async with logged_gateway("gw-offer", log):
        communicator = await viewer()
        await offer(communicator, device, sdp="v=0")
        messages = await receive_until(communicator, lambda m: m["type"] == "error", 20)
        await communicator.disconnect()
    assert messages[-1] == {"type": "error", "message": OFFER_REFUSED, "fallback": False}
    assert "offer refused" in log.read_text()  # the details stay in the gateway's log
