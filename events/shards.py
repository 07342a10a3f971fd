"""Several `manage.py events` processes, each following its share of the cameras.

One event loop pulls a few hundred messages a second before its own queueing adds delay; the
parent starts one child per shard (`--shard K/N`), restarts a child that dies (with back-off)
and, on SIGTERM or SIGINT, stops them all so each unsubscribes its cameras."""

from __future__ import annotations

import ctypes
import logging
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

STOP_SECONDS = 10.0  # a child unsubscribes its cameras within this, or is killed
RESTART_FIRST, RESTART_MAX = 1.0, 30.0
STABLE_SECONDS = 60.0  # a child that ran this long restarts without back-off


def parse(text: str) -> tuple[int, int]:
    """'1/4' -> (1, 4); a ValueError that names the expected form otherwise."""
    try:
        shard, shards = (int(part) for part in text.split("/"))
    except ValueError:
        raise ValueError(f"--shard takes K/N, e.g. 0/2, not {text!r}") from None
    if not 0 <= shard < shards:
        raise ValueError(f"--shard {text}: K must be between 0 and N-1")
    return shard, shards


def _stop_with_parent() -> None:
    """In the child, before exec: receive SIGTERM (and so unsubscribe) if the parent dies."""
    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class Child:
    def __init__(self, shard: int, shards: int) -> None:
        self.shard, self.shards = shard, shards
        self.process: subprocess.Popen[bytes] | None = None
        self.started = 0.0
        self.failures = 0
        self.restart_at = 0.0

    def start(self) -> None:
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        args = [sys.executable, manage, "events", "--shard", f"{self.shard}/{self.shards}"]
        self.process = subprocess.Popen(args, preexec_fn=_stop_with_parent)
        self.started = time.monotonic()

    def check(self, now: float) -> None:
        """Start the child again if it has died (after a back-off that grows with failures)."""
        if self.process is not None and self.process.poll() is None:
            return
        if self.process is not None:
            code = self.process.returncode
            self.process = None
            self.failures = 0 if now - self.started > STABLE_SECONDS else self.failures + 1
            delay = min(RESTART_MAX, RESTART_FIRST * 2 ** max(self.failures - 1, 0))
            self.restart_at = now + (delay if self.failures else 0)
            logger.error(
                "events shard %d/%d exited with %s; restarting in %.0f s",
                self.shard, self.shards, code, self.restart_at - now,
            )  # fmt: skip
        if now >= self.restart_at:
            self.start()

    def terminate(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def wait(self, deadline: float) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            logger.warning("events shard %d/%d did not stop; killing it", self.shard, self.shards)
            self.process.kill()
            self.process.wait()


def supervise(shards: int, stop: threading.Event | None = None) -> None:
    """Run `shards` children until SIGTERM/SIGINT (or `stop`), then stop them all."""
    stop = stop or threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, on_signal)
    children = [Child(k, shards) for k in range(shards)]
    try:
        while not stop.is_set():
            now = time.monotonic()
            for child in children:
                child.check(now)
            stop.wait(0.5)
    finally:
        for child in children:
            child.terminate()
        deadline = time.monotonic() + STOP_SECONDS
        for child in children:
            child.wait(deadline)
