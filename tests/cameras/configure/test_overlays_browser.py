"""The privacy mask and OSD editor in Debian's Chromium against the simulator: what the
admin draws is what the camera burns into the video, read back from the decoded frames."""

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
WHITE = "235 128 128"  # Y Cb Cr, one of the simulator's mask colours

# Pixels of the decoded video, by points of the standard's space (x, y in -1..1, y up).
SAMPLE = """([video, points]) => {
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const g = canvas.getContext("2d");
    g.drawImage(video, 0, 0);
    return points.map(([x, y]) => {
        const px = Math.min(canvas.width - 1, Math.round((x + 1) / 2 * canvas.width));
        const py = Math.min(canvas.height - 1, Math.round((1 - y) / 2 * canvas.height));
        return Array.from(g.getImageData(px, py, 1, 1).data.slice(0, 3));
    });
}"""
# The share of dark pixels (an OSD's black box) in a region x0..x1, y0..y1 of the space.
DARK = """([video, [x0, x1, y0, y1]]) => {
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const g = canvas.getContext("2d");
    g.drawImage(video, 0, 0);
    const w = canvas.width, h = canvas.height;
    const left = Math.round((x0 + 1) / 2 * w), right = Math.round((x1 + 1) / 2 * w);
    const top = Math.round((1 - y1) / 2 * h), bottom = Math.round((1 - y0) / 2 * h);
    const data = g.getImageData(left, top, right - left, bottom - top).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] < 90) dark++;
    return dark / (data.length / 4);
}"""

INSIDE = [(-0.7, 0.5), (-0.5, 0.3), (-0.6, 0.4), (-0.45, 0.55)]  # within the square below
OUTSIDE = [(0.5, 0.8), (0.2, 0.5), (-0.9, 0.9)]  # still parts of the scene
SQUARE = [(-0.8, 0.6), (-0.4, 0.6), (-0.4, 0.2), (-0.8, 0.2)]


def click_at(page: Page, x: float, y: float) -> None:
    box = page.get_by_test_id("overlay-svg").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + (x + 1) / 2 * box["width"], box["y"] + (1 - y) / 2 * box["height"])


def white(rgb: list[int]) -> bool:
    return min(rgb) > 225


def samples(page: Page, points: list[tuple[float, float]]) -> list[list[int]]:
    video = page.get_by_test_id("overlay-video").element_handle()
    result: list[list[int]] = page.evaluate(SAMPLE, [video, points])
    return result


def wait_for_pixels(page: Page, points: list[tuple[float, float]], test: str) -> None:
    """Until every point's pixel passes `test` (JS, on [r, g, b]) in the decoded video."""
    page.wait_for_function(
        f"""([video, points]) => ({SAMPLE})([video, points]).every(rgb => {test})""",
        arg=[page.get_by_test_id("overlay-video").element_handle(), points],
        timeout=15_000,
    )


def close(a: list[int], b: list[int]) -> bool:
    return max(abs(p - q) for p, q in zip(a, b, strict=True)) < 40


