"""The events page (live alarm feed and timeline), acknowledging, snapshots."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from analytics.models import AnalyticsRule
from cameras.models import Device
from cameras.onvif.events import TOPIC_NAMES
from events import filters, services
from events.models import Event, Snapshot, Subscription
from frontend.access import requires
from frontend.roles import ACKNOWLEDGE_EVENTS, VIEW_LIVE

PAGE_SIZE = 50
FEED_SIZE = 30  # events in the alarm feed when the page opens (it keeps 200 as they come)


def rule_choices(device_id: int | None) -> list[tuple[str, str]]:
    """(rule name, label) of the analytics rules the cameras hold (of one camera when chosen)."""
    rules = AnalyticsRule.objects.select_related("configuration__device")
    if device_id is not None:
        rules = rules.filter(configuration__device_id=device_id)
    names: dict[str, str] = {}
    for rule in rules.order_by("name"):
        where = "" if device_id is not None else f" ({rule.configuration.device})"
        names.setdefault(rule.name, f"{rule.name}{where}")
    return list(names.items())


@requires(VIEW_LIVE)
def events(request: HttpRequest) -> HttpResponse:
    chosen = filters.read(request.GET)
    page = Paginator(services.search(**chosen.search()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    asked = request.GET.get("page", "").strip()
    if asked and asked != str(page.number):
        chosen.problems.append(f"Page {asked[:40]} does not exist; this is page {page.number}.")
    topics = sorted(
        set(Event.objects.values_list("topic", flat=True).distinct()) | set(TOPIC_NAMES)
    )
    context = {
        "nav": "events",
        "page": page,
        "devices": Device.objects.all(),
        "topics": [(t, TOPIC_NAMES.get(t, t)) for t in topics],
        "rules": rule_choices(chosen.device_id),
        "chosen": chosen,
        "query": request.GET,
        "alarms": services.search()[:FEED_SIZE],
        "unacknowledged": services.unacknowledged_count(),
        "subscriptions": Subscription.objects.select_related("device"),
    }
    return render(request, "events/events.html", context)


def back(request: HttpRequest) -> HttpResponseRedirect:
    """To the events page the form was sent from (its filters kept), never off this site."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if safe and target.startswith("/events/") else reverse("events"))


@requires(ACKNOWLEDGE_EVENTS)
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    services.acknowledge(event, request.user, request.POST.get("comment", ""))
    messages.success(request, f"Acknowledged: {event.name} on {event.device}.")
    return back(request)


@requires(ACKNOWLEDGE_EVENTS)
@require_POST
def acknowledge_many(request: HttpRequest) -> HttpResponse:
    """The alarms ticked in the feed ("selected"), or all it shows ("shown"), with one comment."""
    shown = request.POST.get("scope") == "shown"
    values = request.POST.getlist("shown" if shown else "event")
    comment = request.POST.get("comment", "")
    bad = next((v for v in values if not v.isdigit() or int(v) > filters.MAX_ID), None)
    if not values:
        messages.error(
            request,
            "No unacknowledged alarm is shown."
            if shown
            else "Tick the alarms to acknowledge first, or use “Acknowledge all shown”.",
        )
    elif bad is not None:
        messages.error(request, f"Nothing acknowledged: “{bad[:40]}” is not an event id.")
    elif len(comment.strip()) > services.MAX_COMMENT:
        messages.error(
            request,
            f"Nothing acknowledged: the comment is longer than {services.MAX_COMMENT} "
            "characters; shorten it.",
        )
    else:
        ids = {int(v) for v in values}
        try:
            done = services.acknowledge_many(ids, request.user, comment)
        except ValueError as exc:
            messages.error(request, f"Nothing acknowledged: {exc} Tick fewer.")
        else:
            messages.success(request, said(len(done), len(ids) - len(done)))
    return back(request)


def said(done: int, skipped: int) -> str:
    text = f"Acknowledged {done} alarm{'' if done == 1 else 's'}."
    if skipped:
        text += f" {skipped} had been acknowledged already (or was deleted)."
    return text


@requires(VIEW_LIVE)
def snapshot(request: HttpRequest, pk: int) -> HttpResponse:
    shot = Snapshot.objects.filter(pk=pk).values_list("jpeg", flat=True).first()
    if shot is None:
        raise Http404("No such snapshot.")
    response = HttpResponse(bytes(shot), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response
