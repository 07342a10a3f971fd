"""Analytics (tan, clause 9): supported rules/modules, options, rule and module configuration."""

from __future__ import annotations

from lxml import etree

from simulator import scene_rules
from simulator.analytics_cells import DEFAULT_LAYOUT, CellLayout, encode_cells
from simulator.auth import ACTUATE, PRE_AUTH, READ_MEDIA
from simulator.camera import AnalyticsItem, Camera, Configuration
from simulator.services import Call, service
from simulator.services.analytics_catalog import (
    MODULES,
    RULES,
    description,
    int_range,
    rule_options,
)
from simulator.services.media_common import item_xml
from simulator.soap import (
    NS,
    E,
    action_failed,
    child,
    children,
    invalid_arg,
    text,
)

svc = service(
    "analytics",
    "tan",
    "/onvif/analytics_service",
    version=(20, 12),
    available=lambda c: c.has_analytics,
)
MAX_RULES, MAX_MODULES = 16, 4
# what an empty parameter set of a new module gets
MODULE_DEFAULTS = {"tt:CellMotionEngine": ({"Sensitivity": "50"}, {"Layout": DEFAULT_LAYOUT.xml()})}


def capabilities(c: Camera):
    return E(
        "tan:Capabilities",
        RuleSupport=True,
        AnalyticsModuleSupport=True,
        CellBasedSceneDescriptionSupported=True,
        RuleOptionsSupported=True,
        AnalyticsModuleOptionsSupported=True,
        SupportedMetadata=True,
    )


svc.capabilities = capabilities


def analytics_config(call: Call) -> Configuration:
    token = text(call.body, "ConfigurationToken")
    cfg = call.camera.config("Analytics", token)
    if cfg is None:
        raise invalid_arg("NoConfig", f"no analytics configuration {token!r}")
    return cfg


def qname(el: etree._Element, value: str | None) -> str:
    """Normalise a QName attribute value to the tt:/axt: prefixes used here."""
    prefix, _, name = (value or "").rpartition(":")
    ns = el.nsmap.get(prefix or None)
    for p in ("tt", "axt"):
        if ns == NS[p]:
            return f"{p}:{name}"
    return value or ""


def parse_items(body: etree._Element, tag: str) -> list[AnalyticsItem]:
    items = []
    for el in children(body, tag):
        params = child(el, "Parameters")
        simple = {s.get("Name"): s.get("Value") for s in children(params, "SimpleItem")}
        elements = {}
        for item in children(params, "ElementItem"):
            content = [c for c in item if isinstance(c.tag, str)]
            if content:
                elements[item.get("Name")] = etree.tostring(content[0]).decode()
        items.append(
            AnalyticsItem(el.get("Name") or "", qname(el, el.get("Type")), simple, elements)
        )
    return items


def validate_rule(rule: AnalyticsItem, modules: list[AnalyticsItem] | None = None) -> None:
    """ter:InvalidRule (with the reason) unless `rule` can be evaluated next to `modules`."""
    try:
        scene_rules.build(rule, scene_rules.engine_of(modules or []))
    except scene_rules.RuleError as exc:
        raise invalid_arg("InvalidRule", str(exc)) from None


def layout_of(cfg: Configuration) -> CellLayout:
    engine = scene_rules.engine_of(cfg.modules)
    return engine.layout if engine is not None else DEFAULT_LAYOUT


@svc.op("GetServiceCapabilities", PRE_AUTH)
def get_service_capabilities(call: Call):
    return E("tan:GetServiceCapabilitiesResponse", capabilities(call.camera))


@svc.op("GetSupportedRules", READ_MEDIA)
def get_supported_rules(call: Call):
    analytics_config(call)
    descs = [description("tt:RuleDescription", n, k, MAX_RULES) for n, k in RULES.items()]
    return E("tan:GetSupportedRulesResponse", E("tan:SupportedRules", descs, Limit=MAX_RULES))


@svc.op("GetRules", READ_MEDIA)
def get_rules(call: Call):
    cfg = analytics_config(call)
    return E("tan:GetRulesResponse", [item_xml("tan:Rule", r) for r in cfg.rules])


