"""The rule editor in Debian's Chromium against the simulator's analytics bullet, whose scene
object walks back and forth along y = 0: a line drawn across its path gives line-crossing events
on the events page within 2 s of the crossing; cells painted away from the path give no cell
motion, cells painted on it do; once the line is deleted, its events stop. A counting rule drawn
as two lines counts the walker on both; a declarative motion rule's expression is refused in
words when it is not XPath, and matches the walker once it is."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from events.models import Event
from frontend.roles import Role
from simulator.media.scene import object_class, position
from tests import processes
from tests.cameras.conftest import ThreadedFleet, add_synced
from tests.events.conftest import events_runner, wait_for_subscription
from tests.frontend.live_fleet import in_thread, sign_in_as
from tests.ptz.test_browser import until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
TOKEN = "VideoAnalyticsConfig_1"
FENCE_X = 0.5  # the line, across the object's path (x from -0.8 to 0.8 and back)


def click_at(page: Page, x: float, y: float) -> None:
    """Click the editor's picture at normalised (x, y): x right, y up, -1..1."""
    box = page.get_by_test_id("analytics-svg").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + (x + 1) / 2 * box["width"], box["y"] + (1 - y) / 2 * box["height"])


def drag_along(page: Page, y: float) -> None:
    """Paint cells: press at the left of the picture at height y, drag to the right, release."""
    box = page.get_by_test_id("analytics-svg").bounding_box()
    assert box is not None
    top = box["y"] + (1 - y) / 2 * box["height"]
    page.mouse.move(box["x"] + 0.02 * box["width"], top)
    page.mouse.down()
    for step in range(1, 41):
        page.mouse.move(box["x"] + (0.02 + 0.96 * step / 40) * box["width"], top)
    page.mouse.up()


def open_editor(page: Page, asgi_url: str, device: Any, from_nav: bool = False) -> None:
    """Sign in as an admin and open the analytics editor, its picture playing."""
    sign_in_as(page, asgi_url, "ada", Role.ADMIN)
    page.set_viewport_size({"width": 1400, "height": 1000})
    if from_nav:
        page.goto(f"{asgi_url}/devices/{device.pk}/configure/")
        page.get_by_test_id("configure-nav").get_by_role("link", name="Analytics").click()
    else:
        page.goto(f"{asgi_url}/devices/{device.pk}/configure/analytics/")
    page.wait_for_function(
        "v => v.videoWidth > 0 && v.currentTime > 0.5",
        arg=page.get_by_test_id("analytics-video").element_handle(),
        timeout=30_000,
    )


def rule_events(device: Any, rule: str, **data: str) -> list[Event]:
    found = Event.objects.filter(device=device, rule=rule).order_by("received")
    return [e for e in found if all(e.data.get(k) == v for k, v in data.items())]


def test_an_admin_draws_rules_and_their_events_reach_the_events_page(
    page: Page, asgi_url: str
) -> None:
    with ThreadedFleet() as cameras, processes.gateway("gw-analytics"):
        camera = cameras["bullet-analytics"]
        camera.config("Analytics", TOKEN).rules.clear()  # only the rules drawn here fire
        walker = camera.scene[0]
        device = in_thread(add_synced, camera)
        with events_runner():
            wait_for_subscription(device)
            open_editor(page, asgi_url, device, from_nav=True)

            # A line across the path.
            page.get_by_test_id("rule-type").select_option(label="Line detector")
            page.get_by_test_id("rule-new").click()
            page.get_by_test_id("rule-name").fill("Fence")
            page.get_by_test_id("draw-Segments").click()
            click_at(page, FENCE_X, -0.6)
            click_at(page, FENCE_X, 0.6)
            page.get_by_test_id("rule-save").click()
            expect(page.get_by_test_id("analytics-message")).to_contain_text(
                "created on the camera"
            )
            held = {r.name: r for r in camera.config("Analytics", TOKEN).rules}
            assert "Fence" in held and held["Fence"].type == "tt:LineDetector"
            page.screenshot(path=SHOTS / "configure-analytics.png", full_page=True)

            page.goto(f"{asgi_url}/events/")
            feed = page.get_by_test_id("alarm-feed")
            crossing = feed.locator("li", has_text="Fence").first
            expect(crossing).to_be_visible(
                timeout=20_000
            )  # a crossing within a walk there and back
            seen = time.time()
            (first, *_) = in_thread(rule_events, device, "Fence")
            assert first.topic == "tns1:RuleEngine/LineDetector/Crossed"
            assert first.camera_time is not None
            assert seen - first.camera_time.timestamp() < 2.0  # camera to the events page

            # Cells away from the path: no motion; on the path: motion.
            page.goto(f"{asgi_url}/devices/{device.pk}/configure/analytics/")
            page.get_by_test_id("rule-type").select_option(label="Cell motion detector")
            page.get_by_test_id("rule-new").click()
            page.get_by_test_id("rule-name").fill("Cells")
            page.get_by_test_id("param-MinCount").fill("1")
            page.get_by_test_id("cells-none").click()
            drag_along(page, 0.9)  # the top row
            expect(page.get_by_test_id("cell-count")).not_to_contain_text(" 0 of ")
            page.get_by_test_id("rule-save").click()
            expect(page.get_by_test_id("analytics-message")).to_contain_text(
                "created on the camera"
            )
            time.sleep(walker.period + 1)  # the object walks its whole path meanwhile
            assert in_thread(rule_events, device, "Cells", IsMotion="true") == []

            page.get_by_test_id("rule-list").get_by_role("button", name="Cells").click()
            drag_along(page, 0.0)  # the object's path
            page.get_by_test_id("rule-save").click()
            expect(page.get_by_test_id("analytics-message")).to_contain_text("saved on the camera")
            until(lambda: bool(in_thread(rule_events, device, "Cells", IsMotion="true")), within=5)

            # The line deleted: no crossing any more.
            page.get_by_test_id("rule-list").get_by_role("button", name="Fence").click()
            page.once("dialog", lambda dialog: dialog.accept())
            page.get_by_test_id("rule-delete").click()
            expect(page.get_by_test_id("analytics-message")).to_contain_text("deleted")
            assert "Fence" not in {r.name for r in camera.config("Analytics", TOKEN).rules}
            before = len(in_thread(rule_events, device, "Fence"))
            side = position(walker, time.time())[0] > FENCE_X
            until(lambda: (position(walker, time.time())[0] > FENCE_X) != side, within=20)
            time.sleep(2)  # longer than the events' way to the VMS
            assert len(in_thread(rule_events, device, "Fence")) == before

            page.goto(f"{asgi_url}/events/?camera={device.pk}&rule=Cells")
            expect(page.get_by_test_id("timeline-event").first).to_contain_text("Cells")


