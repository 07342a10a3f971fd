"""A rule fires at a virtual camera and the alarm reaches the browser's live feed in time."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection
from playwright.sync_api import Page, expect

from events.models import Subscription
from frontend.roles import Role
from simulator.camera import Camera
from tests.events.conftest import events_runner, wait_for
from tests.events.test_subscriptions import CROSSED, add
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """() => {
  window.arrivals = [];
  new MutationObserver((changes) => {
    for (const change of changes)
      for (const node of change.addedNodes)
        if (node.textContent && node.textContent.includes("Line crossed"))
          window.arrivals.push(Date.now() / 1000);
  }).observe(document.getElementById("alarm-feed"), { childList: true });
}"""


def test_a_line_crossing_reaches_the_live_feed_within_two_seconds(
    page: Page, asgi_url: str, threaded_fleet: dict[str, Camera]
) -> None:
    camera = threaded_fleet["bullet-analytics"]
    published: list[float] = []
    publish = camera.runtime.events.publish

    def spy(topic: str, *args: Any, **kwargs: Any) -> Any:
        if topic == CROSSED:
            published.append(time.time())
        return publish(topic, *args, **kwargs)

    camera.runtime.events.publish = spy  # type: ignore[method-assign]
    with ThreadPoolExecutor(1) as orm:
        device = orm.submit(add, camera).result()
        UserFactory(username="vera", role=Role.VIEWER)
        with events_runner():
            wait_for(
                lambda: orm.submit(
                    lambda: Subscription.objects.filter(
                        device=device, status=Subscription.Status.ACTIVE
                    ).exists()
                ).result(),
                30,
                "an active subscription",
            )
            page.goto(f"{asgi_url}/events/")
            page.get_by_label("Username").fill("vera")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_test_id("alarm-feed")).to_have_attribute("data-socket", "open")
            page.evaluate(WATCH)
            watching = time.time()
            page.wait_for_function("() => window.arrivals.length > 0", timeout=20_000)
            arrived = page.evaluate("() => window.arrivals[0]")
        orm.submit(lambda: connection.close()).result()
    assert arrived >= watching
    fired = max(t for t in published if t <= arrived + 0.01)
    assert arrived - fired < 2.0, f"{arrived - fired:.3f} s from the line crossing to the feed"
    expect(page.get_by_test_id("alarm-feed")).to_contain_text("bullet-analytics")