@svc.op("CreateRules", ACTUATE)
def create_rules(call: Call):
    cfg = analytics_config(call)
    new = parse_items(call.body, "Rule")
    names = [r.name for r in cfg.rules]
    for rule in new:
        validate_rule(rule, cfg.modules)
        if rule.name in names:
            raise invalid_arg("RuleAlreadyExistent", f"rule {rule.name!r} exists")
        names.append(rule.name)
    if len(names) > MAX_RULES:
        raise action_failed("TooManyRules", f"at most {MAX_RULES} rules")
    cfg.rules.extend(new)
    call.rt.scene.changed()
    return E("tan:CreateRulesResponse")


@svc.op("ModifyRules", ACTUATE)
def modify_rules(call: Call):
    cfg = analytics_config(call)
    changes = parse_items(call.body, "Rule")
    by_name = {r.name: r for r in cfg.rules}
    for rule in changes:
        old = by_name.get(rule.name)
        if old is None:
            raise invalid_arg("RuleNotExistent", f"no rule {rule.name!r}")
        if rule.type and rule.type != old.type:
            raise action_failed("TypeChangeProhibited", "a rule cannot change its type")
        merged = AnalyticsItem(
            old.name, old.type, old.simple | rule.simple, old.elements | rule.elements
        )
        validate_rule(merged, cfg.modules)
    for rule in changes:  # atomic: everything was checked first
        old = by_name[rule.name]
        old.simple, old.elements = old.simple | rule.simple, old.elements | rule.elements
    call.rt.scene.changed()
    return E("tan:ModifyRulesResponse")


@svc.op("DeleteRules", ACTUATE)
def delete_rules(call: Call):
    cfg = analytics_config(call)
    names = [n.text for n in children(call.body, "RuleName")]
    missing = [n for n in names if n not in {r.name for r in cfg.rules}]
    if missing:
        raise invalid_arg("RuleNotExistent", f"no rule {missing[0]!r}")
    cfg.rules = [r for r in cfg.rules if r.name not in names]
    call.rt.scene.changed()
    return E("tan:DeleteRulesResponse")


@svc.op("GetRuleOptions", READ_MEDIA)
def get_rule_options(call: Call):
    options = rule_options(layout_of(analytics_config(call)))
    wanted = text(call.body, "RuleType")
    if wanted is not None:
        wanted = qname(child(call.body, "RuleType"), wanted)
        if wanted not in options:
            raise invalid_arg("RuleNotExistent", f"unknown rule type {wanted!r}")
    out = [
        E("tan:RuleOptions", make(), Name=name, RuleType=kind)
        for kind, opts in options.items()
        if wanted in (None, kind)
        for name, make in opts
    ]
    return E("tan:GetRuleOptionsResponse", out)


@svc.op("GetSupportedAnalyticsModules", READ_MEDIA)
def get_supported_analytics_modules(call: Call):
    analytics_config(call)
    descs = [
        description("tt:AnalyticsModuleDescription", n, k, MAX_MODULES) for n, k in MODULES.items()
    ]
    return E(
        "tan:GetSupportedAnalyticsModulesResponse",
        E("tan:SupportedAnalyticsModules", descs, Limit=MAX_MODULES),
    )


@svc.op("GetAnalyticsModules", READ_MEDIA)
def get_analytics_modules(call: Call):
    cfg = analytics_config(call)
    return E(
        "tan:GetAnalyticsModulesResponse", [item_xml("tan:AnalyticsModule", m) for m in cfg.modules]
    )


def check_module(m: AnalyticsItem) -> None:
    if not m.name or m.type not in MODULES:
        raise invalid_arg("InvalidModule", f"unsupported module type {m.type!r}")
    sens = m.simple.get("Sensitivity", "50")
    if not sens.isdigit() or not 0 <= int(sens) <= 100:
        raise invalid_arg("InvalidModule", "Sensitivity must be 0..100")
    if "Layout" in m.elements:
        try:
            CellLayout.parse(m.elements["Layout"])
        except ValueError as exc:
            raise invalid_arg("InvalidModule", str(exc)) from None


def fixed_layout(old: AnalyticsItem, new: AnalyticsItem) -> None:
    """The cell grid is the hardware's (Annex D): a Layout may be sent back, not changed."""
    if "Layout" not in new.elements or "Layout" not in old.elements:
        return
    try:
        before = CellLayout.parse(old.elements["Layout"])
    except ValueError:
        return  # a broken layout from the camera's description may be replaced
    if not before.same_grid(CellLayout.parse(new.elements["Layout"])):
        raise invalid_arg("InvalidModule", "the cell Layout is fixed by the hardware")
    new.elements = {k: v for k, v in new.elements.items() if k != "Layout"}


