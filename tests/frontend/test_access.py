"""Walk every URL pattern and WebSocket route: anonymous users are refused everywhere, and
each role gets exactly what its permissions allow."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from frontend.access import LOGIN, PUBLIC
from frontend.roles import ROLE_PERMISSIONS, Role
from vms.api import API
from vms.asgi import application
from vms.routing import websocket_urlpatterns

SAMPLE_ARGS = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000001"}
PUBLIC_BY_DESIGN = {"login", "healthz", "metrics"}  # these check login or a token themselves


def concrete_path(route: str) -> str:
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_ARGS[m.group(1) or "str"], route)


def walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, route)
        else:
            yield route, pattern


URLS = [(concrete_path(route), pattern) for route, pattern in walk(get_resolver().url_patterns)]
IDS = [pattern.name or route for route, pattern in URLS]


def test_every_view_declares_who_may_use_it() -> None:
    undeclared = [p.name for _, p in URLS if not hasattr(p.callback, "access")]
    assert undeclared == []
    public = {p.name for _, p in URLS if p.callback.access == PUBLIC}
    assert public == PUBLIC_BY_DESIGN


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "pattern"), URLS, ids=IDS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_users_are_refused(path: str, pattern: URLPattern, method: str) -> None:
    response = getattr(Client(), method)(path)
    if pattern.name == "login":
        assert response.status_code in (200, 403)  # the form, or CSRF refusal of a bare POST
    elif pattern.name in ("healthz", "metrics"):
        assert response.status_code == 401
        assert "Sign in" in response.json()["error"]
    elif pattern.callback.access == API:
        assert response.status_code in (401, 405)  # JSON refusal (405: no such method there)
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("path", "pattern"), URLS, ids=IDS)
def test_each_role_gets_what_its_permissions_allow(
    role: Role, path: str, pattern: URLPattern, client_for: Any
) -> None:
    from tests.factories import UserFactory

    user = UserFactory(role=role)
    response = client_for(user).get(path)
    access = pattern.callback.access
    if access == API:
        return  # the API checks permissions per operation: tests/cameras/test_api.py
    allowed = access in (PUBLIC, LOGIN) or access in ROLE_PERMISSIONS[role]
    if allowed:
        assert response.status_code not in (401, 403), (role, path)
        assert not response.get("Location", "").startswith("/login/"), (role, path)
    else:
        assert response.status_code == 403, (role, path)
        assert "Your role does not allow" in response.content.decode()


@pytest.mark.django_db
def test_a_viewer_is_refused_the_admin_pages_and_their_actions(
    viewer: User, client_for: Any
) -> None:
    client = client_for(viewer)
    assert client.get("/settings/users/").status_code == 403
    response = client.post(
        "/settings/users/", {"username": "mallory", "password1": "x" * 12, "password2": "x" * 12}
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="mallory").exists()
    assert client.post(f"/settings/users/{viewer.pk}/", {"role": "admin"}).status_code == 403


def ws_paths() -> list[str]:
    return [concrete_path(str(p.pattern)) for p in websocket_urlpatterns]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ws_paths())
async def test_anonymous_websockets_are_refused(path: str) -> None:
    communicator = WebsocketCommunicator(
        application, path, headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1")]
    )
    connected, code = await communicator.connect(timeout=5)
    assert not connected
    assert code == 4401
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ws_paths())
async def test_websockets_from_foreign_origins_are_refused(path: str) -> None:
    communicator = WebsocketCommunicator(
        application, path, headers=[(b"origin", b"http://evil.example"), (b"host", b"127.0.0.1")]
    )
    connected, _ = await communicator.connect(timeout=5)
    assert not connected
    await communicator.disconnect()
