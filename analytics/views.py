"""Pages of a camera's analytics: the rule editor over the live picture (admins, in its
Configure area; analytics/static/analytics/rules.js writes through analytics.api), and a
rule's page with its parameters, its recent events and their snapshots (everyone who sees
live video)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from analytics import services
from analytics.api import analytics_json
from analytics.models import AnalyticsRule
from cameras.configure.errors import ConfigError
from cameras.configure.views import render_page
from cameras.models import Device
from events.models import Event
from frontend.access import requires
from frontend.roles import CONFIGURE_CAMERAS, VIEW_LIVE

RECENT = 20


@requires(CONFIGURE_CAMERAS)
def analytics_page(request: HttpRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(Device, pk=pk)
    problem = ""
    if request.GET.get("refresh"):
        try:
            for config in device.analytics_configurations.all():
                services.refresh(device, config.token)
        except ConfigError as exc:
            problem = exc.message
    state = analytics_json(device)
    if not state["configurations"]:
        problem = problem or "The camera reports no analytics configuration (or is not synced)."
    return render_page(
        request,
        device,
        "analytics.html",
        topic="analytics",
        state=state,
        problem=problem,
        ice_servers=settings.VMS_ICE_SERVERS,
    )


@requires(VIEW_LIVE)
def rule_page(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """The rule as the camera holds it (None once deleted: its past events are still shown)."""
    device = get_object_or_404(Device, pk=pk)
    rule = (
        AnalyticsRule.objects.select_related("configuration")
        .filter(configuration__device=device, name=name)
        .first()
    )
    events = (
        Event.objects.filter(device=device, rule=name)
        .select_related("snapshot")
        .order_by("-received")[:RECENT]
    )
    return render(
        request,
        "analytics/rule.html",
        {"nav": "devices", "device": device, "rule": rule, "name": name, "events": events},
    )
