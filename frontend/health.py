"""Reachability of the services the VMS depends on, each check bounded by a timeout."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import redis
from django.conf import settings
from django.db import DatabaseError, connection

from vms.celery import app as celery_app

CHECK_TIMEOUT = 2.0


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str
    ms: float


def _timed(start: float) -> float:
    return round((time.monotonic() - start) * 1000, 1)


def check_database() -> Check:
    start = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return Check(False, f"database unreachable: {exc}".strip(), _timed(start))
    return Check(True, connection.vendor, _timed(start))


def check_redis() -> Check:
    start = time.monotonic()
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=CHECK_TIMEOUT, socket_connect_timeout=CHECK_TIMEOUT
    )
    try:
        client.ping()
    except redis.RedisError as exc:
        return Check(False, f"redis unreachable: {exc}", _timed(start))
    finally:
        client.close()
    return Check(True, "pong", _timed(start))


def check_celery() -> Check:
    start = time.monotonic()
    try:
        replies = celery_app.control.ping(timeout=CHECK_TIMEOUT / 2) or []
    except Exception as exc:  # noqa: BLE001  (kombu raises many transport errors)
        return Check(False, f"broker unreachable: {exc}", _timed(start))
    workers = sorted(name for reply in replies for name in reply)
    if not workers:
        return Check(False, "no Celery worker answered", _timed(start))
    return Check(True, f"{len(workers)} worker(s): {', '.join(workers)}", _timed(start))


def system_health() -> dict[str, dict[str, object]]:
    checks = {"database": check_database(), "redis": check_redis()}
    if checks["redis"].ok:
        checks["celery"] = check_celery()
    else:
        checks["celery"] = Check(False, "not checked: the broker (Redis) is down", 0.0)
    return {name: asdict(result) for name, result in checks.items()}
