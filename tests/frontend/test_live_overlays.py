"""Over and beside the live video in Debian's Chromium: metadata boxes, the talk button."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from cameras.models import Device
from frontend.roles import Role
from simulator.camera import Camera
from tests import processes
from tests.cameras.conftest import ThreadedFleet
from tests.cameras.test_live import frames_after, sync_and_close
from tests.frontend.live_fleet import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# How many pixels of the tile's overlay canvas are drawn on.
DRAWN_PIXELS = """(canvas) => {
  const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
  let drawn = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i]) drawn++;
  return drawn;
}"""


@pytest.fixture
def cameras() -> Iterator[tuple[ThreadedFleet, dict[str, Camera], dict[str, Device]]]:
    fleet = ThreadedFleet()
    with fleet as all_cameras:
        devices = {}
        for name in ("bullet-analytics", "audio-cam"):
            camera = all_cameras[name]
            devices[name] = Device(host=camera.host, port=camera.port, username="admin")
            devices[name].password = "admin"
            devices[name].save()
        with ThreadPoolExecutor(2) as pool:
            for future in [pool.submit(sync_and_close, d) for d in devices.values()]:
                future.result(60)
        with processes.gateway("gw-overlays"):
            yield fleet, all_cameras, devices


def test_metadata_boxes_are_drawn_over_the_video_and_can_be_hidden(
    page: Page, asgi_url: str, cameras: Any
) -> None:
    _, _, devices = cameras
    sign_in_as(page, asgi_url, Role.VIEWER, Role.VIEWER)
    tile = page.locator(f'[data-testid="tile"][data-device="{devices["bullet-analytics"].pk}"]')
    frames_after(tile.locator("video"), page, 1, within=20)
    page.wait_for_function(
        "tile => Number(tile.dataset.objects) > 0", arg=tile.element_handle(), timeout=15_000
    )
    canvas = tile.get_by_test_id("tile-overlay")
    assert canvas.evaluate(DRAWN_PIXELS) > 100
    # Each frame is drawn with the boxes that had arrived with it: never newer than the frame.
    lag = float(tile.get_attribute("data-overlay-lag") or "-1")
    assert 0 <= lag < 1000
    tile.get_by_test_id("tile-overlay-toggle").click()
    expect(tile).to_have_attribute("data-objects", "0")
    page.wait_for_timeout(200)
    assert canvas.evaluate(DRAWN_PIXELS) == 0
    expect(page.get_by_test_id("tile-talk")).to_have_count(0)  # viewers may not talk


def test_the_talk_button_shows_the_live_microphone_and_turns_it_off(
    page: Page, asgi_url: str, cameras: Any
) -> None:
    fleet, all_cameras, devices = cameras
    sinks = fleet.media(all_cameras["audio-cam"]).backchannel
    sign_in_as(page, asgi_url, Role.OPERATOR, Role.OPERATOR)
    tile = page.locator(f'[data-testid="tile"][data-device="{devices["audio-cam"].pk}"]')
    frames_after(tile.locator("video"), page, 1, within=20)
    expect(page.get_by_test_id("tile-talk")).to_have_count(1)  # only the camera with a speaker
    talk = tile.get_by_test_id("tile-talk")
    talk.click()
    expect(tile).to_have_attribute("data-talk", "live", timeout=10_000)
    expect(talk).to_contain_text("Microphone live")
    deadline = time.monotonic() + 10
    while sum(s.packets for s in sinks.values()) < 25:
        assert time.monotonic() < deadline, "no microphone audio reached the camera"
        page.wait_for_timeout(200)
    talk.click()
    expect(tile).to_have_attribute("data-talk", "off")
    expect(talk).to_have_text("Talk")


def event(device: Device, state: bool | None) -> dict[str, Any]:
    return {
        "id": 1, "device": device.pk, "device_name": str(device),
        "topic": "tns1:RuleEngine/CellMotionDetector/Motion", "name": "Motion", "rule": "Motion",
        "state": state, "operation": "Changed", "source": {}, "data": {"IsMotion": "true"},
        "camera_time": None, "received": "2026-11-24T12:00:00+00:00", "received_ts": 0.0,
    }  # fmt: skip


def test_a_camera_s_events_show_as_a_badge_on_its_tile_while_they_last(
    page: Page, asgi_url: str, cameras: Any
) -> None:
    from events.live import send_events_sync

    _, _, devices = cameras
    camera = devices["bullet-analytics"]
    sign_in_as(page, asgi_url, Role.VIEWER, Role.VIEWER)
    tile = page.locator(f'[data-testid="tile"][data-device="{camera.pk}"]')
    other = page.locator(f'[data-testid="tile"][data-device="{devices["audio-cam"].pk}"]')
    frames_after(tile.locator("video"), page, 1, within=20)  # the page and its sockets are up
    page.wait_for_timeout(500)

    def send(state: bool) -> None:  # from a thread: Playwright's loop runs in this one
        with ThreadPoolExecutor(1) as pool:
            pool.submit(send_events_sync, {camera.pk: [event(camera, state)]}).result(5)

    send(True)
    expect(tile.get_by_test_id("tile-badge")).to_have_text("Motion")
    expect(other.get_by_test_id("tile-badge")).to_have_count(0)
    send(False)
    expect(tile.get_by_test_id("tile-badge")).to_have_count(0)
