"""Camera events and the state of each camera's event subscription."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from cameras.models import Device


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Subscription(models.Model):
    """One per camera: how the VMS follows its events, and whether that works."""

    class Mode(models.TextChoices):
        PULL = "pull", "Pull point"
        PUSH = "push", "Push (Notify)"

    class Status(models.TextChoices):
        STARTING = "starting", "Subscribing"
        ACTIVE = "active", "Active"
        RETRYING = "retrying", "Failing, retrying"
        REJECTED = "rejected", "Rejected by the camera"
        STOPPED = "stopped", "Stopped"

    device = models.OneToOneField(Device, on_delete=models.CASCADE, related_name="subscription")
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.PULL)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.STARTING)
    reason = models.TextField(blank=True, help_text="Why the subscription fails, for people.")
    address = models.CharField(max_length=500, blank=True)  # the camera's subscription manager
    token = models.CharField(max_length=64, default=new_token, unique=True)  # push consumer URL
    relative_times = models.BooleanField(
        default=True, help_text="False when the camera mishandles xs:duration termination times."
    )
    terminates = models.DateTimeField(null=True, blank=True)  # our clock
    failures = models.PositiveIntegerField(default=0)
    next_attempt = models.DateTimeField(null=True, blank=True)
    subscribed = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["device"]

    def __str__(self) -> str:
        return f"{self.device}: {self.get_status_display()}"


class Snapshot(models.Model):
    """A JPEG from the camera, taken when an event arrived (shared by the events of that second)."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="event_snapshots")
    taken = models.DateTimeField(db_index=True)
    jpeg = models.BinaryField()

    class Meta:
        ordering = ["-taken"]

    def __str__(self) -> str:
        return f"{self.device} {self.taken:%Y-%m-%d %H:%M:%S}"


class EventQuerySet(models.QuerySet["Event"]):
    def alarms(self) -> EventQuerySet:
        """Events someone must see to: all but "off" transitions (a property event whose state
        went false, e.g. motion stopped), which are shown but not alarms."""
        return self.exclude(state=False)

    def unacknowledged(self) -> EventQuerySet:
        return self.filter(acknowledged=None)


class Event(models.Model):
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="events")
    topic = models.CharField(max_length=255)
    name = models.CharField(max_length=100)  # human-readable topic
    source = models.JSONField(default=dict, blank=True)
    key = models.JSONField(default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)
    rule = models.CharField(max_length=100, blank=True)
    state = models.BooleanField(null=True)  # on/off of property events, None for others
    operation = models.CharField(max_length=12, blank=True)  # Initialized, Changed, Deleted
    camera_time = models.DateTimeField(null=True, blank=True)
    received = models.DateTimeField(db_index=True)
    snapshot = models.ForeignKey(Snapshot, null=True, blank=True, on_delete=models.SET_NULL)
    acknowledged = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-received", "-pk"]
        indexes = [
            models.Index(fields=["device", "-received"], name="event_device_received"),
            models.Index(fields=["topic", "-received"], name="event_topic_received"),
            # The unacknowledged count (of alarms: state not false) reads only this index.
            models.Index(
                fields=["state"],
                condition=models.Q(acknowledged__isnull=True),
                name="event_unacknowledged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device}: {self.name}"

    @property
    def is_alarm(self) -> bool:
        """Not an "off" transition (see EventQuerySet.alarms); feed.js decides the same way."""
        return self.state is not False
