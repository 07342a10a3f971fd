"""Preset tours in Debian's Chromium against the simulator's dome: an admin builds a three-spot
tour on the Configure page; from the live tile it is started, and the dome rests at the three
presets in the tour's order for their stay times; then it is paused and stopped."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from frontend.roles import Role
from simulator.camera import Camera
from tests.cameras.conftest import ThreadedFleet, add_synced
from tests.frontend.live_fleet import in_thread, sign_in_as
from tests.ptz.conftest import motion
from tests.ptz.test_browser import still, tile_of, until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SPOTS = [("Gate", 1.0), ("Entrance", 2.0), ("Parking", 1.0)]  # preset name, stay (s)


@dataclass
class Rest:
    preset: str  # the preset's name
    began: float
    ended: float | None = None


class Watcher(threading.Thread):
    """Samples the simulated dome every 20 ms: the presets it rests at (still, at the preset's
    position) and for how long."""

    def __init__(self, camera: Camera) -> None:
        super().__init__(daemon=True)
        self.camera, self.rests, self.done = camera, list[Rest](), threading.Event()

    def resting_at(self) -> str | None:
        if not still(self.camera):
            return None
        pan, tilt, zoom = motion(self.camera).position()
        for p in self.camera.ptz_nodes[0].presets:
            if max(abs(pan - p.pan), abs(tilt - p.tilt), abs(zoom - p.zoom)) < 1e-3:
                return str(p.name)
        return None

    def run(self) -> None:
        while not self.done.is_set():
            at, now = self.resting_at(), time.monotonic()
            last = self.rests[-1] if self.rests else None
            if last is not None and last.ended is None and at != last.preset:
                last.ended = now
            if at is not None and (last is None or last.ended is not None):
                self.rests.append(Rest(at, now))
            time.sleep(0.02)


def test_an_admin_builds_a_tour_and_an_operator_runs_it(page: Page, asgi_url: str) -> None:
    with ThreadedFleet() as cameras:
        dome = cameras["ptz-dome"]
        for axis in motion(dome).axes:
            axis.max_speed = 3.0  # a quick dome: each spot is reached well within its stay
        device = in_thread(add_synced, dome)
        sign_in_as(page, asgi_url, "ada", Role.ADMIN)
        page.set_viewport_size({"width": 1280, "height": 1000})

        page.goto(f"{asgi_url}/devices/{device.pk}/configure/")
        page.get_by_test_id("configure-nav").get_by_role("link", name="Preset tours").click()
        expect(page.get_by_test_id("tour")).to_have_count(1)  # the dome's own Perimeter tour
        page.get_by_test_id("tour-new").click()
        editor = page.get_by_test_id("tour-editor")
        editor.get_by_label("Name").fill("Night round")
        editor.get_by_test_id("tour-add-spot").click()
        rows = editor.get_by_test_id("tour-spot")
        expect(rows).to_have_count(3)
        for n, (preset, stay) in enumerate(SPOTS):
            rows.nth(n).get_by_test_id("spot-preset").select_option(label=preset)
            rows.nth(n).get_by_test_id("spot-stay").fill(f"{stay:g}")
        # A stay the camera does not allow is refused in words; nothing is sent.
        rows.nth(2).get_by_test_id("spot-stay").fill("7200")
        editor.get_by_test_id("tour-save").click()
        expect(page.get_by_test_id("tour-message")).to_contain_text("Spot 3: the stay time")
        assert len(dome.ptz_nodes[0].tours) == 1
        rows.nth(2).get_by_test_id("spot-stay").fill("1")
        editor.get_by_test_id("tour-save").click()
        expect(page.get_by_test_id("tour-message")).to_contain_text("created on the camera")
        made = page.get_by_test_id("tour").filter(has_text="Night round")
        expect(made.get_by_test_id("tour-state")).to_have_text("idle")
        tour = dome.ptz_nodes[0].tours[1]
        assert [(s.preset, s.stay) for s in tour.spots] == [
            ("Preset_3", 1.0),
            ("Preset_1", 2.0),
            ("Preset_2", 1.0),
        ]
        page.screenshot(path=SHOTS / "configure-tours.png", full_page=True)

        page.goto(f"{asgi_url}/?camera={device.pk}")
        tile = tile_of(page, device)
        expect(tile.get_by_test_id("ptz-controls")).to_be_visible()
        tile.get_by_test_id("ptz-tours").click()
        expect(tile.get_by_test_id("ptz-tour")).to_contain_text("Night round")
        tile.get_by_test_id("ptz-tour").select_option(label="Night round")
        watcher = Watcher(dome)
        watcher.start()
        tile.get_by_test_id("ptz-tour-start").click()
        expect(tile.get_by_test_id("ptz-tour-state")).to_contain_text("Night round: touring")
        # Three rests, then back to the first spot for the next round.
        until(lambda: len(watcher.rests) >= 4, within=20)
        expect(tile.get_by_test_id("ptz-tour-state")).to_contain_text(" at ")
        tile.get_by_test_id("ptz-tour-pause").click()
        expect(tile.get_by_test_id("ptz-tour-state")).to_contain_text("Night round: paused")
        watcher.done.set()
        watcher.join()
        assert tour.state == "Paused"
        visits = [(r.preset, r.ended - r.began) for r in watcher.rests[:3] if r.ended]
        assert [name for name, _ in visits] == [name for name, _ in SPOTS]
        for (name, rested), (_, stay) in zip(visits, SPOTS, strict=True):
            assert rested == pytest.approx(stay, abs=0.35), f"{name}: {rested:.2f} s"
        assert watcher.rests[3].preset == SPOTS[0][0]  # the next round begins where it began

        tile.get_by_test_id("ptz-tour-stop").click()
        expect(tile.get_by_test_id("ptz-tour-state")).to_contain_text("Night round: idle")
        assert tour.state == "Idle"
        until(lambda: still(dome), within=3)

        page.goto(f"{asgi_url}/ptz/audit/")
        for words in ("Start tour", "Pause tour", "Stop tour"):
            expect(page.get_by_text(words).first).to_be_visible()
