"""The notification socket, through the real Redis channel layer."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async as sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from frontend.notify import notify_group, user_group
from frontend.roles import Role
from tests.factories import UserFactory
from vms.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def session_cookie(role: Role) -> tuple[int, bytes]:
    user = UserFactory(role=role)
    client = Client()
    client.force_login(user)
    return user.pk, f"sessionid={client.cookies['sessionid'].value}".encode()


async def connect(cookie: bytes) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(
        application,
        "/ws/notifications/",
        headers=[(b"origin", b"http://127.0.0.1"), (b"host", b"127.0.0.1"), (b"cookie", cookie)],
    )
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    return communicator


async def test_the_channel_layer_is_redis() -> None:
    layer = get_channel_layer()
    assert type(layer).__module__ == "channels_redis.core"
    assert settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"] == [settings.REDIS_URL]


async def test_a_message_sent_to_a_users_group_reaches_their_socket_through_redis() -> None:
    user_id, cookie = await session_cookie(Role.VIEWER)
    communicator = await connect(cookie)
    try:
        await notify_group(user_group(user_id), {"type": "device.status", "status": "online"})
        assert await communicator.receive_json_from(timeout=5) == {
            "type": "device.status",
            "status": "online",
        }
    finally:
        await communicator.disconnect()


async def test_ping_is_answered() -> None:
    _, cookie = await session_cookie(Role.OPERATOR)
    communicator = await connect(cookie)
    await communicator.send_json_to({"type": "ping", "id": 7})
    assert await communicator.receive_json_from(timeout=5) == {"type": "pong", "id": 7}
    await communicator.disconnect()


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ("{not json", "must be JSON objects"),
        ("[1, 2]", "must be JSON objects"),
        ('{"type": "launch"}', "Unknown message type 'launch'"),
    ],
)
async def test_a_broken_message_gets_a_clear_error_and_the_socket_stays_usable(
    sent: str, expected: str
) -> None:
    _, cookie = await session_cookie(Role.VIEWER)
    communicator = await connect(cookie)
    await communicator.send_to(text_data=sent)
    reply: dict[str, Any] = await communicator.receive_json_from(timeout=5)
    assert reply["type"] == "error"
    assert expected in reply["message"]
    await communicator.send_json_to({"type": "ping", "id": 1})
    assert (await communicator.receive_json_from(timeout=5))["type"] == "pong"
    await communicator.disconnect()


async def test_a_message_for_one_user_does_not_reach_another() -> None:
    first_id, first_cookie = await session_cookie(Role.VIEWER)
    _, second_cookie = await session_cookie(Role.VIEWER)
    first, second = await connect(first_cookie), await connect(second_cookie)
    await notify_group(user_group(first_id), {"type": "private"})
    assert (await first.receive_json_from(timeout=5))["type"] == "private"
    assert await second.receive_nothing(timeout=0.5)
    await first.disconnect()
    await second.disconnect()


async def test_an_idle_socket_still_receives_after_the_redis_blocking_timeout() -> None:
    # channels_redis waits on Redis with a 5 s blocking pop; redis-py 8 turned that idle wait
    # into a TimeoutError that killed the socket (redis pinned to 7.4 for that reason).
    user_id, cookie = await session_cookie(Role.VIEWER)
    communicator = await connect(cookie)
    assert await communicator.receive_nothing(timeout=7)
    await notify_group(user_group(user_id), {"type": "late"})
    assert (await communicator.receive_json_from(timeout=5))["type"] == "late"
    await communicator.disconnect()
