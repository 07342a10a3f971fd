"""The WebSocket layer every socket shares: the Origin check (scheme, host and port, as Django's
CSRF check) and JSON framing (binary, oversize, non-object messages, a handler that fails).

Most tests talk to the real server (uvicorn, fixture asgi_url) with the `websockets` client, the
way a browser (or an attacker's page) would.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import path
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus

from frontend.roles import Role
from tests.factories import UserFactory
from vms.asgi import application
from vms.websocket import MAX_MESSAGE_BYTES, JsonConsumer, OriginValidator

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def session_cookie(role: Role = Role.VIEWER) -> str:
    client = Client()
    client.force_login(UserFactory(role=role))
    return f"sessionid={client.cookies['sessionid'].value}"


def ws_url(asgi_url: str, route: str = "/ws/notifications/") -> str:
    return asgi_url.replace("http://", "ws://") + route


async def open_socket(asgi_url: str, origin: str | None, cookie: str) -> ClientConnection:
    return await connect(
        ws_url(asgi_url),
        origin=origin,  # type: ignore[arg-type]
        additional_headers={"Cookie": cookie},
        open_timeout=5,
    )


async def next_message(socket: ClientConnection) -> dict[str, Any]:
    reply: dict[str, Any] = json.loads(await socket.recv(decode=True))
    return reply


async def assert_still_usable(socket: ClientConnection) -> None:
    await socket.send(json.dumps({"type": "ping", "id": 9}))
    assert await next_message(socket) == {"type": "pong", "id": 9}


# -- Origin ----------------------------------------------------------------------------------


async def test_the_pages_own_origin_is_accepted(asgi_url: str) -> None:
    socket = await open_socket(asgi_url, asgi_url, await session_cookie())
    async with socket:
        await assert_still_usable(socket)


@pytest.mark.parametrize(
    "origin",
    [
        "http://127.0.0.1:1",  # same host, another port: another site
        "https://{netloc}",  # same host and port, another scheme
        "http://evil.example",
        "null",  # sandboxed frames and file: pages
        None,  # no Origin at all
    ],
)
async def test_other_origins_are_refused_at_the_handshake(
    asgi_url: str, origin: str | None
) -> None:
    if origin is not None:
        origin = origin.format(netloc=urlsplit(asgi_url).netloc)
    with pytest.raises(InvalidStatus) as refused:
        await open_socket(asgi_url, origin, await session_cookie())
    assert refused.value.response.status_code == 403


async def origin_check(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether the real application accepts this handshake (in process, signed in)."""
    cookie = (await session_cookie()).encode()
    communicator = WebsocketCommunicator(
        application, "/ws/notifications/", headers=[*headers, (b"cookie", cookie)]
    )
    connected, _ = await communicator.connect(timeout=5)
    await communicator.disconnect()
    return connected


async def test_an_origin_in_csrf_trusted_origins_is_accepted(settings: Any) -> None:
    """Behind a TLS proxy the page's origin differs from what the web process sees."""
    settings.CSRF_TRUSTED_ORIGINS = ["https://vms.example.org", "https://*.cams.example.org"]
    behind_proxy = [(b"host", b"127.0.0.1:8000")]
    assert await origin_check([*behind_proxy, (b"origin", b"https://vms.example.org")])
    assert await origin_check([*behind_proxy, (b"origin", b"https://a.cams.example.org")])
    assert not await origin_check([*behind_proxy, (b"origin", b"http://vms.example.org")])
    assert not await origin_check([*behind_proxy, (b"origin", b"https://vms.example.org:444")])


async def test_a_host_outside_allowed_hosts_is_refused_even_with_a_matching_origin() -> None:
    """DNS rebinding: evil.example resolving to this host must not pass as same-origin."""
    assert await origin_check([(b"host", b"127.0.0.1:8000"), (b"origin", b"http://127.0.0.1:8000")])
    assert not await origin_check([(b"host", b"evil.example"), (b"origin", b"http://evil.example")])


def test_the_application_uses_the_port_aware_origin_check() -> None:
    websocket_app = application.application_mapping["websocket"]
    assert isinstance(websocket_app, OriginValidator)


# -- JSON framing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (b'{"type": "ping"}', "JSON text messages"),  # a binary frame
        (b"\xff\xfe\x00garbage", "JSON text messages"),  # binary, and not UTF-8 either
        ("x" * (MAX_MESSAGE_BYTES + 1), "too large"),
        ("[1, 2]", "JSON objects"),
        ("42", "JSON objects"),
        ("null", "JSON objects"),
        ("{not json", "JSON objects"),
    ],
)
async def test_a_malformed_message_gets_an_error_in_words_and_the_socket_stays_open(
    asgi_url: str, frame: str | bytes, expected: str
) -> None:
    socket = await open_socket(asgi_url, asgi_url, await session_cookie())
    async with socket:
        await socket.send(frame)
        reply = await next_message(socket)
        assert reply["type"] == "error"
        assert expected in reply["message"]
        await assert_still_usable(socket)


async def test_a_text_frame_that_is_not_utf8_closes_with_the_protocols_code(
    asgi_url: str,
) -> None:
    """RFC 6455 makes the server fail such a connection (1007) before the VMS sees it; a browser
    cannot send one (its strings are always sent as valid UTF-8)."""
    socket = await open_socket(asgi_url, asgi_url, await session_cookie())
    async with socket:
        await socket.send(b"\xff\xfe", text=True)
        await socket.wait_closed()
    assert socket.close_code == 1007


class Faulty(JsonConsumer):
    """A consumer whose handler fails the way a bug would."""

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})
            return
        raise RuntimeError("internal detail: password=hunter2 at db.internal:5432")

    async def thing_happened(self, event: dict[str, Any]) -> None:
        raise KeyError("missing")


async def faulty_socket() -> WebsocketCommunicator:
    app = URLRouter([path("ws/faulty/", Faulty.as_asgi())])
    user = await database_sync_to_async(UserFactory)(role=Role.VIEWER)
    communicator = WebsocketCommunicator(app, "/ws/faulty/")
    communicator.scope["user"] = user
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    return communicator


async def test_a_failing_handler_is_logged_and_the_browser_gets_a_generic_message(
    caplog: pytest.LogCaptureFixture,
) -> None:
    communicator = await faulty_socket()
    with caplog.at_level(logging.ERROR, logger="vms.websocket"):
        await communicator.send_json_to({"type": "boom"})
        reply = await communicator.receive_json_from(timeout=5)
    assert reply == {
        "type": "error",
        "message": "Something went wrong on the server handling that message; it was logged.",
    }
    assert "hunter2" not in json.dumps(reply)
    logged = [r for r in caplog.records if r.name == "vms.websocket"]
    assert logged and logged[0].exc_info is not None
    assert "Faulty" in logged[0].getMessage()
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from(timeout=5) == {"type": "pong"}
    await communicator.disconnect()


async def test_a_failing_channel_layer_handler_is_logged_and_the_socket_stays_open(
    caplog: pytest.LogCaptureFixture,
) -> None:
    communicator = await faulty_socket()
    with caplog.at_level(logging.ERROR, logger="vms.websocket"):
        await communicator.send_input({"type": "thing.happened"})
        assert await communicator.receive_nothing(timeout=0.5)
    assert any(r.exc_info for r in caplog.records if r.name == "vms.websocket")
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from(timeout=5) == {"type": "pong"}
    await communicator.disconnect()
