"""The events page, acknowledging, the JSON API, the push consumer and retention."""

from __future__ import annotations

import warnings
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from cameras.models import Device
from cameras.onvif.events import EventMessage
from events import ingest
from events.models import Event, Snapshot, Subscription
from events.tasks import purge_events
from tests.events.test_onvif_events import NOTIFY

pytestmark = pytest.mark.django_db


@pytest.fixture
def device() -> Device:
    return Device.objects.create(name="Gate", host="192.0.2.10", port=80, username="a")


def record(device: Device, topic: str, minutes_ago: float = 0, **data: str) -> Event:
    received = timezone.now() - timedelta(minutes=minutes_ago)
    message = EventMessage(topic, received, source={"Rule": "DoorLine"}, data=data)
    ingest.store(device, [message], received)
    return Event.objects.filter(device=device).order_by("-pk").first()  # type: ignore[return-value]


def test_it_stores_a_typed_record(device: Device) -> None:
    event = record(device, "tns1:RuleEngine/FieldDetector/ObjectsInside", IsInside="true")
    assert event.name == "Object in field"
    assert event.rule == "DoorLine"
    assert event.state is True
    assert event.data == {"IsInside": "true"}
    assert event.camera_time is not None


@pytest.mark.parametrize(
    "topic",
    [
        "tns1:Media/ConfigurationChanged",
        "tns1:Media/ProfileChanged",
        "tns1:Configuration/Profile",  # Media1 (clause 6.14)
        "tns1:Configuration/VideoEncoderConfiguration",
    ],
)
def test_configuration_changes_resync_the_camera(device: Device, topic: str) -> None:
    record(device, topic)
    device.refresh_from_db()
    assert device.syncing


def test_other_events_do_not_resync(device: Device) -> None:
    record(device, "tns1:RuleEngine/LineDetector/Crossed")
    device.refresh_from_db()
    assert not device.syncing