def test_an_admin_counts_on_two_lines_and_matches_objects_by_an_expression(
    page: Page, asgi_url: str
) -> None:
    with ThreadedFleet() as cameras, processes.gateway("gw-analytics-2"):
        camera = cameras["bullet-analytics"]
        camera.config("Analytics", TOKEN).rules.clear()
        walker = camera.scene[0]  # along y = 0, x from -0.8 to 0.8 and back
        device = in_thread(add_synced, camera)
        with events_runner():
            wait_for_subscription(device)
            open_editor(page, asgi_url, device)

            # A counting rule on two lines, drawn one after the other.
            page.get_by_test_id("rule-type").select_option(label="Count aggregation")
            page.get_by_test_id("rule-new").click()
            page.get_by_test_id("rule-name").fill("Gates")
            expect(page.get_by_test_id("param-Direction")).to_have_value("Any")  # C.6's default
            page.get_by_test_id("draw-LineSegments").click()
            click_at(page, -0.3, -0.6)
            click_at(page, -0.3, 0.6)
            page.get_by_test_id("add-line-LineSegments").click()
            click_at(page, 0.3, -0.6)
            click_at(page, 0.3, 0.6)
            drawn = page.get_by_test_id("analytics-svg").locator("g.selected polyline")
            expect(drawn).to_have_count(2)  # the rule being edited, both lines
            page.get_by_test_id("rule-save").click()
            expect(page.get_by_test_id("analytics-message")).to_contain_text(
                "created on the camera"
            )
            held = {r.name: r for r in camera.config("Analytics", TOKEN).rules}
            assert held["Gates"].elements["LineSegments"].count("Segment>") == 4  # 2 segments

            # A declarative motion rule: the expression is checked before it is sent.
            kind = object_class(walker)
            page.get_by_test_id("rule-type").select_option(label="Declarative motion detector")
            page.get_by_test_id("rule-new").click()
            page.get_by_test_id("rule-name").fill("Walkers")
            page.get_by_test_id("draw-Field").click()
            for x, y in ((-0.6, -0.4), (0.6, -0.4), (0.6, 0.4), (-0.6, 0.4)):
                click_at(page, x, y)
            page.get_by_test_id("expression-MotionExpression").fill("Appearance/Class/Type =")
            page.get_by_test_id("rule-save").click()
            expect(page.get_by_test_id("analytics-message")).to_contain_text(
                "MotionExpression is not an XPath expression"
            )
            assert "Walkers" not in {r.name for r in camera.config("Analytics", TOKEN).rules}
            page.get_by_test_id("expression-MotionExpression").fill(
                f"Appearance/Class/Type = '{kind}' and Behaviour/Speed > 0.1"
            )
            page.get_by_test_id("rule-save").click()
            expect(page.get_by_test_id("analytics-message")).to_contain_text(
                "created on the camera"
            )

            # Both fire as the walker goes by.
            wait = walker.period + 5  # a walk over both lines and through the field
            until(lambda: len(in_thread(rule_events, device, "Gates")) >= 2, within=wait)
            counts = [int(e.data["Count"]) for e in in_thread(rule_events, device, "Gates")]
            assert counts == sorted(counts) and counts[0] >= 1
            until(lambda: bool(in_thread(rule_events, device, "Walkers")), within=wait)
            matched = in_thread(rule_events, device, "Walkers")[0]
            assert matched.topic == "tns1:RuleEngine/DeclarativeMotionDetector/MotionMatched"
            assert matched.key == {"ObjectId": str(walker.object_id)}

            page.goto(f"{asgi_url}/devices/{device.pk}/rules/Walkers/")
            expect(page.get_by_test_id("rule-expression")).to_have_text(
                f"Appearance/Class/Type = '{kind}' and Behaviour/Speed > 0.1"
            )
            expect(page.get_by_test_id("rule-event").first).to_contain_text("Motion matched")
