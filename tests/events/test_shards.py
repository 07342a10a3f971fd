"""`manage.py events` over several processes: each camera followed by exactly one shard, a
shard that dies started again, and a stop that leaves no subscription at the cameras."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from django.utils import timezone

from events import shards
from events.models import Subscription
from simulator.camera import Camera
from tests.events.conftest import events_runner, wait_for
from tests.events.test_subscriptions import add, subscriptions

CAMERAS = ("ptz-dome", "bullet-analytics")


def shard_processes(pid: int) -> dict[str, int]:
    """The `--shard K/N` children of the supervisor `pid`: K/N -> pid."""
    found = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                argv = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
            except OSError:  # it has just ended
                continue
            if b"--shard" in argv:
                found[argv[argv.index(b"--shard") + 1].decode()] = int(child)
    return found


def test_shard_arguments_are_checked() -> None:
    assert shards.parse("1/2") == (1, 2)
    for bad in ("2/2", "x", "1/0", "-1/2"):
        with pytest.raises(ValueError, match="--shard"):
            shards.parse(bad)


@pytest.mark.django_db(transaction=True)
def test_each_camera_is_followed_by_one_shard_and_a_dead_shard_comes_back(
    threaded_fleet: dict[str, Camera],
) -> None:
    cameras = [threaded_fleet[name] for name in CAMERAS]
    devices = [add(camera) for camera in cameras]
    assert {d.pk % 2 for d in devices} == {0, 1}  # consecutive ids: one camera per shard
    with events_runner(VMS_EVENTS_PROCESSES="2") as runner:
        wait_for(
            lambda: (
                all(len(subscriptions(c)) == 1 for c in cameras)
                and Subscription.objects.filter(status=Subscription.Status.ACTIVE).count() == 2
            ),
            40,
            "both cameras subscribed",
        )
        children = wait_for(
            lambda: found if len(found := shard_processes(runner.pid)) == 2 else None,
            10,
            "two shard processes",
        )
        assert set(children) == {"0/2", "1/2"}
        killed = timezone.now()
        os.kill(children["0/2"], signal.SIGKILL)  # it cannot unsubscribe; its successor renews

        def restarted() -> bool:
            now = shard_processes(runner.pid)  # once: the set changes while we look
            return set(now) == {"0/2", "1/2"} and now["0/2"] != children["0/2"]

        wait_for(restarted, 20, "shard 0/2 started again")
        orphan = next(d for d in devices if d.pk % 2 == 0)
        wait_for(
            lambda: Subscription.objects.filter(
                device=orphan, status=Subscription.Status.ACTIVE, updated__gt=killed
            ).exists(),
            30,
            "the subscription taken over by the new shard",
        )
        assert all(len(subscriptions(c)) == 1 for c in cameras)  # renewed, not replaced
    for camera in cameras:
        assert subscriptions(camera) == {}, "a shard left a subscription behind"
    assert set(Subscription.objects.values_list("status", flat=True)) == {
        Subscription.Status.STOPPED
    }
