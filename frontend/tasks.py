from __future__ import annotations

import socket
import time

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="frontend.ping", soft_time_limit=5, time_limit=10)
def ping(token: str) -> dict[str, object]:
    """Echo `token` with the worker's identity: proves the broker, a worker and results work."""
    return {"token": token, "host": socket.gethostname(), "at": time.time()}


@shared_task(name="frontend.clear_expired_sessions", soft_time_limit=50, time_limit=60)
def clear_expired_sessions() -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
