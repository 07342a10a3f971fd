"""The Content-Security-Policy on every response, and pages that keep to it in Chromium: no
inline script or style, no other origin; WebSockets only to the page's own host."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.frontend.live_fleet import live_fleet, sign_in_as

EXPECTED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "media-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def policy(header: str) -> dict[str, list[str]]:
    directives = [d.split() for d in header.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/login/", "/", "/api/devices", "/no/such/page/", "/static/frontend/css/vms.css", "/healthz"],
)
def test_every_response_carries_the_policy(path: str, viewer: Any) -> None:
    client = Client()
    if path != "/login/":
        client.force_login(viewer)
    response = client.get(path)
    header = response.headers.get("Content-Security-Policy", "")
    found = policy(header)
    assert {name: found.get(name) for name in EXPECTED} == EXPECTED, header
    # WebSockets: the page's own host only (ws: here, wss: behind HTTPS).
    assert found["connect-src"] == ["'self'", "ws://testserver"]


@pytest.mark.django_db
def test_over_https_sockets_must_use_wss(viewer: Any) -> None:
    client = Client()
    client.force_login(viewer)
    response = client.get("/", secure=True)
    connect = policy(response.headers["Content-Security-Policy"])["connect-src"]
    assert connect == ["'self'", "wss://testserver"]


RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} ` +
                            `in ${e.sourceFile || document.location.pathname}:${e.lineNumber}`);
});
"""


def violations(page: Page, console: list[str]) -> list[str]:
    found: list[str] = page.evaluate("window.cspViolations")
    return found + [text for text in console if "Content Security Policy" in text]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_pages_keep_to_the_policy_in_chromium(page: Page, asgi_url: str) -> None:
    console: list[str] = []
    page.on("console", lambda message: console.append(_text(message)))
    page.add_init_script(RECORD_VIOLATIONS)
    with live_fleet("gw-csp", ("ptz-dome",)) as (_, _, devices):
        sign_in_as(page, asgi_url, "ada", "admin")
        expect(page.get_by_test_id("tile").first).to_have_attribute(
            "data-state", "live", timeout=20_000
        )
        page.wait_for_timeout(1500)  # overlays, PTZ controls, the status strip's htmx poll
        seen = {"/": violations(page, console)}
        device = devices["ptz-dome"]
        for path in (
            "/devices/",
            f"/devices/{device.pk}/",
            "/events/",
            "/settings/",
            "/settings/users/",
            "/ptz/audit/",
            "/api/docs",
        ):
            console.clear()
            page.goto(asgi_url + path)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
            seen[path] = violations(page, console)
    assert {path: found for path, found in seen.items() if found} == {}


def _text(message: ConsoleMessage) -> str:
    return f"{message.type}: {message.text} ({message.location.get('url', '')})"
