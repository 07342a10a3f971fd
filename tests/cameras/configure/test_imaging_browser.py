"""The imaging page in Debian's Chromium against the simulator: a slider moves the camera's
picture (read back from the decoded video), the IR cut filter and a preset reach the camera."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from frontend.roles import Role
from tests import processes
from tests.cameras.conftest import ThreadedFleet, add_synced
from tests.frontend.live_fleet import in_thread, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
LUMA = """video => {
    const canvas = document.createElement("canvas");
    canvas.width = 160;
    canvas.height = 90;
    const g = canvas.getContext("2d");
    g.drawImage(video, 0, 0, 160, 90);
    const data = g.getImageData(0, 0, 160, 90).data;
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) {
        sum += 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
    }
    return sum / (data.length / 4);
}"""


def test_an_admin_darkens_the_picture_switches_the_ir_filter_and_picks_a_preset(
    page: Page, asgi_url: str
) -> None:
    with ThreadedFleet() as cameras, processes.gateway("gw-imaging"):
        camera = cameras["ptz-dome"]
        source = camera.video_sources[0]  # its imaging is replaced by every change
        device = in_thread(add_synced, camera)
        sign_in_as(page, asgi_url, "ada", Role.ADMIN)
        page.set_viewport_size({"width": 1400, "height": 1000})
        page.goto(f"{asgi_url}/devices/{device.pk}/configure/")
        page.get_by_test_id("configure-nav").get_by_role("link", name="Imaging").click()
        video = page.get_by_test_id("imaging-video")
        page.wait_for_function(
            "v => v.videoWidth > 0 && v.currentTime > 0.5",
            arg=video.element_handle(),
            timeout=30_000,
        )
        bright = page.evaluate(LUMA, video.element_handle())
        form = page.get_by_test_id("imaging-form")
        message = page.get_by_test_id("imaging-message")

        form.get_by_label("Brightness").fill("10")
        expect(message).to_contain_text("Brightness sent")
        assert source.imaging.brightness == 10
        page.wait_for_function(
            f"v => ({LUMA})(v) < {bright} - 20", arg=video.element_handle(), timeout=15_000
        )

        form.get_by_label("IR cut filter").select_option("OFF")
        expect(message).to_contain_text("IR cut filter sent")
        assert source.imaging.ircut == "OFF"
        page.screenshot(path=SHOTS / "configure-imaging.png", full_page=True)

        presets = page.get_by_test_id("imaging-presets")
        presets.get_by_label("Preset").select_option(label="Indoor (Indoor)")
        presets.get_by_role("button", name="Apply preset").click()
        expect(message).to_contain_text("applied")
        assert (source.imaging.brightness, source.imaging.ircut) == (60.0, "AUTO")
        expect(page.get_by_test_id("imaging-status")).to_contain_text("Indoor")
        expect(form.get_by_label("Brightness")).to_have_value("60")

        focus = page.get_by_test_id("focus-move")
        focus.get_by_label("Focus move").select_option("absolute")
        focus.get_by_label("Value").fill("0.3")
        focus.get_by_role("button", name="Move focus").click()
        expect(message).to_contain_text("Focus move sent")
        assert source.imaging.focus_mode == "MANUAL"  # a manual move ends auto focus

        page.get_by_role("button", name="Revert").click()
        expect(message).to_contain_text("opened with are back")
        assert (source.imaging.brightness, source.imaging.ircut) == (50.0, "AUTO")
        assert source.imaging.focus_mode == "AUTO"  # as the page opened

        page.get_by_role("link", name="Change log").click()
        expect(page.get_by_test_id("changes")).to_contain_text("preset Imaging")
