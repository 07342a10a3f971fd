"""JSON API for events (list/filter, acknowledge), subscription states, and the push consumer."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from cameras.api import require
from cameras.onvif import ProtocolError
from cameras.onvif.events import parse_notify
from events import ingest, live, services
from events.models import Event, Subscription
from frontend.roles import ACKNOWLEDGE_EVENTS, VIEW_LIVE
from vms.params import Moment, Offset, RowId

router = Router(tags=["events"])
MAX_NOTIFY_BYTES = 1024 * 1024


class EventOut(Schema):
    id: int
    device_id: int
    topic: str = Field(description="e.g. tns1:RuleEngine/LineDetector/Crossed")
    name: str = Field(description="human-readable topic")
    rule: str
    state: bool | None = Field(description="on/off of property events, null for others")
    operation: str = Field(description="Initialized, Changed or Deleted (property events)")
    source: dict[str, str]
    key: dict[str, str]
    data: dict[str, str]
    camera_time: datetime | None
    received: datetime
    snapshot_id: int | None
    acknowledged: datetime | None
    acknowledged_by: str | None = None
    comment: str

    @staticmethod
    def resolve_acknowledged_by(event: Event) -> str | None:
        return event.acknowledged_by.get_username() if event.acknowledged_by else None


class EventFilter(Schema):
    camera: RowId | None = Field(None, description="device id")
    topic: str = Field("", description="exact topic, or a prefix ending in /")
    rule: str = Field("", max_length=100, description="the analytics rule that raised them")
    since: Moment | None = Field(None, alias="from", description="naive: in VMS_TIME_ZONE")
    until: Moment | None = Field(None, alias="to", description="naive: in VMS_TIME_ZONE")
    limit: int = Field(100, ge=1, le=1000)
    offset: Offset = 0


class AcknowledgeIn(Schema):
    comment: str = Field("", max_length=2000)


class SubscriptionOut(Schema):
    device_id: int
    mode: str = Field(description="pull or push")
    status: str = Field(description="starting, active, retrying, rejected or stopped")
    reason: str
    terminates: datetime | None
    next_attempt: datetime | None
    updated: datetime


@router.get("/events", response=list[EventOut], summary="Events, newest first, filtered")
def list_events(request: HttpRequest, filters: Query[EventFilter]) -> list[Event]:
    require(request, VIEW_LIVE)
    found = services.search(
        device_id=filters.camera,
        topic=filters.topic,
        rule=filters.rule,
        since=filters.since,
        until=filters.until,
    )
    return list(found[filters.offset : filters.offset + filters.limit])


class AcknowledgeManyIn(Schema):
    events: list[RowId] = Field(..., min_length=1, max_length=services.MAX_ACKNOWLEDGE)
    comment: str = Field("", max_length=services.MAX_COMMENT)


class AcknowledgedOut(Schema):
    acknowledged: list[int] = Field(description="ids acknowledged now; the others had been already")


@router.post(
    "/events/acknowledge",
    response=AcknowledgedOut,
    summary="Acknowledge several events with one comment",
)
def acknowledge_events(request: HttpRequest, payload: AcknowledgeManyIn) -> dict[str, list[int]]:
    require(request, ACKNOWLEDGE_EVENTS)
    done = services.acknowledge_many(payload.events, request.user, payload.comment)
    return {"acknowledged": done}


@router.post("/events/{event_id}/acknowledge", response=EventOut, summary="Acknowledge an event")
def acknowledge_event(request: HttpRequest, event_id: RowId, payload: AcknowledgeIn) -> Event:
    require(request, ACKNOWLEDGE_EVENTS)
    event = get_object_or_404(Event.objects.select_related("acknowledged_by"), pk=event_id)
    return services.acknowledge(event, request.user, payload.comment)


@router.get(
    "/event-subscriptions", response=list[SubscriptionOut], summary="Event subscription states"
)
def list_subscriptions(request: HttpRequest) -> list[Subscription]:
    require(request, VIEW_LIVE)
    return list(Subscription.objects.all())


@router.post("/events/notify/{token}", auth=None, include_in_schema=False)
def notify(request: HttpRequest, token: str) -> HttpResponse:
    """WS-BaseNotification consumer: cameras push Notify here. Cameras cannot sign in, so the
    unguessable per-subscription token in the URL is the authentication."""
    sub = (
        Subscription.objects.select_related("device")
        .filter(token=token, mode=Subscription.Mode.PUSH)
        .exclude(status=Subscription.Status.STOPPED)
        .first()
    )
    if sub is None:
        return HttpResponse("Unknown or ended subscription.", status=401, content_type="text/plain")
    if len(request.body) > MAX_NOTIFY_BYTES:
        return HttpResponse("Notify too large.", status=413, content_type="text/plain")
    try:
        messages = parse_notify(request.body)
    except ProtocolError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain")
    payloads = ingest.store(sub.device, messages, timezone.now())
    live.send_events_sync({sub.device_id: payloads})
    return HttpResponse(status=202)
