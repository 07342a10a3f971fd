"""The live grid in Debian's Chromium: layouts, drag and drop, named views, enlarging a tile."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from frontend.roles import Role
from tests.factories import PASSWORD, UserFactory
from tests.frontend.live_fleet import in_thread
from tests.frontend.test_layouts import camera

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_operator_arranges_the_grid_and_saves_a_shared_view(page: Page, asgi_url: str) -> None:
    a, b = camera("Gate", 1), camera("Lobby", 2)
    in_thread(UserFactory, username="olga", role=Role.OPERATOR)
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.goto(f"{asgi_url}/login/")
    page.get_by_label("Username").fill("olga")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("tile")).to_have_count(2)
    expect(page.get_by_test_id("tile-empty")).to_have_count(2)

    first = page.locator('[data-cell="0"]')
    # The tiles are drawn by the server; their players are started by the page's module script.
    page.wait_for_function("() => !!document.querySelector('[data-cell=\"0\"]').player")
    first.evaluate("tile => { window.samePage = true; tile.kept = tile.player; }")
    page.get_by_test_id("layout-9").click()
    expect(page.get_by_test_id("tile-empty")).to_have_count(7)
    expect(page.get_by_test_id("layout-9")).to_have_attribute("aria-pressed", "true")
    # Redrawn in place: no page load, and the tile that stayed kept its player (no reconnect).
    assert first.evaluate(
        "tile => window.samePage === true && !!tile.kept && tile.kept === tile.player"
    ), console
    assert page.evaluate("document.querySelectorAll('[data-cell] video').length") == 2

    # Drag "Lobby" from the camera list onto the last cell; pick "Gate" for the one before.
    # (HTML5 drag events dispatched with one DataTransfer: Playwright's mouse drag does not
    # start a native drag in this Chromium.)
    transfer = page.evaluate_handle("() => new DataTransfer()")
    page.get_by_test_id("camera-item").filter(has_text="Lobby").dispatch_event(
        "dragstart", {"dataTransfer": transfer}
    )
    page.locator('[data-cell="8"]').dispatch_event("dragover", {"dataTransfer": transfer})
    page.locator('[data-cell="8"]').dispatch_event("drop", {"dataTransfer": transfer})
    expect(page.locator('[data-cell="8"]')).to_have_attribute("data-device", str(b.pk))
    page.locator('[data-cell="7"]').get_by_test_id("cell-camera").select_option(label="Gate")
    expect(page.locator('[data-cell="7"]')).to_have_attribute("data-device", str(a.pk))
    expect(page.get_by_test_id("tile")).to_have_count(4)

    page.get_by_test_id("view-name").fill("Night shift")
    page.get_by_test_id("view-shared").check()
    page.get_by_test_id("view-save").click()
    expect(page).to_have_url(re.compile(r"/\?view=\d+$"))
    expect(page.get_by_test_id("view-select")).to_contain_text("Night shift (shared)")
    expect(page.locator('[data-cell="8"]')).to_have_attribute("data-device", str(b.pk))

    # Enlarging a tile plays the camera's main stream; leaving fullscreen goes back to the sub one.
    tile = page.locator('[data-cell="8"]')
    expect(tile).to_have_attribute("data-profile", "sub")
    tile.get_by_test_id("tile-fullscreen").click()
    expect(tile).to_have_attribute("data-profile", "main")
    page.evaluate("document.exitFullscreen()")
    expect(tile).to_have_attribute("data-profile", "sub")


def test_open_live_from_the_events_page_shows_the_camera_alone_and_keeps_the_layout(
    page: Page, asgi_url: str
) -> None:
    from django.utils import timezone

    from events.models import Event
    from frontend.layouts.models import LiveView

    a, b = camera("Gate", 1), camera("Lobby", 2)
    user = in_thread(UserFactory, username="vera", role=Role.VIEWER)
    LiveView.objects.create(owner=user, name="", grid=9, cells=[a.pk, None, b.pk])
    Event.objects.create(device=b, topic="tns1:VideoSource/MotionAlarm", name="Motion alarm",
                         received=timezone.now())  # fmt: skip
    page.goto(f"{asgi_url}/login/")
    page.get_by_label("Username").fill("vera")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("tile")).to_have_count(2)

    page.goto(f"{asgi_url}/events/")
    page.get_by_test_id("timeline-event").get_by_title("Open live").click()
    expect(page).to_have_url(re.compile(rf"/\?camera={b.pk}$"))
    expect(page.get_by_test_id("live-single")).to_contain_text("Showing Lobby alone")
    tiles = page.get_by_test_id("tile")
    expect(tiles).to_have_count(1)
    expect(page.get_by_test_id("tile-empty")).to_have_count(0)
    expect(tiles.first).to_have_attribute("data-device", str(b.pk))
    expect(tiles.first).to_have_attribute("data-profile", "main")
    expect(page.get_by_test_id("grid")).to_have_attribute("data-grid-size", "1")
    # Not to be arranged: no grid sizes, no cell pickers, and a drop is refused with a reason.
    expect(page.get_by_test_id("layout-4")).to_have_count(0)
    expect(page.get_by_test_id("cell-camera")).to_have_count(0)
    transfer = page.evaluate_handle("() => new DataTransfer()")
    page.get_by_test_id("camera-item").filter(has_text="Gate").dispatch_event(
        "dragstart", {"dataTransfer": transfer}
    )
    tiles.first.dispatch_event("drop", {"dataTransfer": transfer})
    expect(page.locator("[data-live-message]")).to_contain_text("go back to your layout")
    saved = LiveView.objects.get(owner=user, name="")
    assert (saved.grid, saved.cells[:3]) == (9, [a.pk, None, b.pk])

    page.get_by_test_id("live-back").click()
    expect(page.get_by_test_id("grid")).to_have_attribute("data-grid-size", "9")
    expect(page.get_by_test_id("tile")).to_have_count(2)
    expect(page.get_by_test_id("live-notice")).to_have_count(0)

    page.goto(f"{asgi_url}/?camera=987654")
    expect(page.get_by_test_id("live-notice")).to_contain_text(
        "Camera 987654 does not exist (it may have been removed), or you may not see it."
    )
    expect(page.get_by_test_id("grid")).to_have_attribute("data-grid-size", "9")


def test_a_smaller_grid_and_back_keeps_every_camera_in_its_cell(page: Page, asgi_url: str) -> None:
    from frontend.layouts.models import LiveView

    devices = [camera(f"Cam {n}", n) for n in range(1, 10)]
    user = in_thread(UserFactory, username="omar", role=Role.OPERATOR)
    LiveView.objects.create(owner=user, name="", grid=9, cells=[d.pk for d in devices])
    page.goto(f"{asgi_url}/login/")
    page.get_by_label("Username").fill("omar")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    placed = [str(d.pk) for d in devices]

    def shown() -> list[str | None]:
        return [t.get_attribute("data-device") for t in page.locator("[data-cell]").all()]

    expect(page.get_by_test_id("tile")).to_have_count(9)
    assert shown() == placed
    page.get_by_test_id("layout-4").click()
    expect(page.get_by_test_id("tile")).to_have_count(4)
    assert shown() == placed[:4]
    page.get_by_test_id("layout-1").click()
    expect(page.get_by_test_id("tile")).to_have_count(1)
    page.get_by_test_id("layout-9").click()
    expect(page.get_by_test_id("tile")).to_have_count(9)
    assert shown() == placed
    page.reload()
    expect(page.get_by_test_id("tile")).to_have_count(9)
    assert shown() == placed
    # A camera placed while the grid is small does not disturb the hidden cells either.
    page.get_by_test_id("layout-4").click()
    expect(page.get_by_test_id("tile")).to_have_count(4)
    page.locator('[data-cell="1"]').get_by_test_id("cell-camera").select_option(label="Cam 9")
    expect(page.locator('[data-cell="1"]')).to_have_attribute("data-device", placed[8])
    page.get_by_test_id("layout-9").click()
    expect(page.get_by_test_id("tile")).to_have_count(9)
    assert shown() == [placed[0], placed[8], *placed[2:]]
