"""A user an admin disables, deletes or gives a new password is signed out at once: their
sessions end and every socket they have open on the real server closes with 4401."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx
import pytest
from channels.db import database_sync_to_async
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import Client
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus

from frontend.roles import Role
from frontend.signout import close_sockets
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
ROUTES = ("/ws/stream/", "/ws/notifications/")


@database_sync_to_async
def signed_in(role: Role) -> tuple[User, str]:
    user = UserFactory(role=role)
    client = Client()
    client.force_login(user)
    return user, client.cookies["sessionid"].value


@database_sync_to_async
def sessions_of(user: User) -> int:
    return sum(1 for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(user.pk))


async def sockets(asgi_url: str, session: str) -> list[ClientConnection]:
    base = asgi_url.replace("http://", "ws://")
    return [
        await connect(
            base + route, origin=asgi_url, additional_headers={"Cookie": f"sessionid={session}"}
        )  # type: ignore[arg-type]
        for route in ROUTES
    ]


async def admin_client(asgi_url: str, page: str) -> tuple[httpx.AsyncClient, str]:
    """The admin's browser on the real server, and the CSRF token of `page`."""
    _, session = await signed_in(Role.ADMIN)
    client = httpx.AsyncClient(base_url=asgi_url, cookies={"sessionid": session}, timeout=10)
    form = (await client.get(page)).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None, form
    return client, token[1]


async def closed_within_a_second(socket: ClientConnection) -> tuple[int | None, str | None]:
    await asyncio.wait_for(socket.wait_closed(), timeout=1)
    return socket.close_code, socket.close_reason


async def assert_signed_out(asgi_url: str, victim: User, session: str, opened: list[Any]) -> None:
    for socket in opened:
        code, reason = await closed_within_a_second(socket)
        assert code == 4401
        assert reason
    assert await sessions_of(victim) == 0
    with pytest.raises(InvalidStatus):  # and they cannot come back with the old session
        await sockets(asgi_url, session)


async def test_sockets_close_at_once_when_an_admin_disables_the_user(asgi_url: str) -> None:
    viewer, session = await signed_in(Role.VIEWER)
    opened = await sockets(asgi_url, session)
    page = f"/settings/users/{viewer.pk}/"
    admin, token = await admin_client(asgi_url, page)
    try:
        answer = await admin.post(page, data={"role": "viewer", "csrfmiddlewaretoken": token})
    finally:
        await admin.aclose()
    assert answer.status_code == 302, answer.text
    await assert_signed_out(asgi_url, viewer, session, opened)
    assert "disabled" in (opened[0].close_reason or "")


async def test_sockets_close_at_once_when_an_admin_sets_a_new_password(asgi_url: str) -> None:
    viewer, session = await signed_in(Role.VIEWER)
    opened = await sockets(asgi_url, session)
    page = f"/settings/users/{viewer.pk}/"
    admin, token = await admin_client(asgi_url, page)
    body = {
        "role": "viewer",
        "is_active": "on",
        "new_password": "a brand new pass phrase",
        "csrfmiddlewaretoken": token,
    }
    try:
        answer = await admin.post(page, data=body)
    finally:
        await admin.aclose()
    assert answer.status_code == 302, answer.text
    await assert_signed_out(asgi_url, viewer, session, opened)
    assert await database_sync_to_async(Client().login)(
        username=viewer.username, password="a brand new pass phrase"
    )


async def test_sockets_close_at_once_when_an_admin_deletes_the_user(asgi_url: str) -> None:
    viewer, session = await signed_in(Role.VIEWER)
    opened = await sockets(asgi_url, session)
    admin, token = await admin_client(asgi_url, f"/settings/users/{viewer.pk}/")
    try:
        answer = await admin.post(
            f"/settings/users/{viewer.pk}/delete/", data={"csrfmiddlewaretoken": token}
        )
    finally:
        await admin.aclose()
    assert answer.status_code == 302, answer.text
    assert not await User.objects.filter(pk=viewer.pk).aexists()
    await assert_signed_out(asgi_url, viewer, session, opened)


async def test_changing_ones_own_password_closes_ones_other_sockets(asgi_url: str) -> None:
    """A stolen session keeps nothing once the owner changes the password."""
    viewer, stolen = await signed_in(Role.VIEWER)
    opened = await sockets(asgi_url, stolen)
    owner = Client()
    await database_sync_to_async(owner.force_login)(viewer)
    answer = await database_sync_to_async(owner.post)(
        "/settings/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "another long pass phrase",
            "new_password2": "another long pass phrase",
        },
    )
    assert answer.status_code == 302
    for socket in opened:
        assert (await closed_within_a_second(socket))[0] == 4401
    assert (await database_sync_to_async(owner.get)("/settings/")).status_code == 200


@pytest.mark.parametrize("action", ["disable", "delete"])
def test_admins_cannot_disable_or_delete_themselves(
    action: str, admin: User, client_for: Any
) -> None:
    UserFactory(role=Role.ADMIN)  # not the last admin: the rule at stake is "not yourself"
    client = client_for(admin)
    if action == "disable":
        answer = client.post(f"/settings/users/{admin.pk}/", {"role": "admin"})
        assert "cannot deactivate your own" in answer.content.decode()
    else:
        answer = client.post(f"/settings/users/{admin.pk}/delete/", follow=True)
        assert "cannot delete your own" in answer.content.decode()
    assert User.objects.filter(pk=admin.pk, is_active=True).exists()


def test_a_weak_new_password_is_refused_with_the_reason(
    admin: User, viewer: User, client_for: Any
) -> None:
    answer = client_for(admin).post(
        f"/settings/users/{viewer.pk}/",
        {"role": "viewer", "is_active": "on", "new_password": "123"},
    )
    assert answer.status_code == 200
    assert "too short" in answer.content.decode()
    assert Client().login(username=viewer.username, password=PASSWORD)


async def test_sockets_close_when_signed_out_from_a_thread_running_an_event_loop(
    asgi_url: str,
) -> None:
    """As when a browser test (Playwright's loop in the thread) disables a user directly."""
    viewer, session = await signed_in(Role.VIEWER)
    opened = await sockets(asgi_url, session)
    close_sockets(viewer.pk, "Your account was disabled: ask an admin.")  # a plain call, no await
    for socket in opened:
        assert (await closed_within_a_second(socket))[0] == 4401
