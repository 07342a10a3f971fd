"""The events page as an alarm console: the unacknowledged count, acknowledging several alarms
at once, "off" transitions that are no alarms, and filters that cannot be used."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from cameras.models import Device
from events import services
from events.models import Event

pytestmark = pytest.mark.django_db
CROSSED = "tns1:RuleEngine/LineDetector/Crossed"
MOTION = "tns1:RuleEngine/CellMotionDetector/Motion"


@pytest.fixture
def device() -> Device:
    return Device.objects.create(name="Gate", host="192.0.2.10", port=80, username="a")


def event(
    device: Device, topic: str = CROSSED, state: bool | None = None, minutes_ago: float = 0
) -> Event:
    name = "Motion" if topic == MOTION else "Line crossed"
    return Event.objects.create(
        device=device,
        topic=topic,
        name=name,
        state=state,
        operation="Changed" if state is not None else "",
        received=timezone.now() - timedelta(minutes=minutes_ago),
    )


def unacknowledged_shown(page: str) -> int:
    found = re.search(r'data-testid="unacknowledged"[^>]*>(\d+)<', page)
    assert found, "no unacknowledged count on the page"
    return int(found.group(1))


def flashes(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# -- the count, and "off" transitions ------------------------------------------------------------
def test_the_count_leaves_out_acknowledged_alarms_and_off_transitions(
    device: Device, viewer: User, operator: User, client_for: Any
) -> None:
    event(device)
    event(device, MOTION, state=True)
    off = event(device, MOTION, state=False)
    done = event(device)
    services.acknowledge(done, operator, "seen")
    assert services.unacknowledged_count() == 2
    page = client_for(operator).get("/events/").content.decode()
    assert unacknowledged_shown(page) == 2
    assert unacknowledged_shown(client_for(viewer).get("/events/").content.decode()) == 2
    # The off transition is in the feed and the timeline, without an acknowledge form.
    assert f'action="/events/{off.pk}/acknowledge/"' not in page
    assert page.count(f'data-event="{off.pk}"') == 2
    assert f'value="{off.pk}" form="bulk-ack"' not in page


# -- acknowledging several at once ---------------------------------------------------------------
def test_operators_acknowledge_the_selected_alarms_with_one_comment(
    device: Device, operator: User, client_for: Any
) -> None:
    first, second, third = event(device), event(device), event(device)
    before = timezone.now()
    answer = client_for(operator).post(
        "/events/acknowledge/",
        {
            "scope": "selected",
            "event": [first.pk, second.pk],
            "shown": [first.pk, second.pk, third.pk],
            "comment": "  Fire drill  ",
            "next": f"/events/?camera={device.pk}",
        },
    )
    assert answer.status_code == 302
    assert answer["Location"] == f"/events/?camera={device.pk}"  # the filters are kept
    assert flashes(answer) == ["Acknowledged 2 alarms."]
    for acknowledged in (first, second):
        acknowledged.refresh_from_db()
        assert acknowledged.acknowledged_by == operator
        assert acknowledged.comment == "Fire drill"
        assert acknowledged.acknowledged is not None and acknowledged.acknowledged >= before
    third.refresh_from_db()
    assert third.acknowledged is None
    page = client_for(operator).get("/events/").content.decode()
    assert page.count("Fire drill") == 4  # two alarms, each in the feed and the timeline
    assert unacknowledged_shown(page) == 1


def test_acknowledge_all_shown_keeps_the_first_acknowledgement(
    device: Device, operator: User, admin: User, client_for: Any
) -> None:
    first, second, third = event(device), event(device), event(device)
    services.acknowledge(second, admin, "Mine")
    answer = client_for(operator).post(
        "/events/acknowledge/",
        {"scope": "shown", "shown": [first.pk, second.pk, third.pk], "comment": "Wind"},
    )
    assert answer["Location"] == "/events/"
    assert flashes(answer) == [
        "Acknowledged 2 alarms. 1 had been acknowledged already (or was deleted)."
    ]
    acknowledged = {e.pk: (e.acknowledged_by, e.comment) for e in Event.objects.all()}
    assert acknowledged == {
        first.pk: (operator, "Wind"),
        second.pk: (admin, "Mine"),
        third.pk: (operator, "Wind"),
    }
    assert services.unacknowledged_count() == 0


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"scope": "selected"}, "Tick the alarms to acknowledge first"),
        ({"scope": "shown"}, "No unacknowledged alarm is shown"),
        ({"scope": "selected", "event": ["1; drop"]}, "not an event id"),
        ({"scope": "selected", "event": ["99999999999999999999"]}, "not an event id"),
        ({"scope": "selected", "event": ["1"], "comment": "x" * 2001}, "2000 characters"),
    ],
)
def test_bad_bulk_acknowledgements_are_refused_in_words(
    device: Device, operator: User, client_for: Any, data: dict[str, Any], expected: str
) -> None:
    alarm = event(device)
    answer = client_for(operator).post("/events/acknowledge/", data)
    assert answer.status_code == 302
    assert [m for m in flashes(answer) if expected in m], flashes(answer)
    alarm.refresh_from_db()
    assert alarm.acknowledged is None


def test_viewers_may_not_acknowledge_and_next_stays_on_this_site(
    device: Device, viewer: User, operator: User, client_for: Any
) -> None:
    alarm = event(device)
    data = {"scope": "selected", "event": [alarm.pk], "next": "https://evil.example/"}
    assert client_for(viewer).post("/events/acknowledge/", data).status_code == 403
    assert Client().post("/events/acknowledge/", data).status_code == 302  # to the login
    alarm.refresh_from_db()
    assert alarm.acknowledged is None
    answer = client_for(operator).post("/events/acknowledge/", data)
    assert answer["Location"] == "/events/"
    single = client_for(operator).post(
        f"/events/{event(device).pk}/acknowledge/", {"next": "//evil.example/x"}
    )
    assert single["Location"] == "/events/"


def test_acknowledge_many_in_the_service_returns_what_it_acknowledged(
    device: Device, operator: User
) -> None:
    alarms = [event(device) for _ in range(3)]
    ids = [a.pk for a in alarms]
    assert services.acknowledge_many(ids[:2], operator, "a") == ids[:2]
    assert services.acknowledge_many(ids, operator, "b") == [ids[2]]
    assert services.acknowledge_many([], operator, "c") == []
    with pytest.raises(ValueError, match="at most 1000"):
        services.acknowledge_many(range(1, 1002), operator, "")


# -- filters that cannot be used -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "ignored"),
    [
        ("camera=99999999999999999999", "Camera"),
        ("camera=424242", "Camera"),
        ("camera=gate", "Camera"),
        ("from=9999-12-31T23:59", "From"),
        ("from=0001-01-01T00:00", "From"),
        ("to=0001-01-01T00:00", "To"),
        ("from=2024-13-45T00:00", "From"),
        ("from=2024-02-30T10:00", "From"),
        ("to=2024-01-01T25:00", "To"),
        ("from=garbage", "From"),
        ("to=%00", "To"),
    ],
)
def test_filters_that_cannot_be_used_are_ignored_and_named(
    device: Device, viewer: User, client_for: Any, query: str, ignored: str, settings: Any
) -> None:
    event(device)
    for zone in ("UTC", "Pacific/Kiritimati", "America/Adak"):  # +14 h and -10 h
        settings.TIME_ZONE = zone
        response = client_for(viewer).get(f"/events/?{query}")
        assert response.status_code == 200
        page = response.content.decode()
        problems = re.search(r'data-testid="filter-problems".*?</ul>', page, re.S)
        assert problems, f"{query}: no word about the ignored filter"
        assert f"{ignored} filter ignored" in problems.group(0)
        assert page.count('data-testid="timeline-event"') == 1  # the filter is left out


def test_a_page_out_of_range_shows_the_last_page_and_says_so(
    device: Device, viewer: User, client_for: Any
) -> None:
    event(device)
    page = client_for(viewer).get("/events/?page=99999999999999999999").content.decode()
    assert "Page 99999999999999999999 does not exist" in page
    assert page.count('data-testid="timeline-event"') == 1
    page = client_for(viewer).get("/events/?page=-3").content.decode()
    assert "Page -3 does not exist" in page


def test_good_filters_say_nothing_and_a_reversed_range_is_pointed_out(
    device: Device, viewer: User, client_for: Any
) -> None:
    alarm = event(device, minutes_ago=60)
    since = (timezone.localtime() - timedelta(minutes=90)).strftime("%Y-%m-%dT%H:%M")
    page = client_for(viewer).get(f"/events/?camera={device.pk}&from={since}").content.decode()
    assert 'data-testid="filter-problems"' not in page
    assert page.count('data-testid="timeline-event"') == 1
    day = timezone.localtime(alarm.received).date().isoformat()
    page = client_for(viewer).get(f"/events/?from={day}&to={day}").content.decode()
    assert page.count('data-testid="timeline-event"') == 1  # a day alone: all of that day
    page = client_for(viewer).get("/events/?from=2024-02-01T00:00&to=2024-01-01T00:00")
    assert "From is after To" in page.content.decode()
