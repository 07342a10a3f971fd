"""The events socket: users join the groups of the cameras they may see, and get batches."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone

from cameras.models import Device
from events import live, services
from events.models import Event
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
    assert await communicator.receive_json_from(timeout=5) == {"type": "unacknowledged", "count": 0}
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


@database_sync_to_async
def alarms(device: Device, *states: bool | None) -> list[Event]:
    now = timezone.now()
    return [
        Event.objects.create(device=device, topic="t", name="Alarm", state=s, received=now)
        for s in states
    ]


async def test_every_viewer_hears_of_acknowledgements_with_the_new_count() -> None:
    """An operator acknowledges (one or several): every viewer of the cameras is told which,
    by whom, with what comment, and how many alarms are still unacknowledged."""
    device = await Device.objects.acreate(host="192.0.2.61", port=80, username="a")
    first, second, third, off = await alarms(device, True, None, None, False)
    viewer = await socket("viewer")
    assert (await viewer.connect(timeout=5))[0]
    assert await viewer.receive_json_from(timeout=5) == {"type": "unacknowledged", "count": 3}
    olga = await database_sync_to_async(UserFactory)(username="olga", role="operator")
    acknowledge = sync_to_async(services.acknowledge_many)  # a thread, as in a view
    assert await acknowledge([first.pk, second.pk, off.pk], olga, "Drill") == [
        first.pk,
        second.pk,
        off.pk,
    ]
    told = await viewer.receive_json_from(timeout=5)
    assert told.pop("at")
    assert told == {
        "type": "acknowledged",
        "events": [first.pk, second.pk, off.pk],
        "by": "olga",
        "comment": "Drill",
        "unacknowledged": 1,
    }
    await sync_to_async(services.acknowledge)(third, olga, "")
    told = await viewer.receive_json_from(timeout=5)
    assert (told["events"], told["unacknowledged"]) == ([third.pk], 0)
    assert await acknowledge([third.pk], olga, "again") == []
    assert await viewer.receive_nothing(timeout=0.5)  # nothing changed: nothing to tell
    await viewer.disconnect()
