"""Learning a camera's RTSP authentication before FFmpeg gets the password."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from cameras.media.rtsp_auth import (
    PLAINTEXT_REFUSED,
    REDIRECTED,
    Credentials,
    Scheme,
    StreamRefused,
    learn,
    offered,
    split_credentials,
    with_credentials,
)
from simulator import config
from simulator.camera import Camera
from simulator.media import CameraMedia
from simulator.server import Simulator

ADMIN = Credentials("admin", "admin")


@pytest_asyncio.fixture
async def dome() -> AsyncIterator[Camera]:
    camera = next(c for c in config.load(base_port=0) if c.name == "ptz-dome")
    simulator = Simulator([camera])
    await simulator.start()
    yield camera
    await simulator.stop()


def stream(camera: Camera) -> str:
    return f"rtsp://127.0.0.1:{camera.rtsp_port}/Profile_1_main"


async def test_it_learns_that_the_camera_offers_digest(dome: Camera) -> None:
    assert await asyncio.to_thread(learn, stream(dome), ADMIN, 3.0) == Scheme.DIGEST


async def test_a_basic_only_camera_gets_the_password_only_when_plain_text_is_allowed(
    dome: Camera,
) -> None:
    dome.quirks.rtsp_basic_only = True
    with pytest.raises(StreamRefused) as refused:
        await asyncio.to_thread(learn, stream(dome), ADMIN, 3.0)
    assert str(refused.value) == PLAINTEXT_REFUSED
    allowed = Credentials("admin", "admin", allow_plaintext=True)
    assert await asyncio.to_thread(learn, stream(dome), allowed, 3.0) == Scheme.BASIC


async def test_a_camera_that_asks_for_nothing_gets_no_credentials() -> None:
    camera = next(c for c in config.load(base_port=0) if c.name == "ptz-dome")
    media = CameraMedia(camera, auth=False)
    await media.start()
    try:
        assert await asyncio.to_thread(learn, stream(camera), ADMIN, 3.0) == Scheme.NONE
    finally:
        await media.stop()


async def test_a_redirect_elsewhere_is_not_followed_with_the_password() -> None:
    received: list[bytes] = []

    async def redirect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        received.append(await reader.readuntil(b"\r\n\r\n"))
        writer.write(b"RTSP/1.0 302 Found\r\nCSeq: 1\r\nLocation: rtsp://127.0.0.3/x\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(redirect, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        with pytest.raises(StreamRefused, match="RTSP redirect") as refused:
            await asyncio.to_thread(learn, f"rtsp://127.0.0.1:{port}/s", ADMIN, 3.0)
        assert str(refused.value) == REDIRECTED
    finally:
        server.close()
    assert b"Authorization" not in received[0] and b"admin" not in received[0]


def test_it_reads_every_scheme_of_one_or_several_challenges() -> None:
    assert offered(['Basic realm="cam"', 'Digest realm="cam", nonce="n"']) == {"basic", "digest"}
    assert offered(['Basic realm="cam", Digest realm="cam", nonce="n"']) == {"basic", "digest"}
    assert offered(['Digest realm="a, Basic b", nonce="n"']) == {"digest"}
    assert offered(['Basic realm="x"']) == {"basic"}
    assert offered([]) == set()


def test_credentials_leave_the_url_and_come_back_only_for_ffmpeg() -> None:
    url, credentials = split_credentials("rtsp://ad%40min:p%3Ass@[::1]:8554/main?x=1")
    assert url == "rtsp://[::1]:8554/main?x=1"
    assert credentials == Credentials("ad@min", "p:ss")
    assert "p:ss" not in repr(credentials)
    assert with_credentials(url, credentials) == "rtsp://ad%40min:p%3Ass@[::1]:8554/main?x=1"
    assert split_credentials("rtsp://h/main") == ("rtsp://h/main", None)
    assert with_credentials("rtsp://h/main", None) == "rtsp://h/main"
