"""Live video through the gateway into Debian's Chromium, from the virtual cameras."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from playwright.sync_api import Page, expect

from cameras.metrics import render as render_metrics
from cameras.models import Device
from cameras.streams import read_stats
from cameras.sync import sync_device
from frontend.roles import Role
from simulator.camera import Camera, SceneObject
from tests import processes
from tests.cameras.conftest import ThreadedFleet
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Reads the simulator's timecode (a row of 48 black/white blocks, top left) from the video.
READ_TIMECODE = (Path(__file__).resolve().parents[2] / "bench" / "timecode.js").read_text()

# The tile's state changes, recorded (a reconnection can pass faster than polling sees).
RECORD_STATES = """() => {
  const tile = document.querySelector("[data-player]");
  window.tileStates = [];
  new MutationObserver(() => window.tileStates.push(tile.dataset.state))
    .observe(tile, { attributes: true, attributeFilter: ["data-state"] });
}"""
RECONNECTED = """() => {
  const states = window.tileStates;
  const i = states.indexOf("reconnecting");
  return i >= 0 && states.slice(i).includes("live");
}"""

FRAMES_DECODED = """async (video) => {
  const pc = video.closest("[data-player]").player?.pc;
  if (!pc) return 0;
  const stats = await pc.getStats();
  let frames = 0;
  stats.forEach((r) => {
    if (r.type === "inbound-rtp" && r.kind === "video") frames = r.framesDecoded;
  });
  return frames;
}"""


def sync_and_close(device: Device) -> None:
    try:
        sync_device(device, final_attempt=True)
    finally:
        connection.close()


@pytest.fixture
def one_camera() -> Iterator[tuple[ThreadedFleet, Camera, Device]]:
    fleet = ThreadedFleet()
    audio_cam = next(c for c in fleet.cameras if c.name == "audio-cam")
    # Someone walking through the picture, for the metadata stream to describe.
    audio_cam.scene.append(SceneObject(object_id=7, start=[-0.6, 0.0], end=[0.6, 0.0], period=5))
    with fleet as cameras:
        camera = cameras["audio-cam"]
        device = Device(host=camera.host, port=camera.port, username="admin")
        device.password = "admin"
        device.save()
        # A thread of its own: Playwright's event loop already runs in this one.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(sync_and_close, device).result(60)
        device.refresh_from_db()
        assert device.status == Device.Status.ONLINE, device.last_error
        yield fleet, camera, device


def sign_in(page: Page, url: str, role: str = Role.VIEWER) -> None:
    """A new user of `role` (named after it) signs in."""
    UserFactory(username=role, role=role)
    page.goto(f"{url}/login/")
    page.get_by_label("Username").fill(role)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def frames_after(video: Any, page: Page, minimum: int, within: float) -> int:
    """Wait until the tile's video has decoded `minimum` frames; return how many it has."""
    deadline = time.monotonic() + within
    while (frames := video.evaluate(FRAMES_DECODED)) < minimum:
        assert time.monotonic() < deadline, f"{frames} frames decoded after {within} s"
        page.wait_for_timeout(200)
    return int(frames)


def test_a_viewer_watches_a_camera_through_the_gateway(
    page: Page, asgi_url: str, one_camera: Any
) -> None:
    with processes.gateway("gw-live"):
        sign_in(page, asgi_url)
        tile = page.get_by_test_id("tile")
        expect(tile).to_have_attribute("data-state", "live", timeout=15_000)
        tile_device = tile.get_attribute("data-device")
        video = tile.locator("video")
        first = frames_after(video, page, 1, within=10)
        later = frames_after(video, page, first + 10, within=5)  # the picture keeps moving
        assert later > first
        shown = video.evaluate(READ_TIMECODE)
        assert shown is not None, "no simulator timecode in the picture"
        latency = time.time() * 1000 - shown
        assert 0 <= latency < 1000, latency
        # The gateway publishes the stream's figures; the device page and /metrics show them.
        page.wait_for_timeout(4500)
        key = f"{tile.get_attribute('data-device')}:{tile.get_attribute('data-profile')}"
        figures = read_stats()[key]
        assert (figures["state"], figures["viewers"], figures["gateway"]) == ("live", 1, "gw-live")
        assert figures["fps"] > 5 and figures["bitrate_kbps"] > 10
        assert f'vms_stream_viewers{{stream="{key}",gateway="gw-live"}} 1' in render_metrics()
        page.goto(f"{asgi_url}/devices/{tile_device}/")
        expect(page.get_by_test_id("streams")).to_contain_text("gw-live")


