"""The analytics service (clause 9): the rule engine (GetSupportedRules, GetRules,
CreateRules, ModifyRules, DeleteRules, GetRuleOptions) and the analytics engine
(GetServiceCapabilities, GetSupportedAnalyticsModules, GetAnalyticsModules,
Create/Modify/DeleteAnalyticsModules, GetAnalyticsModuleOptions, GetSupportedMetadata).

Every operation addresses an analytics configuration by its token. Rules and modules are
the AnalyticsItem of `analytics_types`; type QNames go out with their namespace prefixes
declared in the envelope. Faults keep their class (cameras.onvif.errors) and their detail,
with a message that says what went wrong in words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cameras.onvif import wsdl
from cameras.onvif.analytics_types import (
    AnalyticsCapabilities,
    AnalyticsItem,
    ConfigDescription,
    ConfigOption,
    ItemDescription,
    SupportedTypes,
    attr,
    element_name,
    flag,
    is_xml,
    kid,
    kids,
    leaf,
    read_item,
    read_qname,
    write_item,
    write_qname,
    xml_text,
)
from cameras.onvif.config_read import num, plain_text, seconds, texts, whole
from cameras.onvif.errors import OnvifError

if TYPE_CHECKING:
    from collections.abc import Callable

    from cameras.onvif.client import OnvifClient

# Analytics fault subcodes (clause 9.3.4, 9.4.4, 9.5) in words; {what} names the rules,
# modules or type of the call.
FAULTS = {
    "NoConfig": "The camera has no analytics configuration {token}.",
    "RuleAlreadyExistent": "The camera already has a rule named {what}: choose another name.",
    "RuleNotExistent": "The camera has no rule {what}.",
    "InvalidRule": "The camera refused the rule {what}: its type or parameters are not valid.",
    "TooManyRules": "The camera holds as many rules as it can: delete one first.",
    "NameAlreadyExistent": "The camera already has an analytics module named {what}.",
    "NameNotExistent": "The camera has no analytics module {what}.",
    "InvalidModule": "The camera refused the analytics module {what}: its type or parameters "
    "are not valid.",
    "TooManyModules": "The camera holds as many analytics modules as it can: delete one first.",
    "TypeNotExistent": "The camera does not know the analytics module type {what}.",
    "TypeChangeProhibited": "The camera does not change the type of a rule or module ({what}).",
    "ConfigurationConflict": "The camera refused {what}: it conflicts with the camera's other "
    "analytics settings.",
}
RANGES: dict[str, Callable[[Any], float | None]] = {
    "IntRange": num,
    "FloatRange": num,
    "DurationRange": seconds,
}
LISTS = ("IntList", "FloatList", "StringList")
MOTION_REGION_FLAGS = ("DisarmSupport", "PolygonSupport", "SingleSensitivitySupport",
                       "RuleNotification")  # fmt: skip
RECTANGLE_RANGES = ("XRange", "YRange", "WidthRange", "HeightRange")


# -- reading ------------------------------------------------------------------------------------


def read_capabilities(node: Any) -> AnalyticsCapabilities:
    def on(name: str) -> bool:
        return flag(attr(node, name)) is True

    return AnalyticsCapabilities(
        rules=on("RuleSupport"),
        modules=on("AnalyticsModuleSupport"),
        cell_scene=on("CellBasedSceneDescriptionSupported"),
        rule_options=on("RuleOptionsSupported"),
        module_options=on("AnalyticsModuleOptionsSupported"),
        supported_metadata=on("SupportedMetadata"),
    )


def read_description(node: Any) -> ConfigDescription | None:
    """A tt:ConfigDescription; None without a type name."""
    kind = read_qname(attr(node, "Name"))
    if not kind:
        return None
    parameters = kid(node, "Parameters")
    found = [
        ItemDescription(name=name, type=plain_text(attr(d, "Type")).strip(), element=element)
        for element, tag in ((False, "SimpleItemDescription"), (True, "ElementItemDescription"))
        for d in kids(parameters, tag)
        if (name := plain_text(attr(d, "Name")).strip())
    ]
    topics = (plain_text(leaf(m, "ParentTopic")).strip() for m in kids(node, "Messages"))
    limit = whole(attr(node, "maxInstances"))
    return ConfigDescription(
        type=kind,
        parameters=tuple(found),
        topics=tuple(t for t in topics if t),
        fixed=flag(attr(node, "fixed")) is True,
        max_instances=limit if limit is not None and limit >= 0 else None,
    )


def read_supported(node: Any, tag: str) -> SupportedTypes:
    """tt:SupportedRules (`tag` RuleDescription) or tt:SupportedAnalyticsModules
    (AnalyticsModuleDescription)."""
    found = (read_description(d) for d in kids(node, tag))
    limit = whole(attr(node, "Limit"))
    return SupportedTypes(
        descriptions=tuple(d for d in found if d is not None),
        limit=limit if limit is not None and limit >= 0 else None,
    )


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return plain_text(value.text if is_xml(value) else value).strip()


def _limits(node: Any) -> tuple[int, int] | None:
    low, high = whole(leaf(node, "Min")), whole(leaf(node, "Max"))
    return (low, high) if low is not None and high is not None and 0 <= low <= high else None


def _list_kind(values: list[Any], declared: str) -> str:
    if declared in LISTS:
        return declared
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if values and len(numbers) == len(values):
        return "IntList" if all(isinstance(v, int) for v in numbers) else "FloatList"
    return "StringList"


def _option_fields(kind: str, value: Any) -> dict[str, Any]:
    """The ConfigOption fields read from an option element of `kind`."""
    if kind in RANGES:
        low, high = RANGES[kind](leaf(value, "Min")), RANGES[kind](leaf(value, "Max"))
        if low is None or high is None or low > high:
            return {}
        return {"minimum": low, "maximum": high}
    if kind in LISTS:
        return {"values": texts(value.text if is_xml(value) else value)}
    if kind == "StringItems":
        return {"values": tuple(t for i in kids(value, "Item") if (t := _text(i)))}
    if kind == "PolygonOptions":
        return {
            "rectangle_only": flag(leaf(value, "RectangleOnly")) is True,
            "vertex_limits": _limits(kid(value, "VertexLimits")),
        }
    extra: dict[str, str] = {}
    if kind == "MotionRegionConfigOptions":
        found = {name: leaf(value, name) for name in MOTION_REGION_FLAGS}
        found["PTZPresetMotionSupport"] = attr(value, "PTZPresetMotionSupport")
        extra = {k: _text(on) for k, v in found.items() if (on := flag(v)) is not None}
        if (regions := whole(leaf(value, "MaxRegions"))) is not None and regions >= 0:
            extra["MaxRegions"] = str(regions)
        return {
            "rectangle_only": flag(extra.get("PolygonSupport")) is False,
            "vertex_limits": _limits(kid(value, "PolygonLimits")),
            "extra": extra,
        }
    if kind == "IntRectangleRange":
        for name in RECTANGLE_RANGES:
            if (limits := _limits(kid(value, name))) is not None:
                extra[name] = f"{limits[0]} {limits[1]}"
    elif is_xml(value):  # an option element the VMS does not know: its flags as text
        extra = {str(k): str(v) for k, v in value.attrib.items()}
        for child in value:
            if isinstance(child.tag, str) and len(child) == 0 and (text := _text(child)):
                extra[element_name(child)[1]] = text
    return {"extra": extra}


def read_option(node: Any, owner: str) -> ConfigOption | None:
    """A tan:ConfigOptions; `owner` is the attribute that names its type (RuleType or
    AnalyticsModule). None without a parameter name."""
    name = plain_text(attr(node, "Name")).strip()
    if not name:
        return None
    value = getattr(node, "_value_1", None)
    if isinstance(value, list) and value and all(is_xml(v) for v in value):
        value = value[0]  # a camera that sent more than the one option element
    declared = read_qname(attr(node, "Type")).rpartition("}")[2].rpartition(":")[2]
    if isinstance(value, list | tuple):
        kind = _list_kind(list(value), declared)
    else:
        kind = element_name(value)[1] or (declared if value is not None else "")
    fields = _option_fields(kind, value) if kind else {}
    extra = fields.pop("extra", {})
    for bound in ("minOccurs", "maxOccurs"):
        if (count := whole(attr(node, bound))) is not None:
            extra[bound] = str(count)
    return ConfigOption(
        name=name,
        type=read_qname(attr(node, owner)),
        kind=kind,
        extra=extra,
        **fields,
    )


def read_options(answer: Any, owner: str) -> list[ConfigOption]:
    return [o for n in _listed(answer) if (o := read_option(n, owner)) is not None]


def _listed(answer: Any) -> list[Any]:
    if answer is None:
        return []
    return answer if isinstance(answer, list) else [answer]


# -- calls --------------------------------------------------------------------------------------


def _declare(prefixes: dict[str, str]) -> None:
    """Declare `prefixes` on the envelopes of the analytics service (zeep's
    Client.set_ns_prefix, on the WSDL document the clients of every camera share), so
    that the QNames sent as text resolve on the camera."""
    types = wsdl.document(wsdl.SERVICES["rules"].wsdl).types
    for prefix, uri in prefixes.items():
        types.set_ns_prefix(prefix, uri)


async def _call(
    client: OnvifClient, service: str, operation: str, what: str, /, **kwargs: Any
) -> Any:
    """Call `operation`; an analytics fault is raised again with its meaning in words."""
    try:
        return await client.call(service, operation, **kwargs)
    except OnvifError as exc:
        codes, _, words = exc.detail.partition("]")  # "Sender [subcodes] the camera's words"
        for subcode, message in FAULTS.items():
            if f"'{subcode}'" in codes:
                token = f'"{kwargs.get("ConfigurationToken", "")}"'
                text = message.format(what=what or "named in the request", token=token)
                words = words.strip().rstrip(".")
                text = f"{text} (The camera says: {words[:200]}.)" if words else text
                raise type(exc)(text, operation=operation, detail=exc.detail) from exc
        raise


def _names(names: list[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


async def _write(
    client: OnvifClient, service: str, operation: str, tag: str, token: str,
    items: list[AnalyticsItem],
) -> None:  # fmt: skip
    if not items:
        return
    written = [write_item(item) for item in items]
    _declare({p: uri for _, prefixes in written for p, uri in prefixes.items()})
    await _call(
        client, service, operation, _names([i.name for i in items]),
        ConfigurationToken=token, **{tag: [config for config, _ in written]},
    )  # fmt: skip


async def get_service_capabilities(client: OnvifClient) -> AnalyticsCapabilities:
    answer = await _call(client, "analytics", "GetServiceCapabilities", "")
    return read_capabilities(getattr(answer, "Capabilities", answer))


# -- rules --------------------------------------------------------------------------------------


async def get_supported_rules(client: OnvifClient, config_token: str) -> SupportedTypes:
    answer = await _call(client, "rules", "GetSupportedRules", "", ConfigurationToken=config_token)
    return read_supported(answer, "RuleDescription")


async def get_rules(client: OnvifClient, config_token: str) -> list[AnalyticsItem]:
    answer = await _call(client, "rules", "GetRules", "", ConfigurationToken=config_token)
    return [r for node in _listed(answer) if (r := read_item(node)) is not None]


async def create_rules(client: OnvifClient, config_token: str, rules: list[AnalyticsItem]) -> None:
    await _write(client, "rules", "CreateRules", "Rule", config_token, rules)


async def modify_rules(client: OnvifClient, config_token: str, rules: list[AnalyticsItem]) -> None:
    """Change rules by name; parameters left out keep their value on the camera."""
    await _write(client, "rules", "ModifyRules", "Rule", config_token, rules)


async def delete_rules(client: OnvifClient, config_token: str, names: list[str]) -> None:
    if names:
        await _call(
            client, "rules", "DeleteRules", _names(names),
            ConfigurationToken=config_token, RuleName=list(names),
        )  # fmt: skip


async def get_rule_options(
    client: OnvifClient, config_token: str, rule_type: str | None = None
) -> list[ConfigOption]:
    """The options of one rule type's parameters, or of every type's."""
    args: dict[str, Any] = {"ConfigurationToken": config_token}
    if rule_type:
        args["RuleType"], prefixes = write_qname(rule_type)
        _declare(prefixes)
    what = f"type {rule_type}" if rule_type else ""
    answer = await _call(client, "rules", "GetRuleOptions", what, **args)
    return read_options(answer, "RuleType")


# -- analytics modules --------------------------------------------------------------------------


async def get_supported_analytics_modules(client: OnvifClient, config_token: str) -> SupportedTypes:
    answer = await _call(
        client, "analytics", "GetSupportedAnalyticsModules", "", ConfigurationToken=config_token
    )
    return read_supported(answer, "AnalyticsModuleDescription")


async def get_analytics_modules(client: OnvifClient, config_token: str) -> list[AnalyticsItem]:
    answer = await _call(
        client, "analytics", "GetAnalyticsModules", "", ConfigurationToken=config_token
    )
    return [m for node in _listed(answer) if (m := read_item(node)) is not None]


async def create_analytics_modules(
    client: OnvifClient, config_token: str, modules: list[AnalyticsItem]
) -> None:
    """Add modules; one without parameters gets the camera's defaults."""
    await _write(
        client, "analytics", "CreateAnalyticsModules", "AnalyticsModule", config_token, modules
    )