def test_the_timeline_filters_by_camera_topic_and_time(
    device: Device, viewer: Any, client_for: Any
) -> None:
    other = Device.objects.create(name="Yard", host="192.0.2.11", port=80, username="a")
    record(device, "tns1:RuleEngine/LineDetector/Crossed", minutes_ago=120)
    record(device, "tns1:RuleEngine/CellMotionDetector/Motion", IsMotion="true")
    record(other, "tns1:RuleEngine/LineDetector/Crossed")
    client = client_for(viewer)

    def rows(query: str) -> int:
        page = client.get(f"/events/?{query}").content.decode()
        return page.count('data-testid="timeline-event"')

    assert rows("") == 3
    assert rows(f"camera={device.pk}") == 2
    assert rows("topic=tns1:RuleEngine/LineDetector/Crossed") == 2
    since = (timezone.now() - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    assert rows(f"camera={device.pk}&from={since}") == 1


def test_operators_acknowledge_with_a_comment_viewers_cannot(
    device: Device, viewer: Any, operator: Any, client_for: Any
) -> None:
    event = record(device, "tns1:RuleEngine/LineDetector/Crossed")
    url = f"/events/{event.pk}/acknowledge/"
    assert client_for(viewer).post(url, {"comment": "x"}).status_code == 403
    assert client_for(operator).post(url, {"comment": "Courier at the gate"}).status_code == 302
    event.refresh_from_db()
    assert event.acknowledged_by == operator
    assert event.comment == "Courier at the gate"
    page = client_for(viewer).get("/events/").content.decode()
    assert "Courier at the gate" in page


def test_the_api_lists_filters_and_acknowledges(
    device: Device, viewer: Any, operator: Any, client_for: Any
) -> None:
    event = record(device, "tns1:RuleEngine/LineDetector/Crossed", ObjectId="3")
    record(device, "tns1:Media/ProfileChanged")
    listed = client_for(viewer).get("/api/events", {"topic": "tns1:RuleEngine/"}).json()
    assert [e["id"] for e in listed] == [event.pk]
    assert listed[0]["name"] == "Line crossed"
    assert listed[0]["data"] == {"ObjectId": "3"}
    url = f"/api/events/{event.pk}/acknowledge"
    body, kind = '{"comment": "seen"}', "application/json"
    assert client_for(viewer).post(url, body, content_type=kind).status_code == 403
    answer = client_for(operator).post(url, body, content_type=kind)
    assert answer.status_code == 200
    assert answer.json()["acknowledged_by"] == "operator"
    schema = client_for(viewer).get("/api/openapi.json").json()
    assert "/api/events" in schema["paths"]
    assert "/api/events/{event_id}/acknowledge" in schema["paths"]
    assert not any("notify" in path for path in schema["paths"])


def test_the_api_acknowledges_several_events_at_once(
    device: Device, viewer: Any, operator: Any, client_for: Any
) -> None:
    first = record(device, "tns1:RuleEngine/LineDetector/Crossed")
    second = record(device, "tns1:RuleEngine/LineDetector/Crossed")
    url, kind = "/api/events/acknowledge", "application/json"
    body = f'{{"events": [{first.pk}, {second.pk}], "comment": "both seen"}}'
    assert client_for(viewer).post(url, body, content_type=kind).status_code == 403
    answer = client_for(operator).post(url, body, content_type=kind)
    assert answer.status_code == 200
    assert sorted(answer.json()["acknowledged"]) == [first.pk, second.pk]
    assert set(Event.objects.values_list("comment", flat=True)) == {"both seen"}
    again = client_for(operator).post(url, body, content_type=kind)
    assert again.json() == {"acknowledged": []}  # the first acknowledgement is kept
    empty = client_for(operator).post(url, '{"events": []}', content_type=kind)
    assert empty.status_code == 422
    schema = client_for(viewer).get("/api/openapi.json").json()
    assert "/api/events/acknowledge" in schema["paths"]


def test_the_push_consumer_needs_the_subscription_token(device: Device) -> None:
    sub = Subscription.objects.create(
        device=device, mode=Subscription.Mode.PUSH, status=Subscription.Status.ACTIVE
    )
    client = Client()
    kind = "application/soap+xml"
    assert client.post("/api/events/notify/guess", NOTIFY, content_type=kind).status_code == 401
    good = client.post(f"/api/events/notify/{sub.token}", NOTIFY, content_type=kind)
    assert good.status_code == 202
    assert Event.objects.get(device=device).name == "Motion alarm"
    bad = client.post(f"/api/events/notify/{sub.token}", b"<x", content_type=kind)
    assert bad.status_code == 400
    Subscription.objects.filter(pk=sub.pk).update(status=Subscription.Status.STOPPED)
    ended = client.post(f"/api/events/notify/{sub.token}", NOTIFY, content_type=kind)
    assert ended.status_code == 401


def test_old_events_and_snapshots_are_purged(device: Device, settings: Any) -> None:
    settings.VMS_EVENTS_RETENTION_DAYS = 7
    old = record(device, "tns1:RuleEngine/LineDetector/Crossed", minutes_ago=8 * 24 * 60)
    fresh = record(device, "tns1:RuleEngine/LineDetector/Crossed")
    Snapshot.objects.create(device=device, taken=old.received, jpeg=b"\xff\xd8")
    assert purge_events() == 1
    assert list(Event.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not Snapshot.objects.exists()


def test_snapshots_are_served_to_viewers(device: Device, viewer: Any, client_for: Any) -> None:
    shot = Snapshot.objects.create(device=device, taken=timezone.now(), jpeg=b"\xff\xd8\xff\xd9")
    response = client_for(viewer).get(f"/events/snapshots/{shot.pk}.jpg")
    assert response["Content-Type"] == "image/jpeg"
    assert response.content == b"\xff\xd8\xff\xd9"


OUT_OF_RANGE_FILTERS = [
    ("offset", "9223372036854775808"),
    ("offset", "-1"),
    ("camera", "1e20"),
    ("camera", "99999999999999999999"),
    ("camera", "0"),
    ("from", "9999-12-31T23:00:00-05:00"),
    ("to", "0001-01-01T00:00:00+05:00"),
    ("from", "10000-01-01T00:00:00Z"),
    ("limit", "99999999999999999999999"),
]


@pytest.mark.parametrize(("name", "value"), OUT_OF_RANGE_FILTERS)
def test_out_of_range_api_filters_are_refused_with_a_message_naming_them(
    name: str, value: str, viewer: Any, client_for: Any
) -> None:
    answer = Client(raise_request_exception=False)
    answer.force_login(viewer)
    response = answer.get("/api/events", {name: value})
    assert response.status_code == 422, response.content
    (problem,) = response.json()["detail"]
    assert problem["loc"] == ["query", name]
    assert problem["msg"]


@pytest.mark.parametrize("event_id", ["99999999999999999999", "0"])
def test_out_of_range_event_ids_are_not_found_or_refused(
    event_id: str, operator: Any, client_for: Any
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(operator)
    answer = client.post(f"/api/events/{event_id}/acknowledge", "{}", "application/json")
    assert answer.status_code in (404, 422), answer.content
    assert "detail" in answer.json()


def test_dates_in_api_filters_keep_their_time_zone(
    device: Device, viewer: Any, client_for: Any
) -> None:
    event = record(device, "tns1:RuleEngine/LineDetector/Crossed", minutes_ago=0)
    moment = event.received.astimezone(timezone.get_fixed_timezone(-300)).isoformat()
    listed = client_for(viewer).get("/api/events", {"to": moment}).json()
    assert [e["id"] for e in listed] == [event.pk]
    with warnings.catch_warnings():  # a naive time is taken in VMS_TIME_ZONE, not warned about
        warnings.simplefilter("error", RuntimeWarning)
        naive = client_for(viewer).get("/api/events", {"from": moment[:19]})
    assert naive.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"camera": "99999999999999999999"},
        {"page": "99999999999999999999"},
        {"page": "-1"},
        {"from": "9999-12-31T23:00:00-05:00"},
        {"to": "0001-01-01T00:00:00+05:00"},
        {"from": "not a date"},
    ],
)
def test_the_events_page_answers_out_of_range_filters(query: dict[str, str], viewer: Any) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(viewer)
    assert client.get("/events/", query).status_code in (200, 400)
