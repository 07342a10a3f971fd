"""Inputs and outputs in Debian's Chromium: an operator switches a relay of the simulator,
the camera's relay event comes back through the events pipeline to the page and to the
events page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from frontend.roles import Role
from tests.cameras.conftest import ThreadedFleet, add_synced
from tests.events.conftest import events_runner, wait_for_subscription
from tests.frontend.live_fleet import in_thread, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_an_operator_switches_a_relay_and_its_event_reaches_the_events_page(
    page: Page, asgi_url: str
) -> None:
    with ThreadedFleet() as cameras:
        camera = cameras["audio-cam"]
        device = in_thread(add_synced, camera)
        with events_runner():
            wait_for_subscription(device)
            sign_in_as(page, asgi_url, "otto", Role.OPERATOR)
            page.goto(f"{asgi_url}/devices/{device.pk}/")
            page.get_by_test_id("device-io").click()
            relays = page.get_by_test_id("relays")
            row = relays.locator('tr[data-token="Relay_2"]')
            # The states the camera sent at subscription (Initialized) are known.
            expect(row.get_by_test_id("relay-state")).to_have_text("inactive", timeout=10_000)
            expect(relays.get_by_test_id("relay-settings")).to_have_count(0)  # admins only

            row.get_by_role("button", name="Activate", exact=True).click()
            expect(page.locator(".flash-success")).to_contain_text("Relay_2 activated")
            assert camera.relays[1].active
            expect(row.get_by_test_id("relay-state")).to_have_text("active", timeout=10_000)
            page.screenshot(path=SHOTS / "device-io.png", full_page=True)

            page.get_by_role("link", name="Events").first.click()
            feed = page.get_by_test_id("alarm-feed")
            item = feed.locator("li", has_text="Relay").filter(has_text="on").first
            expect(item).to_contain_text(device.name)
