"""An admin adds a virtual camera in Chromium and watches the sync finish."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from frontend.roles import Role
from simulator.camera import Camera
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_adds_a_camera_and_sees_it_synced(
    page: Page, asgi_url: str, celery_worker: Any, threaded_fleet: dict[str, Camera]
) -> None:
    camera = threaded_fleet["ptz-dome"]
    UserFactory(username="ada", role=Role.ADMIN)
    page.goto(f"{asgi_url}/devices/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Add camera").click()
    page.get_by_label("Address").fill(camera.host)
    page.get_by_label("HTTP port").fill(str(camera.port))
    page.get_by_label("Username").fill("admin")
    page.locator("input[name=password]").fill("admin")
    page.get_by_role("button", name="Add camera").click()
    expect(page.get_by_test_id("device-status")).to_have_text("Online", timeout=30_000)
    expect(page.get_by_role("heading", name="ptz-dome")).to_be_visible()  # its own name
    expect(page.get_by_test_id("profiles")).to_contain_text("rtsp://127.0.0.1:")
    expect(page.get_by_text("Entrance")).to_be_visible()  # a PTZ preset
    page.get_by_role("link", name="Devices").click()
    expect(page.get_by_test_id("device-row")).to_contain_text("Online")


def test_a_wrong_password_is_shown_in_words_with_the_way_out(
    page: Page, asgi_url: str, celery_worker: Any, threaded_fleet: dict[str, Camera]
) -> None:
    camera = threaded_fleet["bullet-analytics"]
    UserFactory(username="ada", role=Role.ADMIN)
    page.goto(f"{asgi_url}/devices/add/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Address").fill(camera.host)
    page.get_by_label("HTTP port").fill(str(camera.port))
    page.get_by_label("Username").fill("admin")
    page.locator("input[name=password]").fill("not-the-password")
    page.get_by_role("button", name="Add camera").click()
    expect(page.get_by_test_id("device-status")).to_have_text("Needs credentials", timeout=30_000)
    expect(page.get_by_test_id("last-error")).to_contain_text("refused the username or password")
    expect(page.get_by_role("link", name="Enter the right credentials")).to_be_visible()