@svc.op("CreateAnalyticsModules", ACTUATE)
def create_analytics_modules(call: Call):
    cfg = analytics_config(call)
    new = parse_items(call.body, "AnalyticsModule")
    names = [m.name for m in cfg.modules]
    for m in new:
        check_module(m)
        if m.name in names:
            raise invalid_arg("NameAlreadyExistent", f"module {m.name!r} exists")
        names.append(m.name)
        simple, elements = MODULE_DEFAULTS[m.type]
        m.simple, m.elements = simple | m.simple, elements | m.elements
    if len(names) > MAX_MODULES:
        raise action_failed("TooManyModules", f"at most {MAX_MODULES} modules")
    cfg.modules.extend(new)
    call.rt.scene.changed()
    return E("tan:CreateAnalyticsModulesResponse")


@svc.op("ModifyAnalyticsModules", ACTUATE)
def modify_analytics_modules(call: Call):
    cfg = analytics_config(call)
    by_name = {m.name: m for m in cfg.modules}
    changes = parse_items(call.body, "AnalyticsModule")
    for m in changes:
        old = by_name.get(m.name)
        if old is None:
            raise invalid_arg("NameNotExistent", f"no module {m.name!r}")
        if m.type and m.type != old.type:
            raise action_failed("TypeChangeProhibited", "a module cannot change its type")
        check_module(AnalyticsItem(old.name, old.type, old.simple | m.simple, m.elements))
        fixed_layout(old, m)
    for m in changes:
        old = by_name[m.name]
        old.simple, old.elements = old.simple | m.simple, old.elements | m.elements
    call.rt.scene.changed()
    return E("tan:ModifyAnalyticsModulesResponse")


@svc.op("DeleteAnalyticsModules", ACTUATE)
def delete_analytics_modules(call: Call):
    cfg = analytics_config(call)
    names = [n.text for n in children(call.body, "AnalyticsModuleName")]
    missing = [n for n in names if n not in {m.name for m in cfg.modules}]
    if missing:
        raise invalid_arg("NameNotExistent", f"no module {missing[0]!r}")
    cfg.modules = [m for m in cfg.modules if m.name not in names]
    call.rt.scene.changed()
    return E("tan:DeleteAnalyticsModulesResponse")


@svc.op("GetAnalyticsModuleOptions", READ_MEDIA)
def get_analytics_module_options(call: Call):
    analytics_config(call)
    wanted = text(call.body, "Type")
    if wanted is not None:
        wanted = qname(child(call.body, "Type"), wanted)
        if wanted not in MODULES:
            raise invalid_arg("TypeNotExistent", f"unknown module type {wanted!r}")
    return E(
        "tan:GetAnalyticsModuleOptionsResponse",
        E(
            "tan:Options",
            int_range(0, 100),
            Name="Sensitivity",
            AnalyticsModule="tt:CellMotionEngine",
        ),
    )


@svc.op("GetSupportedMetadata", READ_MEDIA)
def get_supported_metadata(call: Call):
    wanted = text(call.body, "Type")
    if wanted is not None and qname(child(call.body, "Type"), wanted) not in MODULES:
        raise invalid_arg("TypeNotExistent", f"unknown module type {wanted!r}")
    shape = E(
        "tt:Shape",
        E("tt:BoundingBox", left=-1.0, top=1.0, right=-0.5, bottom=0.5),
        E("tt:CenterOfGravity", x=-0.75, y=0.75),
    )
    obj = E("tt:Object", E("tt:Appearance", shape), ObjectId=1)
    layout = DEFAULT_LAYOUT
    cells = encode_cells(layout.motion([(-1.0, 1.0, -0.5, 0.5)], 100))
    motion = E("tt:MotionInCells", Columns=layout.columns, Rows=layout.rows, Cells=cells)
    frame = E("tan:SampleFrame", obj, E("tt:Extension", motion), UtcTime="2020-01-01T00:00:00Z")
    return E(
        "tan:GetSupportedMetadataResponse",
        E("tan:AnalyticsModule", frame, Type="tt:CellMotionEngine"),
    )
