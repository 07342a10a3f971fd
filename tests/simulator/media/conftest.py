"""Fixtures: the media test camera (cameras.yaml) with its RTSP server on a free loopback port,
and an aiohttp site carrying the snapshot and RTSP-over-HTTP handlers the way the web port will."""

from __future__ import annotations

from pathlib import Path

import pytest_asyncio
from aiohttp import web

from simulator import config
from simulator.media import CameraMedia

CAMERAS = Path(__file__).with_name("cameras.yaml")


def make_camera():
    camera = config.load(CAMERAS, base_port=0)[0]
    camera.rtsp_port = 0
    return camera


async def started(**kwargs) -> CameraMedia:
    media = CameraMedia(make_camera(), **kwargs)
    await media.start()
    return media


@pytest_asyncio.fixture
async def media():
    """Digest authentication on (admin/admin, operator/operator, user/user)."""
    m = await started()
    yield m
    await m.stop()


@pytest_asyncio.fixture
async def open_media():
    """No authentication."""
    m = await started(auth=False)
    yield m
    await m.stop()


async def web_site(m: CameraMedia) -> web.AppRunner:
    app = web.Application()
    app.router.add_get("/snapshot/{token}", m.snapshot_handler)
    app.router.add_route("*", "/rtsp-over-http/{token}", m.tunnel_handler)
    runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    m.camera.port = runner.addresses[-1][1]
    return runner


@pytest_asyncio.fixture
async def web_port(media):
    runner = await web_site(media)
    yield media.camera.port
    await runner.cleanup()


@pytest_asyncio.fixture
async def open_web_port(open_media):
    runner = await web_site(open_media)
    yield open_media.camera.port
    await runner.cleanup()
