"""A 3 by 3 grid with PTZ cameras fits a 1600x1000 screen in Debian's Chromium: the controls
lie over the video (shown on hover and keyboard focus), not under it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from frontend.layouts.models import LiveView
from frontend.roles import Role
from tests.factories import UserFactory
from tests.frontend.live_fleet import in_thread, live_fleet, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Points spread over the tile's video box that something outside the tile covers.
COVERED = """(tile) => {
  const box = tile.querySelector("video").getBoundingClientRect();
  const covered = [];
  for (let i = 0; i < 8; i++) {
    for (let j = 0; j < 8; j++) {
      const x = box.left + (box.width * (i + 0.5)) / 8;
      const y = box.top + (box.height * (j + 0.5)) / 8;
      const hit = document.elementFromPoint(x, y);
      if (!hit || !tile.contains(hit)) covered.push(`${x},${y}: ${hit?.outerHTML.slice(0, 60)}`);
    }
  }
  return covered;
}"""
BOX = "(e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"


def test_nine_tiles_with_ptz_fit_a_1600_by_1000_screen(page: Page, asgi_url: str) -> None:
    with live_fleet("gw-fit") as (_, _, devices):
        user = in_thread(UserFactory, username="ops", role=Role.OPERATOR)
        ids = [devices[name].pk for name in ("ptz-dome", "bullet-analytics", "audio-cam")]
        LiveView.objects.create(owner=user, name="", grid=9, cells=(ids * 3)[:9])
        page.set_viewport_size({"width": 1600, "height": 1000})
        sign_in_as(page, asgi_url, "ops")
        tiles = page.get_by_test_id("tile")
        expect(tiles).to_have_count(9)
        expect(page.get_by_test_id("ptz-controls")).to_have_count(3)
        page.mouse.move(5, 995)  # over no tile
        grid = page.get_by_test_id("grid")
        bottom = grid.evaluate(BOX)[3]
        print(f"\n9-grid bottom at {bottom:.0f} px of a 1000 px viewport")  # noqa: T201
        assert bottom <= 1000
        assert page.evaluate("document.scrollingElement.scrollHeight") <= 1000
        for tile in tiles.all():
            left, top, right, lower = tile.locator("video").evaluate(BOX)
            t_left, t_top, t_right, t_bottom = tile.evaluate(BOX)
            assert t_left <= left and t_top <= top and right <= t_right and lower <= t_bottom
            assert right - left > 300 and lower - top > 150  # a picture, not a stamp
            assert tile.evaluate(COVERED) == []

        # The PTZ toolbar shows over the video when the pointer is on the tile or the keyboard
        # is in it, and keeps out of the way otherwise.
        dome = page.locator(f'[data-testid="tile"][data-device="{devices["ptz-dome"].pk}"]').first
        bar = dome.get_by_test_id("ptz-controls")
        controls = dome.locator(".tile-controls")  # the tools and the PTZ bar
        opacity = "(e) => getComputedStyle(e).opacity"
        expect(controls).to_have_css("opacity", "0")
        dome.get_by_test_id("ptz-pad").focus()
        for _ in range(20):  # from the video, the keyboard reaches the toolbar
            page.keyboard.press("Tab")
            assert dome.evaluate("(tile) => tile.contains(document.activeElement)")
            if bar.evaluate("(bar) => bar.contains(document.activeElement)"):
                break
        assert bar.evaluate("(bar) => bar.contains(document.activeElement)")
        page.wait_for_timeout(300)
        assert controls.evaluate(opacity) == "1"
        page.evaluate("document.activeElement.blur()")
        expect(controls).to_have_css("opacity", "0")
        dome.hover()
        expect(controls).to_have_css("opacity", "1")
        import os

        if os.environ.get("SHOT"):
            page.wait_for_timeout(3000)
            page.screenshot(path=os.environ["SHOT"])
