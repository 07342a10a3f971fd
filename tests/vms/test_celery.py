from datetime import timedelta
from typing import Any

import pytest

from frontend.tasks import clear_expired_sessions, ping
from vms.celery import QUEUES, app, beat_schedule


@pytest.mark.parametrize("queue", QUEUES)
def test_a_task_round_trips_through_redis_and_a_real_worker(celery_worker: Any, queue: str) -> None:
    result = ping.apply_async(args=[f"hello-{queue}"], queue=queue)
    reply = result.get(timeout=20)
    assert reply["token"] == f"hello-{queue}"
    assert app.conf.broker_url.startswith("redis://")


def test_tasks_are_routed_to_their_queue_by_name() -> None:
    assert app.amqp.router.route({}, "cameras.sync_device")["queue"].name == "onvif"
    assert app.amqp.router.route({}, "events.renew_subscription")["queue"].name == "events"
    assert app.amqp.router.route({}, "frontend.ping")["queue"].name == "default"


def test_every_beat_entry_names_a_registered_task_and_expires_before_its_next_run() -> None:
    app.loader.import_default_modules()
    for name, entry in beat_schedule().items():
        assert entry["task"] in app.tasks, name
        assert isinstance(entry["schedule"], timedelta)
        assert entry["options"]["expires"] < entry["schedule"].total_seconds(), name


def test_expired_sessions_are_cleared(db: Any, client: Any, admin: Any) -> None:
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(admin)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert clear_expired_sessions() == 1
    assert not Session.objects.exists()
