"""JSON API of a camera's analytics (clause 9): its analytics configurations with the rule and
module types the camera supports, their options, and the rules and modules held (everyone who
sees live video); rules and modules created, changed and deleted (admins). Every write is
checked against the camera's description and options (400 with the fields, nothing sent),
sent, re-read and audited. 404: no such device, configuration, rule or module; 409: the camera
refused it in its present state; 502: the camera could not be reached."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from analytics import services
from analytics.models import AnalyticsConfiguration
from analytics.serialize import Malformed, item_value, type_label
from cameras.configure.api import ERRORS, allowed_device
from cameras.configure.errors import ConfigError
from cameras.models import Device
from cameras.onvif.analytics_types import AnalyticsItem
from frontend.roles import CONFIGURE_CAMERAS, VIEW_LIVE
from vms.params import RowId

router = Router(tags=["analytics"])
KINDS = {"rules": services.RULE, "modules": services.MODULE}


class ItemIn(Schema):
    name: str = Field(min_length=1, max_length=64)
    type: str = Field(min_length=1, max_length=200, description='e.g. "tt:LineDetector"')
    simple: dict[str, str] = Field(default_factory=dict, description="SimpleItem name -> value")
    elements: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="ElementItem name -> {kind: polyline|polygon|polylines|motion_region|"
        "cell_layout|raw, ...} (analytics.serialize)",
    )

    def item(self, name: str | None = None) -> AnalyticsItem:
        try:
            return item_value(name or self.name, self.type, self.simple, self.elements)
        except Malformed as exc:
            raise ConfigError(str(exc), 400, {"elements": str(exc)}) from None


class AnalyticsOut(Schema):
    configurations: list[dict[str, Any]] = Field(
        description="token, name, profile_token, capabilities, supported_rules, rule_options, "
        "supported_modules, module_options, cell_layout, rules, modules"
    )


def _items(device: Device, config: AnalyticsConfiguration, kind: str) -> list[dict[str, Any]]:
    held = config.rules.all() if kind == services.RULE else config.modules.all()
    items = []
    for item in held:
        entry = {
            "name": item.name,
            "type": item.type,
            "label": type_label(item.type),
            "simple": item.simple,
            "elements": item.elements,
        }
        if kind == services.RULE:
            entry["url"] = reverse("analytics_rule", args=[device.pk, item.name])
        items.append(entry)
    return items


def configuration_json(device: Device, config: AnalyticsConfiguration) -> dict[str, Any]:
    layout = services.cell_layout(config)
    return {
        "token": config.token,
        "name": config.name,
        "profile_token": config.profile_token,
        "capabilities": config.capabilities,
        "supported_rules": config.supported_rules,
        "rule_limit": config.rule_limit,
        "rule_options": config.rule_options,
        "supported_modules": config.supported_modules,
        "module_limit": config.module_limit,
        "module_options": config.module_options,
        "cell_layout": {
            "columns": layout.columns,
            "rows": layout.rows,
            "translate": list(layout.translate),
            "scale": list(layout.scale),
        }
        if layout
        else None,
        "rules": _items(device, config, services.RULE),
        "modules": _items(device, config, services.MODULE),
    }


def analytics_json(device: Device) -> dict[str, Any]:
    configs = device.analytics_configurations.prefetch_related("rules", "modules")
    return {"configurations": [configuration_json(device, c) for c in configs]}


@router.get(
    "/devices/{device_id}/analytics",
    response={200: AnalyticsOut, **ERRORS},
    summary="Analytics configurations, supported rule and module types, options, rules, modules",
)
def get_analytics(request: HttpRequest, device_id: RowId) -> Any:
    return analytics_json(allowed_device(request, device_id, VIEW_LIVE))


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise ConfigError('Analytics items are "rules" or "modules".', 404)
    return KINDS[kind]


@router.post(
    "/devices/{device_id}/analytics/{token}/{kind}",
    response={201: AnalyticsOut, **ERRORS},
    summary="Create a rule (CreateRules) or an analytics module (CreateAnalyticsModules)",
)
def create_item(
    request: HttpRequest, device_id: RowId, token: str, kind: str, payload: ItemIn
) -> Any:
    device = allowed_device(request, device_id, CONFIGURE_CAMERAS)
    services.create(device, request.user, token, _kind(kind), payload.item())
    return Status(201, analytics_json(device))


@router.put(
    "/devices/{device_id}/analytics/{token}/{kind}/{name}",
    response={200: AnalyticsOut, **ERRORS},
    summary="Change a rule (ModifyRules) or a module (ModifyAnalyticsModules)",
)
def modify_item(
    request: HttpRequest, device_id: RowId, token: str, kind: str, name: str, payload: ItemIn
) -> Any:
    device = allowed_device(request, device_id, CONFIGURE_CAMERAS)
    services.modify(device, request.user, token, _kind(kind), payload.item(name))
    return analytics_json(device)


@router.delete(
    "/devices/{device_id}/analytics/{token}/{kind}/{name}",
    response={200: AnalyticsOut, **ERRORS},
    summary="Delete a rule (DeleteRules) or a module (DeleteAnalyticsModules)",
)
def delete_item(request: HttpRequest, device_id: RowId, token: str, kind: str, name: str) -> Any:
    device = allowed_device(request, device_id, CONFIGURE_CAMERAS)
    services.delete(device, request.user, token, _kind(kind), name)
    return analytics_json(device)