def test_an_admin_draws_moves_and_deletes_a_mask_and_adds_a_date_time_osd(
    page: Page, asgi_url: str
) -> None:
    with ThreadedFleet() as cameras, processes.gateway("gw-overlays"):
        camera = cameras["ptz-dome"]
        device = in_thread(add_synced, camera)
        sign_in_as(page, asgi_url, "ada", Role.ADMIN)
        page.set_viewport_size({"width": 1400, "height": 1000})
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.accept()))

        page.goto(f"{asgi_url}/devices/{device.pk}/configure/")
        page.get_by_test_id("configure-nav").get_by_role("link", name="Masks and OSD").click()
        video = page.get_by_test_id("overlay-video")
        page.wait_for_function(
            "v => v.videoWidth > 0 && v.currentTime > 0.5",
            arg=video.element_handle(),
            timeout=30_000,
        )
        before_inside = samples(page, INSIDE)
        before_outside = samples(page, OUTSIDE)
        assert not all(white(p) for p in before_inside), "the scene there is not white already"

        # Draw: four corners, a fifth refused, then saved.
        tools = page.get_by_test_id("mask-tools")
        tools.get_by_label("Type").select_option("Color")
        tools.get_by_label("Colour").select_option(WHITE)
        tools.get_by_role("button", name="New mask").click()
        for x, y in SQUARE:
            click_at(page, x, y)
        click_at(page, -0.6, 0.8)
        message = page.get_by_test_id("overlay-message")
        expect(message).to_contain_text("The camera allows at most 4 points per mask")
        tools.get_by_role("button", name="Save mask").click()
        expect(message).to_contain_text("saved: the camera now hides it")
        assert len(camera.masks) == 1
        mask = camera.masks[0]
        assert len(mask.points) == 4 and mask.type == "Color"
        for (x, y), (mx, my) in zip(SQUARE, mask.points, strict=True):
            assert abs(x - mx) < 0.01 and abs(y - my) < 0.01
        expect(page.get_by_test_id("mask-outline")).to_have_count(1)

        wait_for_pixels(page, INSIDE, "Math.min(...rgb) > 225")
        after_outside = samples(page, OUTSIDE)
        for was, now in zip(before_outside, after_outside, strict=True):
            assert close(was, now), (was, now)
        page.screenshot(path=SHOTS / "configure-mask.png", full_page=True)

        # Move: drag it right by 1.0, then save; the camera's picture follows.
        outline = page.get_by_test_id("mask-outline")
        box = page.get_by_test_id("overlay-svg").bounding_box()
        assert box is not None
        cx = box["x"] + (-0.6 + 1) / 2 * box["width"]
        cy = box["y"] + (1 - 0.4) / 2 * box["height"]
        page.mouse.move(cx, cy)
        page.mouse.down()
        page.mouse.move(cx + box["width"] / 4, cy, steps=8)
        page.mouse.move(cx + box["width"] / 2, cy, steps=8)
        page.mouse.up()
        expect(outline).to_have_class("mask selected")
        tools.get_by_role("button", name="Save mask").click()
        expect(message).to_contain_text(f"Mask {mask.token} changed")
        moved = camera.masks[0].points
        assert abs(moved[0][0] - 0.2) < 0.03 and abs(moved[0][1] - 0.6) < 0.03, moved
        shifted = [(x + 1.0, y) for x, y in INSIDE]
        wait_for_pixels(page, shifted, "Math.min(...rgb) > 225")
        left_behind = samples(page, INSIDE)
        assert not all(white(p) for p in left_behind)

        # Keyboard: arrows move the selected mask, Enter saves.
        page.get_by_test_id("overlay-svg").focus()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        expect(message).to_contain_text(f"Mask {mask.token} changed")
        assert abs(camera.masks[0].points[0][1] - 0.58) < 0.005
        moved_down = [tuple(p) for p in camera.masks[0].points]

        # Reshape: drag its first corner up and left.
        corner = camera.masks[0].points[0]
        box = page.get_by_test_id("overlay-svg").bounding_box()
        assert box is not None

        def at(x: float, y: float) -> tuple[float, float]:
            return box["x"] + (x + 1) / 2 * box["width"], box["y"] + (1 - y) / 2 * box["height"]

        page.mouse.move(*at(corner[0], corner[1]))
        page.mouse.down()
        page.mouse.move(*at(0.1, 0.7), steps=6)
        page.mouse.up()
        tools.get_by_role("button", name="Save mask").click()
        expect(message).to_contain_text(f"Mask {mask.token} changed")
        reshaped = camera.masks[0].points
        assert abs(reshaped[0][0] - 0.1) < 0.02 and abs(reshaped[0][1] - 0.7) < 0.02, reshaped
        assert reshaped[1:] == [list(p) for p in moved_down[1:]]

        # Delete.
        tools.get_by_role("button", name="Delete mask").click()
        expect(message).to_contain_text(f"Mask {mask.token} deleted")
        assert camera.masks == [] and dialogs
        expect(page.get_by_test_id("mask-outline")).to_have_count(0)

        # A date-and-time OSD in the lower right corner.
        corner = [0.55, 1.0, -1.0, -0.9]
        dark_before = page.evaluate(DARK, [video.element_handle(), corner])
        osd = page.get_by_test_id("osd-form")
        osd.get_by_label("Text", exact=True).select_option("DateAndTime")
        osd.get_by_label("Date format").select_option("yyyy-MM-dd")
        osd.get_by_label("Time format").select_option("HH:mm:ss")
        osd.get_by_label("Position").select_option("LowerRight")
        expect(page.get_by_test_id("osd-preview")).to_contain_text(":")
        osd.get_by_role("button", name="Add OSD").click()
        expect(message).to_contain_text("added")
        assert [(o.text_type, o.position) for o in camera.osds] == [("DateAndTime", "LowerRight")]
        page.wait_for_function(
            f"([v, c]) => ({DARK})([v, c]) > {dark_before} + 0.15",
            arg=[video.element_handle(), corner],
            timeout=15_000,
        )
        page.screenshot(path=SHOTS / "configure-osd.png", full_page=True)

        page.get_by_role("link", name="Change log").click()
        log = page.get_by_test_id("changes")
        for action in ("create Mask", "set Mask", "delete Mask", "create OSD"):
            expect(log).to_contain_text(action)


def test_operators_and_viewers_cannot_edit(page: Page, asgi_url: str) -> None:
    with ThreadedFleet() as cameras:
        device = in_thread(add_synced, cameras["ptz-dome"])
        for role in (Role.OPERATOR, Role.VIEWER):
            page.context.clear_cookies()
            sign_in_as(page, asgi_url, f"user-{role}", role)
            answer = page.goto(f"{asgi_url}/devices/{device.pk}/configure/overlays/")
            assert answer is not None and answer.status == 403
            status = page.evaluate(
                """async (device) => {
                    const token = document.cookie.match(/csrftoken=([^;]+)/)?.[1] || "";
                    const url = `/api/devices/${device}/media/sources/VideoSourceConfig_1/masks`;
                    const answer = await fetch(url, {
                        method: "POST",
                        headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                        body: JSON.stringify({points: [[0, 0], [0.5, 0], [0.5, 0.5]]}),
                    });
                    return answer.status;
                }""",
                device.pk,
            )
            assert status == 403
        assert cameras["ptz-dome"].masks == []
