"""The events page (live alarm feed and timeline), acknowledging, snapshots."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from cameras.models import Device
from cameras.onvif.events import TOPIC_NAMES
from events import services
from events.models import Event, Snapshot, Subscription
from frontend.access import requires
from frontend.roles import ACKNOWLEDGE_EVENTS, VIEW_LIVE

PAGE_SIZE = 50


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = parse_datetime(text)
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def filters(query: Any) -> dict[str, Any]:
    device = query.get("camera") or ""
    return {
        "device_id": int(device) if device.isdigit() else None,
        "topic": query.get("topic") or "",
        "since": _when(query.get("from")),
        "until": _when(query.get("to")),
    }


@requires(VIEW_LIVE)
def events(request: HttpRequest) -> HttpResponse:
    chosen = filters(request.GET)
    page = Paginator(services.search(**chosen), PAGE_SIZE).get_page(request.GET.get("page"))
    topics = sorted(
        set(Event.objects.values_list("topic", flat=True).distinct()) | set(TOPIC_NAMES)
    )
    context = {
        "nav": "events",
        "page": page,
        "devices": Device.objects.all(),
        "topics": [(t, TOPIC_NAMES.get(t, t)) for t in topics],
        "chosen": chosen,
        "query": request.GET,
        "alarms": services.search()[:30],
        "subscriptions": Subscription.objects.select_related("device"),
    }
    return render(request, "events/events.html", context)


@requires(ACKNOWLEDGE_EVENTS)
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    services.acknowledge(event, request.user, request.POST.get("comment", ""))
    messages.success(request, f"Acknowledged: {event.name} on {event.device}.")
    return redirect("events")


@requires(VIEW_LIVE)
def snapshot(request: HttpRequest, pk: int) -> HttpResponse:
    shot = Snapshot.objects.filter(pk=pk).values_list("jpeg", flat=True).first()
    if shot is None:
        raise Http404("No such snapshot.")
    response = HttpResponse(bytes(shot), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response
