"""One live entry per video source in Debian's Chromium: both sensors of the demo dual-sensor
camera are offered, placed side by side, and each plays its own source's profiles and focuses
its own lens."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from frontend.roles import Role
from tests.cameras.test_live import frames_after
from tests.frontend.live_fleet import live_fleet, sign_in_as
from tests.ptz.conftest import focus_position, focusing
from tests.ptz.test_browser import until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIDEO_SIZE = "(v) => [v.videoWidth, v.videoHeight]"


def test_both_sensors_of_a_dual_sensor_camera_play_side_by_side(page: Page, asgi_url: str) -> None:
    with live_fleet("gw-sources", ("dual-sensor",)) as (_, cameras, devices):
        duo = devices["dual-sensor"].pk
        sign_in_as(page, asgi_url, "otto", Role.OPERATOR)
        names = ["dual-sensor · VideoSource 1", "dual-sensor · VideoSource 2"]
        expect(page.get_by_test_id("camera-item")).to_have_text(names)
        expect(page.get_by_test_id("tile")).to_have_count(1)  # a first visit: each camera once
        picker = page.locator('[data-cell="1"]').get_by_test_id("cell-camera")
        expect(picker.locator("option")).to_have_text(["—", *names])
        expect(page.get_by_test_id("tile")).to_have_attribute("data-state", "live", timeout=20_000)

        # The second sensor dragged from the list onto the cell beside the first one.
        transfer = page.evaluate_handle("() => new DataTransfer()")
        page.get_by_test_id("camera-item").filter(has_text=names[1]).dispatch_event(
            "dragstart", {"dataTransfer": transfer}
        )
        page.locator('[data-cell="1"]').dispatch_event("drop", {"dataTransfer": transfer})
        first, second = page.locator('[data-cell="0"]'), page.locator('[data-cell="1"]')
        expect(second).to_have_attribute("data-key", f"{duo}:VideoSource_2")
        expect(first).to_have_attribute("data-key", str(duo))
        expect(first).to_contain_text(names[0])
        expect(second).to_contain_text(names[1])
        expect(first).to_have_attribute("data-profile", "Profile_1_sub")
        expect(second).to_have_attribute("data-profile", "Profile_2_sub")
        for tile in (first, second):
            frames_after(tile.locator("video"), page, 5, within=20)
        # Each sensor has its own lens: "Focus far" held on the second tile moves that lens only.
        expect(first.get_by_test_id("lens-controls")).to_have_count(1)
        expect(second.get_by_test_id("lens-controls")).to_have_count(1)
        duo_camera = cameras["dual-sensor"]
        before = [focus_position(duo_camera, s) for s in ("VideoSource_1", "VideoSource_2")]
        second.get_by_test_id("focus-far").scroll_into_view_if_needed()
        second.get_by_test_id("focus-far").hover()
        page.mouse.down()
        until(lambda: focusing(duo_camera, "VideoSource_2"), within=3)
        time.sleep(0.3)
        page.mouse.up()
        until(lambda: not focusing(duo_camera, "VideoSource_2"), within=2)
        assert focus_position(duo_camera, "VideoSource_2") > before[1] + 0.02
        assert focus_position(duo_camera, "VideoSource_1") == before[0]
        expect(second.get_by_test_id("focus-auto")).to_have_attribute("aria-pressed", "false")
        expect(first.get_by_test_id("focus-auto")).to_have_attribute("aria-pressed", "true")

        # Enlarged, each plays its own source's main profile: two sensors, two sizes.
        sizes = []
        for tile, profile in ((first, "Profile_1_main"), (second, "Profile_2_main")):
            tile.get_by_test_id("tile-fullscreen").click()
            expect(tile).to_have_attribute("data-profile", profile)
            page.wait_for_function(
                "(v) => v.videoWidth > 640", arg=tile.locator("video").element_handle(),
                timeout=20_000,
            )  # fmt: skip
            sizes.append(tile.locator("video").evaluate(VIDEO_SIZE))
            page.evaluate("document.exitFullscreen()")
            expect(tile).to_have_attribute("data-profile", profile.replace("main", "sub"))
        assert sizes == [[1920, 1080], [1280, 720]]

        # ?camera=<id> still opens the camera's first source alone.
        page.goto(f"{asgi_url}/?camera={duo}")
        expect(page.get_by_test_id("tile")).to_have_attribute("data-profile", "Profile_1_main")