async def modify_analytics_modules(
    client: OnvifClient, config_token: str, modules: list[AnalyticsItem]
) -> None:
    """Change modules by name; parameters left out keep their value on the camera."""
    await _write(
        client, "analytics", "ModifyAnalyticsModules", "AnalyticsModule", config_token, modules
    )


async def delete_analytics_modules(
    client: OnvifClient, config_token: str, names: list[str]
) -> None:
    if names:
        await _call(
            client, "analytics", "DeleteAnalyticsModules", _names(names),
            ConfigurationToken=config_token, AnalyticsModuleName=list(names),
        )  # fmt: skip


async def get_analytics_module_options(
    client: OnvifClient, config_token: str, module_type: str | None = None
) -> list[ConfigOption]:
    """The options of one module type's parameters, or of every type's."""
    args: dict[str, Any] = {"ConfigurationToken": config_token}
    if module_type:
        args["Type"], prefixes = write_qname(module_type)
        _declare(prefixes)
    answer = await _call(
        client, "analytics", "GetAnalyticsModuleOptions", module_type or "", **args
    )
    return read_options(answer, "AnalyticsModule")


async def get_supported_metadata(
    client: OnvifClient, module_type: str | None = None
) -> list[tuple[str, str]]:
    """(module type, sample tt:Frame as XML) of what each module can put in the metadata
    stream; the XML is "" when the camera gave no readable sample."""
    args: dict[str, Any] = {}
    if module_type:
        args["Type"], prefixes = write_qname(module_type)
        _declare(prefixes)
    answer = await _call(client, "analytics", "GetSupportedMetadata", module_type or "", **args)
    found = []
    for node in _listed(answer):
        kind = read_qname(attr(node, "Type"))
        if kind:
            found.append((kind, xml_text(getattr(node, "SampleFrame", None)) or ""))
    return found
