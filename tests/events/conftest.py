"""Fixtures of the event tests: the virtual cameras, and the `manage.py events` process."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests import processes
from tests.cameras.conftest import ThreadedFleet, fleet, threaded_fleet

__all__ = [
    "ThreadedFleet",
    "events_runner",
    "fleet",
    "threaded_fleet",
    "wait_for",
    "wait_for_subscription",
]


def wait_for(condition: Callable[[], Any], seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s: {what}")


@contextmanager
def events_runner(**env: str) -> Iterator[subprocess.Popen[bytes]]:
    """`manage.py events` on the test database (stopped with SIGTERM, which unsubscribes), in
    a process group of its own (with more than one events process, the shards are in it)."""
    argv = [sys.executable, "manage.py", "events"]
    process = subprocess.Popen(
        argv, cwd=processes.ROOT, env=processes.child_env(**env), start_new_session=True
    )
    try:
        yield process
    finally:
        processes.stop(process)
        with contextlib.suppress(ProcessLookupError):  # nothing of it outlives the test
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def runner_factory() -> Any:
    return events_runner


def wait_for_subscription(device: Any, seconds: float = 30) -> None:
    """Until the events process holds an active subscription to `device` (from a thread of
    its own: browser tests run Playwright's event loop in theirs)."""
    from events.models import Subscription
    from tests.frontend.live_fleet import in_thread

    active = Subscription.objects.filter(device=device, status=Subscription.Status.ACTIVE)
    wait_for(lambda: in_thread(active.exists), seconds, "an active subscription")
