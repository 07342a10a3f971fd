"""The tile's "Move to" dialog in Debian's Chromium against the simulator's dome: a position in
degrees, a step, and a place on the map (GeoMove) reach the dome; a value outside the space is
refused in words in the dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from frontend.roles import Role
from tests.cameras.conftest import ThreadedFleet, add_synced
from tests.frontend.live_fleet import in_thread, sign_in_as
from tests.ptz.conftest import motion
from tests.ptz.test_browser import still, tile_of, until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_an_operator_moves_the_dome_by_values_in_a_dialog(page: Page, asgi_url: str) -> None:
    with ThreadedFleet() as cameras:
        dome = cameras["ptz-dome"]
        for axis in motion(dome).axes:
            axis.max_speed = 3.0
        device = in_thread(add_synced, dome)
        sign_in_as(page, asgi_url, "otto", Role.OPERATOR)
        page.goto(f"{asgi_url}/?camera={device.pk}")
        tile = tile_of(page, device)
        expect(tile.get_by_test_id("ptz-controls")).to_be_visible()
        tile.get_by_test_id("ptz-move-to").click()
        dialog = page.get_by_test_id("ptz-move-dialog")
        expect(dialog).to_be_visible()

        dialog.get_by_test_id("move-kind").select_option(label="Position")
        dialog.get_by_test_id("move-pt-space").select_option(label="SphericalPositionSpaceDegrees")
        expect(dialog.get_by_test_id("move-tilt")).to_have_attribute("placeholder", "-90 to 0")
        dialog.get_by_test_id("move-pan").fill("90")
        dialog.get_by_test_id("move-tilt").fill("10")
        dialog.get_by_test_id("move-go").click()
        expect(dialog.get_by_test_id("move-message")).to_have_text(
            "Tilt must be -90 to 0 in this space."
        )
        dialog.get_by_test_id("move-tilt").fill("-45")
        dialog.get_by_test_id("move-zoom").fill("0.5")
        dialog.get_by_test_id("move-go").click()
        expect(dialog.get_by_test_id("move-message")).to_have_text("The camera is moving there.")
        until(lambda: still(dome), within=10)
        assert motion(dome).position() == pytest.approx((0.5, 0.0, 0.5), abs=1e-3)
        page.screenshot(path=SHOTS / "ptz-move-dialog.png")

        dialog.get_by_test_id("move-kind").select_option(label="Step")
        dialog.get_by_test_id("move-pt-space").select_option(label="TranslationGenericSpace")
        dialog.get_by_test_id("move-pan").fill("-0.25")
        dialog.get_by_test_id("move-tilt").fill("0")
        dialog.get_by_test_id("move-zoom").fill("")
        dialog.get_by_test_id("move-go").click()
        expect(dialog.get_by_test_id("move-message")).to_have_text("The camera is moving there.")
        until(lambda: still(dome) and abs(motion(dome).position()[0] - 0.25) < 1e-3, within=10)

        dialog.get_by_test_id("move-kind").select_option(label="Place (latitude, longitude)")
        dialog.get_by_test_id("move-latitude").fill(str(52.3731 + 0.0009))
        dialog.get_by_test_id("move-longitude").fill(str(4.8922 + 0.00147))
        dialog.get_by_test_id("move-elevation").fill("2")
        dialog.get_by_test_id("move-go").click()
        expect(dialog.get_by_test_id("move-message")).to_have_text("The camera is moving there.")
        until(lambda: still(dome), within=10)
        assert motion(dome).position()[0] == pytest.approx(0.25, abs=0.01)  # bearing 45°
        dialog.get_by_role("button", name="Close").click()
        expect(dialog).to_be_hidden()
