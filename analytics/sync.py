"""Reading a camera's analytics (clause 9) during the device sync, and storing it.

For each analytics configuration: the profile that holds it, the rule types and module types
the camera supports with their options, and the rules and modules it holds. A part the camera
does not offer (no rule engine, options not supported) is left empty, never a failed sync.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from analytics.models import AnalyticsConfiguration
from analytics.serialize import item_json, option_json, supported_json
from cameras.onvif import OnvifClient
from cameras.onvif import analytics as onvif_analytics
from cameras.onvif import configurations as onvif_configurations
from cameras.onvif import profiles as onvif_profiles
from cameras.onvif.analytics_types import (
    AnalyticsCapabilities,
    AnalyticsItem,
    ConfigOption,
    SupportedTypes,
)
from cameras.onvif.reads import optional_read

if TYPE_CHECKING:
    from cameras.models import Device

logger = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class ConfigurationRead:
    token: str
    name: str
    profile_token: str = ""
    video_source_configuration: str = ""
    supported_rules: SupportedTypes = field(default_factory=SupportedTypes)
    rule_options: list[ConfigOption] = field(default_factory=list)
    rules: list[AnalyticsItem] = field(default_factory=list)
    supported_modules: SupportedTypes = field(default_factory=SupportedTypes)
    module_options: list[ConfigOption] = field(default_factory=list)
    modules: list[AnalyticsItem] = field(default_factory=list)


@dataclass
class AnalyticsSnapshot:
    capabilities: AnalyticsCapabilities
    configurations: list[ConfigurationRead] = field(default_factory=list)


async def read_configuration(
    client: OnvifClient, caps: AnalyticsCapabilities, found: ConfigurationRead
) -> ConfigurationRead:
    token, where = found.token, client.where
    if caps.rules or client.offers("rules"):
        found.supported_rules = (
            await optional_read(
                "rule types", onvif_analytics.get_supported_rules(client, token), where
            )
            or SupportedTypes()
        )
        found.rules = (
            await optional_read("rules", onvif_analytics.get_rules(client, token), where) or []
        )
        if caps.rule_options:
            found.rule_options = (
                await optional_read(
                    "options", onvif_analytics.get_rule_options(client, token), where
                )
                or []
            )
    if caps.modules:
        found.supported_modules = (
            await optional_read(
                "modules", onvif_analytics.get_supported_analytics_modules(client, token), where
            )
            or SupportedTypes()
        )
        found.modules = (
            await optional_read(
                "modules", onvif_analytics.get_analytics_modules(client, token), where
            )
            or []
        )
        if caps.module_options:
            options = onvif_analytics.get_analytics_module_options(client, token)
            found.module_options = await optional_read("module options", options, where) or []
    return found


async def read_analytics(client: OnvifClient) -> AnalyticsSnapshot | None:
    """None when the camera has no analytics service (the stored analytics are then removed)."""
    if not (client.offers("analytics") or client.offers("rules")):
        return None
    where = client.where
    caps = await optional_read("analytics", onvif_analytics.get_service_capabilities(client), where)
    snapshot = AnalyticsSnapshot(caps or AnalyticsCapabilities(rules=client.offers("rules")))
    configs = await optional_read(
        "analytics configs", onvif_configurations.get_configurations(client, "Analytics"), where
    )
    profiles = await optional_read(
        "profiles", onvif_profiles.get_profile_configurations(client), where
    )
    for config in configs or []:
        found = ConfigurationRead(config.token, config.name)
        holder = next(
            (
                p
                for p in profiles or []
                if (held := p.configurations.get("Analytics")) and held.token == config.token
            ),
            None,
        )
        if holder is not None:
            found.profile_token = holder.token
            source = holder.configurations.get("VideoSource")
            found.video_source_configuration = source.token if source else ""
        snapshot.configurations.append(
            await read_configuration(client, snapshot.capabilities, found)
        )
    return snapshot


def _capabilities(caps: AnalyticsCapabilities) -> dict[str, Any]:
    return {
        "rules": caps.rules,
        "modules": caps.modules,
        "cell_scene": caps.cell_scene,
        "rule_options": caps.rule_options,
        "module_options": caps.module_options,
    }


def store_configuration(
    config: AnalyticsConfiguration, found: ConfigurationRead, caps: dict[str, Any] | None = None
) -> None:
    """Keep what was read of one configuration: its rows replaced by the camera's."""
    config.name = found.name
    config.profile_token = found.profile_token or config.profile_token
    config.video_source_configuration = (
        found.video_source_configuration or config.video_source_configuration
    )
    if caps is not None:
        config.capabilities = caps
    config.supported_rules = supported_json(found.supported_rules)
    config.rule_limit = found.supported_rules.limit
    config.rule_options = [option_json(o) for o in found.rule_options]
    config.supported_modules = supported_json(found.supported_modules)
    config.module_limit = found.supported_modules.limit
    config.module_options = [option_json(o) for o in found.module_options]
    config.save()
    store_items(config, rules=found.rules, modules=found.modules)


def store_items(
    config: AnalyticsConfiguration,
    *,
    rules: list[AnalyticsItem] | None = None,
    modules: list[AnalyticsItem] | None = None,
) -> None:
    for manager, items in ((config.rules, rules), (config.modules, modules)):
        if items is None:
            continue
        manager.exclude(name__in=[i.name for i in items]).delete()
        for item in items:
            data = item_json(item)
            manager.update_or_create(
                name=item.name,
                defaults={
                    "type": item.type,
                    "simple": data["simple"],
                    "elements": data["elements"],
                },
            )


def store_analytics(device: Device, snapshot: AnalyticsSnapshot | None) -> None:
    held = device.analytics_configurations
    if snapshot is None:
        held.all().delete()
        return
    held.exclude(token__in=[c.token for c in snapshot.configurations]).delete()
    caps = _capabilities(snapshot.capabilities)
    for found in snapshot.configurations:
        config, _ = held.get_or_create(token=found.token)
        store_configuration(config, found, caps)
