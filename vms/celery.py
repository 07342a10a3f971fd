"""The Celery app: broker, named queues and the beat schedule, all defined here.

Queues:
- `onvif`: short calls to cameras (sync, health poll, PTZ helpers, discovery);
- `events`: event subscriptions and their renewal;
- `default`: housekeeping.
Tasks pick their queue by name prefix in `TASK_ROUTES`; start one worker for all of
them with `celery -A vms worker -Q default,onvif,events`.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vms.settings")

QUEUES = ("default", "onvif", "events")

TASK_ROUTES = {
    "cameras.*": {"queue": "onvif"},
    "ptz.*": {"queue": "onvif"},
    "events.*": {"queue": "events"},
}


def beat_schedule() -> dict[str, dict[str, Any]]:
    """Every periodic task, in one place. Each entry expires before its next run."""
    return {
        "poll-devices": {
            "task": "cameras.poll_devices",
            "schedule": timedelta(seconds=10),
            "options": {"expires": 9},
        },
        "end-stale-syncs": {
            "task": "cameras.end_stale_syncs",
            "schedule": timedelta(minutes=1),
            "options": {"expires": 50},
        },
        "purge-events": {
            "task": "events.purge_events",
            "schedule": timedelta(hours=1),
            "options": {"expires": 1800},
        },
        "clear-expired-sessions": {
            "task": "frontend.clear_expired_sessions",
            "schedule": timedelta(hours=6),
            "options": {"expires": 3600},
        },
    }


app = Celery("vms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue(name) for name in QUEUES]
app.conf.task_default_queue = "default"
app.conf.task_routes = TASK_ROUTES
app.conf.beat_schedule = beat_schedule()
app.autodiscover_tasks()
