"""The PTZ configuration page in Debian's Chromium against the simulator's dome: a pan limit
stops the joystick at it, and Reverse turns a push to the right into a pan to the left."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from frontend.roles import Role
from tests.cameras.conftest import ThreadedFleet, add_synced
from tests.frontend.live_fleet import in_thread, sign_in_as
from tests.ptz.conftest import motion
from tests.ptz.test_browser import drag, still, tile_of, until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_an_admin_limits_the_pan_and_reverses_the_dome(page: Page, asgi_url: str) -> None:
    with ThreadedFleet() as cameras:
        dome = cameras["ptz-dome"]
        for axis in motion(dome).axes:
            axis.max_speed = 2.0  # a quick dome: the limit is reached within a second
        device = in_thread(add_synced, dome)
        sign_in_as(page, asgi_url, "ada", Role.ADMIN)
        page.set_viewport_size({"width": 1280, "height": 1000})

        def configure(values: dict[str, str]) -> None:
            page.goto(f"{asgi_url}/devices/{device.pk}/configure/")
            page.get_by_test_id("configure-nav").get_by_role("link", name="PTZ").click()
            form = page.get_by_test_id("ptz-configuration")
            for label, value in values.items():
                field = form.get_by_label(label, exact=True)
                if value in ("ON", "OFF"):
                    field.select_option(value)
                else:
                    field.fill(value)
            form.get_by_role("button", name="Save to the camera").click()
            expect(page.locator(".flash-success")).to_contain_text("saved to the camera")

        def push_right(seconds: float) -> None:
            page.goto(f"{asgi_url}/?camera={device.pk}")
            tile = tile_of(page, device)
            expect(tile.get_by_test_id("ptz-controls")).to_be_visible()
            drag(page, tile.get_by_test_id("ptz-pad"), 150, 0)
            until(lambda: motion(dome).pan_tilt_moving(), within=3)
            time.sleep(seconds)
            page.mouse.up()
            until(lambda: still(dome), within=3)

        configure({"Pan to": "0.25"})
        config = dome.config("PTZ", dome.configs("PTZ")[0].token)
        assert config.limits[:2] == [-1.0, 0.25]
        page.screenshot(path=SHOTS / "configure-ptz.png", full_page=True)
        push_right(2.0)
        pan = motion(dome).position()[0]
        assert pan == pytest.approx(0.25, abs=1e-3)  # held at the limit, not past it
        tile = tile_of(page, device)
        tile.get_by_test_id("ptz-pad").hover()  # the readout follows the camera while in use
        expect(tile.get_by_test_id("ptz-status")).to_contain_text("pan 0.25", timeout=5_000)

        configure({"Reverse": "ON"})
        assert config.reverse == "ON"
        push_right(0.5)
        assert motion(dome).position()[0] < pan - 0.1  # a push right now pans left

        page.goto(f"{asgi_url}/devices/{device.pk}/configure/changes/")
        expect(page.get_by_test_id("changes")).to_contain_text("set PTZConfiguration")
