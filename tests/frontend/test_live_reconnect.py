"""A camera that goes away and comes back, seen from a live tile in Debian's Chromium: the tile
says it is offline (never MJPEG for good) and shows video again a few seconds after the
camera answers, at once when the health poll reports it online."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from cameras.health import poll_devices
from cameras.models import Device
from frontend.roles import Role
from simulator.camera import Camera
from tests import processes
from tests.cameras.conftest import ThreadedFleet, add_synced
from tests.cameras.test_live import FRAMES_DECODED, frames_after
from tests.frontend.live_fleet import in_thread, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every state the tile goes through, with the time it entered it.
RECORD_STATES = """() => {
  const tile = document.querySelector("[data-player]");
  window.tileStates = [];
  new MutationObserver(() => window.tileStates.push([tile.dataset.state, performance.now()]))
    .observe(tile, { attributes: true, attributeFilter: ["data-state"] });
}"""


@pytest.fixture
def camera() -> Iterator[tuple[ThreadedFleet, Camera, Device]]:
    fleet = ThreadedFleet()
    with fleet as cameras:
        device = in_thread(add_synced, cameras["bullet-analytics"])
        with processes.gateway("gw-reconnect"):
            yield fleet, cameras["bullet-analytics"], device


def wait_for_video(page: Page, within: float) -> float:
    """Seconds until the tile decodes frames again (a new peer connection or the same one)."""
    video = page.get_by_test_id("tile").locator("video")
    before = video.evaluate(FRAMES_DECODED)
    started = time.monotonic()
    while True:
        frames = video.evaluate(FRAMES_DECODED)
        if frames > before + 5 or (frames < before and frames > 5):
            return time.monotonic() - started
        elapsed = time.monotonic() - started
        assert elapsed < within, f"no video {within} s after the camera came back"
        page.wait_for_timeout(100)


def test_a_camera_that_comes_back_plays_again_within_seconds(
    page: Page, asgi_url: str, camera: Any
) -> None:
    fleet, sim, _ = camera
    server = fleet.simulator.server(sim)
    sign_in_as(page, asgi_url, "vic", Role.VIEWER)
    tile = page.get_by_test_id("tile")
    frames_after(tile.locator("video"), page, 1, within=20)
    page.evaluate(RECORD_STATES)

    # Away for longer than every back-off step: the gateway and the player have slowed down.
    fleet.run(server.stop())
    assert in_thread(poll_devices, 1.0) == {"online": 0, "offline": 1}
    expect(tile).to_have_attribute("data-state", "offline", timeout=10_000)
    expect(tile).to_contain_text("offline")
    page.wait_for_timeout(35_000)
    assert tile.get_attribute("data-state") == "offline"  # still trying: no MJPEG for good
    assert tile.locator("img.fallback").count() == 0

    fleet.run(server.start())  # the same address and port
    answered = time.monotonic()
    assert in_thread(poll_devices, 1.0) == {"online": 1, "offline": 0}  # the beat's next tick
    wait_for_video(page, within=10)
    reappeared = time.monotonic() - answered
    print(f"\nvideo again {reappeared:.1f} s after the camera answered")  # noqa: T201
    expect(tile).to_have_attribute("data-state", "live", timeout=5_000)
    assert reappeared < 5
