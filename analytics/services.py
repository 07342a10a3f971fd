"""Changing a camera's analytics rules and modules (clause 9.3.4, 9.4.4): checked against the
camera's rule or module description and options (analytics.checks; nothing sent when refused),
sent, the camera's rules or modules re-read and stored, audited like every configuration change
(cameras.ConfigurationChange, topics "AnalyticsRule" and "AnalyticsModule")."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from analytics import checks
from analytics.models import AnalyticsConfiguration
from analytics.serialize import element_value, item_json
from analytics.sync import ConfigurationRead, read_configuration, store_configuration, store_items
from cameras.configure.errors import ConfigError
from cameras.configure.services import Change, User, read, record, run_change
from cameras.models import Device
from cameras.onvif import OnvifClient
from cameras.onvif import analytics as onvif_analytics
from cameras.onvif.analytics_types import AnalyticsCapabilities, AnalyticsItem, CellLayout

RULE, MODULE = "AnalyticsRule", "AnalyticsModule"


def configuration(device: Device, token: str) -> AnalyticsConfiguration:
    found = device.analytics_configurations.filter(token=token).first()
    if found is None:
        raise ConfigError(f"The camera has no analytics configuration {token!r}.", 404)
    return found


def cell_layout(config: AnalyticsConfiguration) -> CellLayout | None:
    """The cell grid of the camera's cell motion engine (Annex D), if it has one."""
    for module in config.modules.all():
        layout = module.elements.get("Layout")
        if isinstance(layout, dict) and layout.get("kind") == "cell_layout":
            value = element_value(layout)
            assert isinstance(value, CellLayout)
            return value
    return None


def refresh(device: Device, token: str) -> AnalyticsConfiguration:
    """Re-read one configuration (types, options, rules, modules) from the camera and keep it."""
    config = configuration(device, token)
    flags = {k: bool(v) for k, v in config.capabilities.items()}
    caps = AnalyticsCapabilities(
        rules=flags.get("rules", True),
        modules=flags.get("modules", False),
        rule_options=flags.get("rule_options", False),
        module_options=flags.get("module_options", False),
    )

    async def work(client: OnvifClient) -> ConfigurationRead:
        found = ConfigurationRead(config.token, config.name)
        return await read_configuration(client, caps, found)

    store_configuration(config, read(device, work))
    return config


def _description(config: AnalyticsConfiguration, kind: str, type_: str) -> dict[str, Any] | None:
    supported = config.supported_rules if kind == RULE else config.supported_modules
    return next((d for d in supported if d.get("type") == type_), None)


def _change(
    device: Device,
    user: User,
    config: AnalyticsConfiguration,
    kind: str,
    change: Change,
    send: Callable[[OnvifClient], Awaitable[None]],
) -> AnalyticsConfiguration:
    """Send, re-read the rules (or modules), store them with the audit row."""
    read_back = onvif_analytics.get_rules if kind == RULE else onvif_analytics.get_analytics_modules

    async def work(client: OnvifClient) -> list[AnalyticsItem]:
        await send(client)
        return await read_back(client, config.token)

    def keep(items: list[AnalyticsItem]) -> None:
        if kind == RULE:
            store_items(config, rules=items)
        else:
            store_items(config, modules=items)

    run_change(device, user, change, work, keep)
    return config


def _checked(
    config: AnalyticsConfiguration, kind: str, item: AnalyticsItem, *, creating: bool
) -> None:
    held_items = config.rules if kind == RULE else config.modules
    held = [{"name": i.name, "type": i.type} for i in held_items.all()]
    if not creating and not held_items.filter(name=item.name).exists():
        raise ConfigError(f"The camera has no {kind_word(kind)} {item.name!r}.", 404)
    errors = checks.check_item(
        item,
        _description(config, kind, item.type),
        config.rule_options if kind == RULE else config.module_options,
        held if creating else [],
        creating=creating,
        limit=config.rule_limit if kind == RULE else config.module_limit,
        layout=cell_layout(config) if kind == RULE else None,
    )
    if errors:
        raise ConfigError(" ".join(errors.values()), 400, errors)


def kind_word(kind: str) -> str:
    return "rule" if kind == RULE else "analytics module"


def create(
    device: Device, user: User, token: str, kind: str, item: AnalyticsItem
) -> AnalyticsConfiguration:
    config = configuration(device, token)
    change = Change(kind, "create", item.name, after=item_json(item))
    try:
        _checked(config, kind, item, creating=True)
    except ConfigError as error:
        _refused(device, user, change, error)
    send = (
        onvif_analytics.create_rules if kind == RULE else onvif_analytics.create_analytics_modules
    )
    return _change(device, user, config, kind, change, lambda c: send(c, config.token, [item]))


def modify(
    device: Device, user: User, token: str, kind: str, item: AnalyticsItem
) -> AnalyticsConfiguration:
    config = configuration(device, token)
    held = (config.rules if kind == RULE else config.modules).filter(name=item.name).first()
    change = Change(kind, "modify", item.name, after=item_json(item))
    try:
        if held is not None:
            change.before = {"type": held.type, "simple": held.simple, "elements": held.elements}
            if held.type != item.type:
                raise ConfigError("A rule or module keeps its type: delete it and create one.", 409)
        _checked(config, kind, item, creating=False)
    except ConfigError as error:
        _refused(device, user, change, error)
    send = (
        onvif_analytics.modify_rules if kind == RULE else onvif_analytics.modify_analytics_modules
    )
    return _change(device, user, config, kind, change, lambda c: send(c, config.token, [item]))


def delete(device: Device, user: User, token: str, kind: str, name: str) -> AnalyticsConfiguration:
    config = configuration(device, token)
    held = (config.rules if kind == RULE else config.modules).filter(name=name).first()
    change = Change(kind, "delete", name)
    if held is None:
        _refused(
            device, user, change, ConfigError(f"The camera has no {kind_word(kind)} {name!r}.", 404)
        )
    assert held is not None
    change.before = {"type": held.type, "simple": held.simple, "elements": held.elements}
    send = (
        onvif_analytics.delete_rules if kind == RULE else onvif_analytics.delete_analytics_modules
    )
    return _change(device, user, config, kind, change, lambda c: send(c, config.token, [name]))


def _refused(device: Device, user: User, change: Change, error: ConfigError) -> None:
    """A change refused before sending: audited as refused, then raised."""
    record(device, user, change, error.message)
    raise error
