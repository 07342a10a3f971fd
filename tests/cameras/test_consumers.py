"""Signalling over /ws/stream/: clear errors for every bad message, nothing breaks."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async as sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from cameras.models import Device
from tests.factories import UserFactory
from vms.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def cookie_for(role: str | None) -> bytes:
    user = UserFactory(role=role) if role else UserFactory()
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


@sync_to_async
def playable_device() -> int:
    device = Device.objects.create(host="192.0.2.50", port=80, username="a", status="online")
    device.profiles.create(
        token="main", name="Main", encoding="H264", stream_uri="rtsp://192.0.2.50/main"
    )
    return device.pk


async def socket(role: str | None = "viewer") -> WebsocketCommunicator:
    headers = [
        (b"origin", b"http://127.0.0.1"),
        (b"host", b"127.0.0.1"),
        (b"cookie", await cookie_for(role)),
    ]
    return WebsocketCommunicator(application, "/ws/stream/", headers=headers)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("not json", 'Send {"type": "offer"'),
        ('{"type": "offer", "device": 999999, "sdp": "v=0"}', "no playable stream"),
        ('{"type": "offer", "device": "1; drop table", "sdp": "v=0"}', "no playable stream"),
        ('{"type": "offer", "device": 1}', 'Send {"type": "offer"'),
        ('{"type": "dance"}', 'Send {"type": "offer"'),
    ],
)
async def test_bad_messages_get_a_clear_error_and_the_socket_stays_open(
    message: str, expected: str
) -> None:
    communicator = await socket()
    assert (await communicator.connect(timeout=5))[0]
    await communicator.send_to(text_data=message)
    reply: dict[str, Any] = await communicator.receive_json_from(timeout=5)
    assert reply["type"] == "error"
    assert expected in reply["message"]
    await communicator.send_to(text_data='{"type": "close"}')
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()


async def test_without_a_gateway_the_viewer_is_told_so() -> None:
    import redis.asyncio as aioredis
    from django.conf import settings

    from cameras.streams import ALIVE

    client = aioredis.Redis.from_url(settings.REDIS_URL)
    for key in [k async for k in client.scan_iter(match=ALIVE + "*")]:
        await client.delete(key)  # leftovers of killed test gateways
    await client.aclose()
    device = await playable_device()
    communicator = await socket()
    await communicator.connect(timeout=5)
    await communicator.send_json_to({"type": "offer", "device": device, "sdp": "v=0"})
    reply = await communicator.receive_json_from(timeout=5)
    assert reply == {
        "type": "error",
        "message": "No stream gateway is running, so live video is unavailable. "
        "Start it (manage.py gateway; make run starts one).",
        "fallback": True,
    }
    await communicator.disconnect()


async def test_a_user_without_a_role_may_not_watch() -> None:
    communicator = await socket(role=None)
    connected, code = await communicator.connect(timeout=5)
    assert not connected
    assert code == 4403
