"""The camera tasks on a real Celery worker: a sync survives the death of its worker."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings

from cameras.models import Device
from cameras.sync import INTERRUPTED, end_stale_syncs
from cameras.tasks import sync_device
from simulator.camera import Camera
from tests import processes
from vms.celery import app, beat_schedule

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def worker_on(queue: str) -> Iterator[subprocess.Popen[bytes]]:
    """A worker of its own on a queue of its own, so that no other worker of the test session
    takes the task this test is about to kill."""
    name = f"{queue}@%h"
    argv = [sys.executable, "-m", "celery", "-A", "vms", "worker", "-Q", queue, "-n", name]
    argv += ["--concurrency", "1", "-l", "WARNING", "--without-mingle", "--without-gossip"]
    process = subprocess.Popen(argv, cwd=processes.ROOT, env=processes.child_env())
    try:
        deadline = time.monotonic() + 30
        hostname = name.replace("%h", os.uname().nodename)
        while not app.control.ping(destination=[hostname], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not answer a ping within 30 s")
        yield process
    finally:
        processes.stop(process)
        client = redis.Redis.from_url(settings.REDIS_URL)
        client.delete(f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}", queue)
        client.close()


def pool_processes(pid: int) -> list[int]:
    """The pool processes (children) of a worker."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry.name))
    return children


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def start_sync(device: Device, queue: str) -> str:
    Device.objects.filter(pk=device.pk).update(syncing=True, sync_step="Queued")
    return str(sync_device.apply_async(args=[device.pk], queue=queue).id)


def step(device: Device) -> str:
    device.refresh_from_db()
    return device.sync_step


def make_device(camera: Camera) -> Device:
    device = Device(host=camera.host, port=camera.port, username="admin")
    device.password = "admin"
    device.save()
    return device


def forget_unacked(task_id: str) -> int:
    """Drop the message a killed worker held (Redis would give it out again after its
    visibility timeout); how many there were."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    held = 0
    try:
        for tag, payload in dict(client.hgetall("unacked")).items():
            if json.loads(payload)[0]["headers"].get("id") == task_id:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
                held += 1
    finally:
        client.close()
    return held


def test_a_sync_whose_pool_process_is_killed_runs_again(threaded_fleet: dict[str, Camera]) -> None:
    camera = threaded_fleet["audio-cam"]
    camera.quirks.slow_response = 0.2  # a sync of a few seconds: time to kill it midway
    device = make_device(camera)
    queue = f"kill-{uuid.uuid4().hex[:8]}"
    with worker_on(queue) as worker:
        start_sync(device, queue)
        wait_for(lambda: step(device).startswith("Reading"), 30, "the sync never started")
        (child,) = pool_processes(worker.pid)
        os.kill(child, signal.SIGKILL)
        wait_for(lambda: not Device.objects.get(pk=device.pk).syncing, 60, step(device))
    device.refresh_from_db()
    assert device.status == Device.Status.ONLINE, device.last_error
    assert device.model == "SV-AUD-100" and device.profiles.exists()
    assert device.sync_started is None


def test_a_sync_whose_whole_worker_is_killed_is_ended_by_the_sweep(
    threaded_fleet: dict[str, Camera],
) -> None:
    camera = threaded_fleet["ptz-dome"]
    camera.quirks.slow_response = 0.2
    device = make_device(camera)
    queue = f"kill-{uuid.uuid4().hex[:8]}"
    with worker_on(queue) as worker:
        task_id = start_sync(device, queue)
        wait_for(lambda: step(device).startswith("Reading"), 30, "the sync never started")
        children = pool_processes(worker.pid)
        os.kill(worker.pid, signal.SIGKILL)  # the whole worker at once, as on a power cut
        for child in children:
            os.kill(child, signal.SIGKILL)
        worker.wait(10)
    try:
        time.sleep(1)
        device.refresh_from_db()
        assert device.syncing and device.sync_started is not None  # nobody is left to end it
        assert end_stale_syncs(older_than=timedelta(0)) == 1
        device.refresh_from_db()
        assert not device.syncing and device.sync_step == ""
        assert device.last_error == INTERRUPTED
        assert device.status == Device.Status.PENDING
    finally:
        held = forget_unacked(task_id)
    assert held == 1  # acknowledged late: the broker still had the sync to give out again


def test_the_sweep_runs_on_the_beat_before_a_stuck_sync_would_be_given_out_again() -> None:
    entry = beat_schedule()["end-stale-syncs"]
    assert entry["task"] == "cameras.end_stale_syncs"
    assert entry["schedule"] <= timedelta(minutes=1)
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    assert sync_device.acks_late and sync_device.retry_on_worker_lost
    assert sync_device.time_limit is not None and sync_device.time_limit < visibility
