"""/api/docs works offline: Swagger UI's scripts and styles come from this server."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, Route, expect

from tests.frontend.live_fleet import sign_in_as

ASSET = re.compile(r'(?:src|href)="([^"]+)"')


@pytest.mark.django_db
def test_the_docs_page_loads_every_asset_from_this_server(viewer: Any) -> None:
    client = Client()
    client.force_login(viewer)
    page = client.get("/api/docs")
    assert page.status_code == 200
    assets = ASSET.findall(page.content.decode())
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    external = [a for a in assets if re.match(r"^(https?:)?//", a)]
    assert external == []
    for asset in assets:
        answer = client.get(asset)
        assert answer.status_code == 200, asset
        b"".join(answer.streaming_content if answer.streaming else [answer.content])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_with_no_network_but_ours(page: Page, asgi_url: str) -> None:
    blocked: list[str] = []

    def only_ours(route: Route) -> None:
        if route.request.url.startswith(asgi_url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", only_ours)
    sign_in_as(page, asgi_url, "vic", "viewer")
    page.goto(f"{asgi_url}/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("VMS API", timeout=15_000)
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    assert blocked == []