def test_five_viewers_cause_one_rtsp_session_and_a_restarted_camera_comes_back(
    page: Page, asgi_url: str, one_camera: Any
) -> None:
    fleet, camera, _ = one_camera
    media = fleet.media(camera)
    with processes.gateway("gw-five"):
        sign_in(page, asgi_url)
        pages = [page] + [page.context.new_page() for _ in range(4)]
        for viewer in pages[1:]:
            viewer.goto(f"{asgi_url}/")
        videos = [p.get_by_test_id("tile").locator("video") for p in pages]
        for viewer, video in zip(pages, videos, strict=True):
            frames_after(video, viewer, 1, within=15)
        assert len(media.sessions) == 1
        fleet.run(media.stop())  # the camera's streaming goes away mid-stream...
        expect(page.get_by_test_id("tile")).to_have_attribute(
            "data-state", "reconnecting", timeout=10_000
        )
        before = videos[0].evaluate(FRAMES_DECODED)
        fleet.run(media.start())  # ...and comes back on the same address
        started = time.monotonic()
        frames_after(videos[0], page, before + 5, within=10)
        assert time.monotonic() - started < 10
        for viewer in pages[1:]:
            viewer.close()


def test_when_a_gateway_dies_its_stream_resumes_on_another(
    page: Page, asgi_url: str, one_camera: Any
) -> None:
    import redis
    from django.conf import settings

    from cameras.streams import ASSIGNED, stream_key

    with processes.gateway("gw-a") as gw_a, processes.gateway("gw-b") as gw_b:
        sign_in(page, asgi_url)
        tile = page.get_by_test_id("tile")
        video = tile.locator("video")
        frames_after(video, page, 1, within=15)
        key = stream_key(int(tile.get_attribute("data-device")), tile.get_attribute("data-profile"))
        client = redis.Redis.from_url(settings.REDIS_URL)
        serving = client.hget(ASSIGNED, key).decode()
        other = {"gw-a": "gw-b", "gw-b": "gw-a"}[serving]
        page.evaluate(RECORD_STATES)
        {"gw-a": gw_a, "gw-b": gw_b}[serving].kill()  # no goodbye: its heartbeat just stops
        started = time.monotonic()
        page.wait_for_function(RECONNECTED, timeout=20_000)
        frames_after(video, page, 1, within=15)  # a new peer connection: a new counter
        assert time.monotonic() - started < 20
        assert client.hget(ASSIGNED, key).decode() == other
        client.close()


def test_the_audio_camera_sends_audio_and_metadata_reaches_the_data_channel(
    page: Page, asgi_url: str, one_camera: Any
) -> None:
    with processes.gateway("gw-av"):
        sign_in(page, asgi_url)
        tile = page.get_by_test_id("tile")
        video = tile.locator("video")
        frames_after(video, page, 1, within=15)
        kinds = video.evaluate("v => v.srcObject.getTracks().map(t => t.kind).sort()")
        assert kinds == ["audio", "video"]
        page.wait_for_function(
            "() => document.querySelector('[data-player]').player.lastMetadata !== null",
            timeout=10_000,
        )
        frame = video.evaluate("v => v.closest('[data-player]').player.lastMetadata")
        assert frame["time"]
        assert [obj["id"] for obj in frame["objects"]] == ["7"]
        for obj in frame["objects"]:
            left, top, right, bottom = obj["box"]
            assert -1 <= left <= right <= 1 and -1 <= bottom <= top <= 1


def test_without_a_gateway_the_tile_falls_back_to_mjpeg_and_says_so(
    page: Page, asgi_url: str, one_camera: Any
) -> None:
    sign_in(page, asgi_url)  # no gateway runs
    tile = page.get_by_test_id("tile")
    expect(tile).to_have_attribute("data-state", "fallback", timeout=10_000)
    expect(tile).to_contain_text("Snapshots only (MJPEG): No stream gateway is running")
    image = tile.locator("img.fallback")
    page.wait_for_function(
        "img => img.naturalWidth > 0", arg=image.element_handle(), timeout=10_000
    )


def test_an_operator_talks_through_the_camera_and_stops(
    page: Page, asgi_url: str, one_camera: Any
) -> None:
    fleet, camera, _ = one_camera
    sinks = fleet.media(camera).backchannel
    UserFactory(username="olga", role=Role.OPERATOR)
    with processes.gateway("gw-talk"):
        page.goto(f"{asgi_url}/login/")
        page.get_by_label("Username").fill("olga")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        video = page.get_by_test_id("tile").locator("video")
        frames_after(video, page, 1, within=15)
        video.evaluate("v => v.closest('[data-player]').player.talk(true)")
        deadline = time.monotonic() + 10
        while sum(s.packets for s in sinks.values()) < 50:  # a second of microphone
            assert time.monotonic() < deadline, "no microphone audio reached the camera"
            page.wait_for_timeout(200)
        video.evaluate("v => v.closest('[data-player]').player.talk(false)")
        page.wait_for_timeout(500)
        stopped = sum(s.packets for s in sinks.values())
        page.wait_for_timeout(1000)
        assert sum(s.packets for s in sinks.values()) == stopped  # the microphone is off


def test_a_viewer_may_not_talk(page: Page, asgi_url: str, one_camera: Any) -> None:
    with processes.gateway("gw-notalk"):
        sign_in(page, asgi_url)  # a viewer
        tile = page.get_by_test_id("tile")
        frames_after(tile.locator("video"), page, 1, within=15)
        tile.locator("video").evaluate("v => v.closest('[data-player]').player.talk(true)")
        expect(tile).to_contain_text("Your role may not speak through cameras.")
