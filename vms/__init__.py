"""The VMS Django project: settings, ASGI entry point, Celery app and process runner."""

from vms.celery import app as celery_app

__all__ = ["celery_app"]
