"""Start real VMS processes (ASGI server, Celery worker) for tests, against the test database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a child process that uses the test database and Redis."""
    db = connection.settings_dict
    auth = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    url = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "VMS_DATABASE_URL": url,
        "VMS_REDIS_URL": settings.REDIS_URL,
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listened on port {port} within {seconds} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def asgi_server() -> Iterator[str]:
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", "vms.asgi:application", "--host", "127.0.0.1"]
    argv += ["--port", str(port), "--lifespan", "off", "--no-access-log"]
    process = subprocess.Popen(argv, cwd=ROOT, env=child_env())
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


@contextmanager
def celery_worker() -> Iterator[subprocess.Popen[bytes]]:
    from vms.celery import app

    name = f"test-{os.getpid()}@%h"
    argv = [sys.executable, "-m", "celery", "-A", "vms", "worker", "-Q", "default,onvif,events"]
    argv += ["--concurrency", "1", "-n", name, "-l", "WARNING", "--without-mingle"]
    process = subprocess.Popen(argv, cwd=ROOT, env=child_env())
    try:
        deadline = time.monotonic() + 30
        while not app.control.ping(timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker did not answer a ping within 30 s")
        yield process
    finally:
        stop(process)


@contextmanager
def celery_beat(schedule_dir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Celery beat with the project's schedule (its state file in `schedule_dir`)."""
    argv = [sys.executable, "-m", "celery", "-A", "vms", "beat", "-l", "WARNING"]
    argv += ["-s", str(schedule_dir / "celerybeat-schedule")]
    process = subprocess.Popen(argv, cwd=ROOT, env=child_env())
    try:
        yield process
    finally:
        stop(process)


@contextmanager
def gateway(gateway_id: str) -> Iterator[subprocess.Popen[bytes]]:
    """A stream gateway process offering 127.0.0.1 as its WebRTC address."""
    import redis

    from cameras.streams import ALIVE

    argv = [sys.executable, "manage.py", "gateway", "--id", gateway_id]
    env = child_env(VMS_WEBRTC_HOST_ADDRESSES="127.0.0.1", VMS_GATEWAY_IDLE_SECONDS="3")
    process = subprocess.Popen(argv, cwd=ROOT, env=env)
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        deadline = time.monotonic() + 30
        while not client.exists(ALIVE + gateway_id):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gateway {gateway_id} did not announce itself within 30 s")
            time.sleep(0.1)
        yield process
    finally:
        stop(process)
        client.delete(ALIVE + gateway_id)
        client.close()
