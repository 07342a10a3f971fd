"""The events socket: users join the groups of the cameras they may see, and get batches."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from cameras.models import Device
from events import live
from tests.factories import UserFactory
from vms.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)


@database_sync_to_async
def cookie_for(role: str | None) -> bytes:
    user = UserFactory(role=role) if role else UserFactory()
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def socket(role: str | None) -> WebsocketCommunicator:
    headers = [
        (b"origin", b"http://127.0.0.1"),
        (b"host", b"127.0.0.1"),
        (b"cookie", await cookie_for(role)),
    ]
    return WebsocketCommunicator(application, "/ws/events/", headers=headers)


async def test_viewers_get_the_events_of_a_camera() -> None:
    device = await Device.objects.acreate(host="192.0.2.60", port=80, username="a")
    communicator = await socket("viewer")
    assert (await communicator.connect(timeout=5))[0]
    await live.send_events({device.pk: [{"id": 1, "name": "Line crossed"}]})
    message = await communicator.receive_json_from(timeout=5)
    assert message == {"type": "events", "events": [{"id": 1, "name": "Line crossed"}]}
    await live.send_subscription(device.pk, {"device": device.pk, "status": "active"})
    message = await communicator.receive_json_from(timeout=5)
    assert message["type"] == "subscription"
    await communicator.disconnect()


async def test_users_without_a_role_are_refused() -> None:
    communicator = await socket(None)
    connected, code = await communicator.connect(timeout=5)
    assert not connected
    assert code == 4403
    await communicator.disconnect()
