"""Subscriptions held by `manage.py events` against the virtual cameras: pull and push modes,
camera reboots, runner restarts, cameras that refuse, and the event-triggered resync."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from cameras.models import Device, MediaProfile
from cameras.onvif import OnvifClient
from events.models import Event, Subscription
from simulator.camera import Camera
from tests.cameras.conftest import add_synced
from tests.events.conftest import ThreadedFleet, events_runner, wait_for

pytestmark = pytest.mark.django_db(transaction=True)
CROSSED = "tns1:RuleEngine/LineDetector/Crossed"


def add(camera: Camera, name: str = "") -> Device:
    return add_synced(camera, name or camera.name)


def subscriptions(camera: Camera) -> dict[str, Any]:
    return dict(camera.runtime.events.subscriptions)


def active(device: Device) -> Subscription | None:
    return Subscription.objects.filter(device=device, status=Subscription.Status.ACTIVE).first()


def test_pulled_events_are_stored_and_stopping_unsubscribes(
    threaded_fleet: dict[str, Camera],
) -> None:
    camera = threaded_fleet["bullet-analytics"]
    device = add(camera)
    with events_runner():
        sub = wait_for(lambda: active(device), 30, "an active subscription")
        assert sub.mode == Subscription.Mode.PULL
        assert len(subscriptions(camera)) == 1
        event = wait_for(
            lambda: Event.objects.filter(device=device, topic=CROSSED).first(),
            20,
            "the walking person crosses the line",
        )
        assert event.name == "Line crossed"
        assert event.rule == "DoorLine"
        assert "ObjectId" in event.data
    assert subscriptions(camera) == {}
    assert Subscription.objects.get(device=device).status == Subscription.Status.STOPPED


def test_push_mode_receives_notify_at_the_web_process(
    threaded_fleet: dict[str, Camera], asgi_url: str
) -> None:
    camera = threaded_fleet["bullet-analytics"]
    device = add(camera)
    with events_runner(VMS_EVENTS_CONSUMER_URL=asgi_url):
        sub = wait_for(lambda: active(device), 30, "an active subscription")
        assert sub.mode == Subscription.Mode.PUSH
        (pushed,) = subscriptions(camera).values()
        assert pushed.consumer == f"{asgi_url}/api/events/notify/{sub.token}"
        wait_for(
            lambda: Event.objects.filter(device=device, topic=CROSSED).exists(),
            20,
            "a pushed line crossing",
        )
    assert subscriptions(camera) == {}


def test_a_camera_reboot_loses_the_subscription_for_less_than_a_minute() -> None:
    fleet = ThreadedFleet()
    with fleet as cameras:
        rebooted_and_resubscribed(fleet, cameras["bullet-analytics"])


def rebooted_and_resubscribed(fleet: ThreadedFleet, camera: Camera) -> None:
    device = add(camera)
    with events_runner():
        wait_for(lambda: active(device) and subscriptions(camera), 30, "a subscription")
        before = set(subscriptions(camera))
        fleet.run(fleet.simulator.server(camera).reboot(3), timeout=40)
        lost = time.monotonic()
        assert subscriptions(camera) == {}
        wait_for(lambda: set(subscriptions(camera)) - before, 60, "a new subscription")
        assert time.monotonic() - lost < 60
        assert len(subscriptions(camera)) == 1
        since = Event.objects.filter(device=device).count()
        wait_for(lambda: Event.objects.filter(device=device).count() > since, 20, "events again")
    assert subscriptions(camera) == {}


def test_a_runner_restart_leaves_no_stale_subscription(
    threaded_fleet: dict[str, Camera],
) -> None:
    camera = threaded_fleet["bullet-analytics"]
    device = add(camera)
    with events_runner() as runner:
        wait_for(lambda: active(device) and subscriptions(camera), 30, "a subscription")
        (first,) = subscriptions(camera)
        os.killpg(runner.pid, signal.SIGKILL)  # no chance to unsubscribe: the next one takes over
        runner.wait()
        time.sleep(0.5)  # the shard processes are gone too
    assert list(subscriptions(camera)) == [first]
    started, killed = time.monotonic(), timezone.now()
    with events_runner():
        wait_for(
            lambda: Subscription.objects.filter(
                device=device, status=Subscription.Status.ACTIVE, updated__gt=killed
            ).exists(),
            60,
            "the subscription taken over",
        )
        assert time.monotonic() - started < 60
        assert list(subscriptions(camera)) == [first]  # renewed, not replaced
    assert subscriptions(camera) == {}
    with events_runner():  # and after a clean stop, a fresh one within a minute
        wait_for(lambda: subscriptions(camera), 60, "a new subscription")
        assert len(subscriptions(camera)) == 1
    assert subscriptions(camera) == {}


def test_a_camera_that_refuses_is_shown_with_its_reason_and_not_hammered(
    threaded_fleet: dict[str, Camera], client_for: Any, viewer: Any
) -> None:
    camera = threaded_fleet["bullet-analytics"]
    device = add(camera)
    camera.quirks.refuse_subscriptions = "no subscription slot left"
    with events_runner():
        sub = wait_for(
            lambda: Subscription.objects.filter(
                device=device, status=Subscription.Status.REJECTED
            ).first(),
            30,
            "the refusal recorded",
        )
        assert "no subscription slot left" in sub.reason
        time.sleep(8)
        assert camera.runtime.events.refused == 1  # asked once, not again and again
    page = client_for(viewer).get("/events/").content.decode()
    assert "no subscription slot left" in page
    api = client_for(viewer).get("/api/event-subscriptions").json()
    assert api[0]["status"] == "rejected"


def test_a_camera_that_ignores_relative_times_gets_absolute_ones(
    threaded_fleet: dict[str, Camera],
) -> None:
    camera = threaded_fleet["bullet-analytics"]
    camera.quirks.ignore_relative_time = True  # grants an hour whatever is asked
    device = add(camera)
    with events_runner():
        wait_for(
            lambda: Subscription.objects.filter(device=device, relative_times=False).exists(),
            30,
            "relative times found mishandled",
        )
        wait_for(lambda: active(device), 10, "an active subscription")
        (held,) = subscriptions(camera).values()
        granted = held.termination - camera.clock()
        assert 0 < granted <= settings.VMS_EVENTS_SUBSCRIPTION_SECONDS + 1  # not the hour
    assert subscriptions(camera) == {}


def test_a_configuration_change_by_another_client_is_synced(
    threaded_fleet: dict[str, Camera], celery_worker: Any
) -> None:
    camera = threaded_fleet["dual-sensor"]
    device = add(camera)
    with events_runner():
        wait_for(lambda: active(device), 30, "an active subscription")

        async def create_profile() -> None:
            async with OnvifClient(camera.host, camera.port, "admin", "admin") as other:
                await other.connect()
                await other.call("media2", "CreateProfile", Name="Added elsewhere")

        asyncio.run(create_profile())
        wait_for(
            lambda: Event.objects.filter(device=device, topic="tns1:Media/ProfileChanged").exists(),
            10,
            "the ProfileChanged event",
        )
        wait_for(
            lambda: MediaProfile.objects.filter(device=device, name="Added elsewhere").exists(),
            30,
            "the resync after the event",
        )
    wait_for(lambda: worker_idle(device), 60, "the worker done with this camera")


def worker_idle(device: Device) -> bool:
    """No sync of `device` queued or running (the test database is flushed after the test)."""
    from vms.celery import app

    active = app.control.inspect(timeout=1).active() or {}
    return not any(active.values()) and not Device.objects.get(pk=device.pk).syncing


def test_an_event_gets_the_snapshot_taken_when_it_arrived(
    threaded_fleet: dict[str, Camera],
) -> None:
    from cameras.onvif.events import EventMessage
    from events import ingest, snapshots

    device = add(threaded_fleet["bullet-analytics"])
    received = timezone.now()
    ingest.store(device, [EventMessage(CROSSED, received, source={"Rule": "DoorLine"})], received)
    assert snapshots.take(device.pk, received) is not None
    event = Event.objects.get(device=device)
    assert event.snapshot is not None
    assert bytes(event.snapshot.jpeg).startswith(b"\xff\xd8")


def test_events_get_their_snapshot_from_a_worker(
    threaded_fleet: dict[str, Camera], celery_worker: Any
) -> None:
    device = add(threaded_fleet["bullet-analytics"])
    with events_runner():
        event = wait_for(
            lambda: Event.objects.filter(device=device).exclude(snapshot=None).first(),
            30,
            "an event with the snapshot the worker took when it arrived",
        )
    assert bytes(event.snapshot.jpeg).startswith(b"\xff\xd8")
