"""A person signs in with Debian's Chromium and sees the dashboard (served by uvicorn)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from frontend.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/")
    expect(page).to_have_url(f"{base_url}/login/?next=/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_an_operator_signs_in_and_sees_the_dashboard(page: Page, asgi_url: str) -> None:
    UserFactory(username="olga", role=Role.OPERATOR)
    sign_in(page, asgi_url, "olga", PASSWORD)
    expect(page).to_have_url(f"{asgi_url}/")
    expect(page.get_by_role("heading", name="Live")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    for item in ("Live", "Devices", "Events", "Settings"):
        expect(nav.get_by_role("link", name=item)).to_be_visible()
    expect(page.get_by_test_id("signed-in-user")).to_have_text("olga")
    expect(page.get_by_test_id("role")).to_have_text("Operator")
    # htmx loaded the service status; the notification WebSocket is open through Redis.
    expect(page.get_by_label("Service status")).to_contain_text("Database OK")
    expect(page.locator("#socket-state")).to_have_attribute("data-state", "open")


def test_a_wrong_password_is_explained_and_nothing_else_happens(page: Page, asgi_url: str) -> None:
    UserFactory(username="vic", role=Role.VIEWER)
    sign_in(page, asgi_url, "vic", "not the password")
    expect(page.get_by_role("alert")).to_contain_text("Wrong username or password")
    expect(page.get_by_label("Username")).to_have_value("vic")


def test_signing_out_returns_to_the_login_page(page: Page, asgi_url: str) -> None:
    UserFactory(username="ada", role=Role.ADMIN)
    sign_in(page, asgi_url, "ada", PASSWORD)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{asgi_url}/login/")
    page.goto(f"{asgi_url}/settings/users/")
    expect(page).to_have_url(f"{asgi_url}/login/?next=/settings/users/")
