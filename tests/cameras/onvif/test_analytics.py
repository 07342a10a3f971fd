"""Analytics wrappers (rules and modules) against the simulator's bullet-analytics camera,
and analytics answers that lie."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import astuple
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from lxml import etree

from cameras.onvif import CameraFault, InvalidArgument, OnvifClient, cells
from cameras.onvif import analytics as tan
from cameras.onvif.analytics_types import (
    AXT,
    TT,
    AnalyticsCapabilities,
    AnalyticsItem,
    CellLayout,
    ConfigOption,
    ItemDescription,
    MotionExpression,
    MotionRegion,
    Polygon,
    Polyline,
    PolylineArray,
    RawElement,
    read_element,
    read_item,
    read_qname,
    write_element,
    write_qname,
)
from simulator.camera import Camera
from simulator.services import SERVICES, Call, Operation
from tests.cameras.conftest import connected

TAN_NS = "http://www.onvif.org/ver20/analytics/wsdl"
SQUARE = ((-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5))
VENDOR = '<acme:Zone xmlns:acme="urn:acme" kind="acme:x"><acme:Size>3</acme:Size></acme:Zone>'


async def _analytics(fleet: dict[str, Camera]) -> tuple[OnvifClient, str]:
    camera = fleet["bullet-analytics"]
    return await connected(camera), camera.configs("Analytics")[0].token


def _recording(monkeypatch: pytest.MonkeyPatch, operation: str) -> list[etree._Element]:
    """The request bodies the simulator's analytics service gets for `operation`."""
    seen: list[etree._Element] = []
    real = SERVICES["analytics"].operations[operation]

    def record(call: Call) -> Any:
        seen.append(call.body)
        return real.handler(call)

    monkeypatch.setitem(
        SERVICES["analytics"].operations, operation, Operation(operation, record, real.access)
    )
    return seen


def _resolved(element: etree._Element, qname: str) -> str:
    prefix, _, local = qname.rpartition(":")
    return f"{{{element.nsmap.get(prefix or None)}}}{local}"


async def test_the_camera_says_what_its_analytics_can(fleet: dict[str, Camera]) -> None:
    onvif, _ = await _analytics(fleet)
    capabilities = await tan.get_service_capabilities(onvif)
    assert all(astuple(capabilities)), capabilities  # rules, modules, options, cells, metadata


async def test_supported_rules_describe_parameters_and_topics(fleet: dict[str, Camera]) -> None:
    onvif, token = await _analytics(fleet)
    supported = await tan.get_supported_rules(onvif, token)
    by_type = {d.type: d for d in supported.descriptions}
    assert {"tt:LineDetector", "tt:FieldDetector", "tt:CellMotionDetector"} <= set(by_type)
    assert supported.limit == 16
    line = by_type["tt:LineDetector"]
    assert line.parameters == (
        ItemDescription(name="Direction", type="tt:Direction", element=False),
        ItemDescription(name="Segments", type="tt:Polyline", element=True),
    )
    assert line.topics == ("tns1:RuleEngine/LineDetector/Crossed",)
    assert (line.fixed, line.max_instances) == (False, 16)
    region = by_type["tt:MotionRegionDetector"]
    assert region.parameters == (
        ItemDescription(name="MotionRegion", type="axt:MotionRegionConfig", element=True),
    )
    cell = {p.name: p.type for p in by_type["tt:CellMotionDetector"].parameters}
    assert cell["ActiveCells"] == "xs:base64Binary" and cell["MinCount"] == "xs:integer"


async def test_rule_options_give_kinds_and_ranges(fleet: dict[str, Camera]) -> None:
    onvif, token = await _analytics(fleet)
    options = {(o.type, o.name): o for o in await tan.get_rule_options(onvif, token)}
    direction = options["tt:LineDetector", "Direction"]
    assert (direction.kind, direction.values) == ("StringList", ("Left", "Right", "Any"))
    segments = options["tt:LineDetector", "Segments"]
    assert (segments.kind, segments.minimum, segments.maximum) == ("IntRange", 2, 8)
    field = options["tt:FieldDetector", "Field"]
    assert field == ConfigOption(
        name="Field", type="tt:FieldDetector", kind="PolygonOptions", vertex_limits=(3, 8)
    )
    assert options["tt:CellMotionDetector", "MinCount"].maximum == 396
    region = options["tt:MotionRegionDetector", "MotionRegion"]
    assert region.kind == "MotionRegionConfigOptions" and region.vertex_limits == (3, 8)
    assert region.extra == dict.fromkeys(
        ("DisarmSupport", "PolygonSupport", "RuleNotification"), "true"
    )

    only = await tan.get_rule_options(onvif, token, "tt:FieldDetector")
    assert only == [options["tt:FieldDetector", "Field"]]


async def test_rules_are_created_modified_and_deleted(fleet: dict[str, Camera]) -> None:
    onvif, token = await _analytics(fleet)
    modules = await tan.get_analytics_modules(onvif, token)
    layout = next(m.elements["Layout"] for m in modules if "Layout" in m.elements)
    assert isinstance(layout, CellLayout)
    grid = [k % 3 == 0 for k in range(layout.columns * layout.rows)]
    rules = [
        AnalyticsItem(
            name="Gate",
            type="tt:LineDetector",
            simple={"Direction": "Left"},
            elements={"Segments": Polyline(((-0.25, -0.75), (0.125, 0.5), (0.3, 0.9)))},
        ),
        AnalyticsItem(name="Yard", type="tt:FieldDetector", elements={"Field": Polygon(SQUARE)}),
        AnalyticsItem(
            name="Cells",
            type="tt:CellMotionDetector",
            simple={
                "MinCount": "3",
                "AlarmOnDelay": "100",
                "AlarmOffDelay": "500",
                "ActiveCells": cells.encode(grid),
            },
        ),
        AnalyticsItem(
            name="Door",
            type="tt:MotionRegionDetector",
            elements={"MotionRegion": MotionRegion(SQUARE, armed=False, sensitivity=0.75)},
        ),
    ]
    before = await tan.get_rules(onvif, token)
    await tan.create_rules(onvif, token, rules)
    after = await tan.get_rules(onvif, token)
    assert after == before + rules

    moved = AnalyticsItem(
        name="Gate",
        type="tt:LineDetector",
        simple={"Direction": "Any"},
        elements={"Segments": Polyline(((0.0, -1.0), (0.0, 1.0)))},
    )
    region = AnalyticsItem(
        name="Door",
        type="tt:MotionRegionDetector",
        elements={"MotionRegion": MotionRegion(SQUARE[:3], preset="Preset_1")},
    )
    await tan.modify_rules(onvif, token, [moved, region])
    by_name = {r.name: r for r in await tan.get_rules(onvif, token)}
    assert by_name["Gate"] == moved and by_name["Door"] == region
    assert cells.decode(by_name["Cells"].simple["ActiveCells"], layout.columns, layout.rows) == grid

    await tan.delete_rules(onvif, token, ["Gate", "Yard", "Cells", "Door"])
    assert await tan.get_rules(onvif, token) == before
    await tan.create_rules(onvif, token, [])  # nothing to do: no call
    await tan.delete_rules(onvif, token, [])


async def test_every_element_kind_reads_back_as_written(fleet: dict[str, Camera]) -> None:
    """A rule carries, beside its Segments, one parameter of each element kind: the camera
    keeps parameters it does not use, so each comes back as the VMS wrote it."""
    onvif, token = await _analytics(fleet)
    rule = AnalyticsItem(
        name="Everything",
        type="tt:LineDetector",
        simple={"Direction": "Right"},
        elements={
            "Segments": Polyline(((0.1, 0.2), (0.3, -0.4))),
            "Zone": Polygon(((0.0, 0.0), (0.5, 0.0), (0.5, 0.5))),
            "Lines": PolylineArray(
                (((0.0, 0.0), (1.0, 1.0)), ((0.1, 0.1), (0.2, 0.2), (0.3, 0.1)))
            ),
            "Region": MotionRegion(SQUARE, armed=False, sensitivity=0.25, preset="P1"),
            "Grid": CellLayout(8, 6, (-0.66666, 0.6), (0.1666666, -0.2)),
            "Vendor": RawElement(VENDOR),
            "Expression": MotionExpression("Behaviour/Speed > 0.5 and @ObjectId != 3", "xpath"),
        },
    )
    await tan.create_rules(onvif, token, [rule])
    assert [r for r in await tan.get_rules(onvif, token) if r.name == "Everything"] == [rule]


async def test_a_declarative_motion_rule_is_created_and_read_typed(
    fleet: dict[str, Camera],
) -> None:
    onvif, token = await _analytics(fleet)
    supported = await tan.get_supported_rules(onvif, token)
    about = next(d for d in supported.descriptions if d.type == "tt:DeclarativeMotionDetector")
    assert [(p.name, p.type) for p in about.parameters] == [
        ("Field", "tt:PolygonConfiguration"),
        ("MotionExpression", "tt:MotionExpressionConfiguration"),
    ]
    rule = AnalyticsItem(
        name="People",
        type="tt:DeclarativeMotionDetector",
        elements={
            "Field": Polygon(SQUARE),
            "MotionExpression": MotionExpression("Appearance/Class/Type = 'Human'"),
        },
    )
    await tan.create_rules(onvif, token, [rule])
    assert [r for r in await tan.get_rules(onvif, token) if r.name == "People"] == [rule]
    wrong = AnalyticsItem(
        name="Broken", type=rule.type, elements={**rule.elements, "MotionExpression":
        MotionExpression("Appearance/Class/Type = ")},
    )  # fmt: skip
    with pytest.raises(InvalidArgument, match=r"The camera says: the Expression is not XPath 1\.0"):
        await tan.create_rules(onvif, token, [wrong])


async def test_type_qnames_reach_the_camera_with_their_namespace(
    fleet: dict[str, Camera], monkeypatch: pytest.MonkeyPatch
) -> None:
    onvif, token = await _analytics(fleet)
    created = _recording(monkeypatch, "CreateRules")
    asked = _recording(monkeypatch, "GetRuleOptions")
    line = AnalyticsItem(
        name="Typed", type="tt:LineDetector", elements={"Segments": Polyline(SQUARE[:2])}
    )
    await tan.create_rules(onvif, token, [line])
    sent = created[0].find(f".//{{{TAN_NS}}}Rule")
    assert sent is not None
    assert _resolved(sent, sent.get("Type", "")) == f"{{{TT}}}LineDetector"

    await tan.get_rule_options(onvif, token, "tt:LineDetector")
    rule_type = asked[0].find(f"{{{TAN_NS}}}RuleType")
    assert rule_type is not None
    assert _resolved(rule_type, rule_type.text or "") == f"{{{TT}}}LineDetector"

    vendor = AnalyticsItem(name="Acme", type="{urn:acme}Tripwire", simple={"Level": "2"})
    with pytest.raises(InvalidArgument):  # the simulator knows no such rule type
        await tan.create_rules(onvif, token, [vendor])
    sent = created[1].find(f".//{{{TAN_NS}}}Rule")
    assert sent is not None
    assert _resolved(sent, sent.get("Type", "")) == "{urn:acme}Tripwire"


async def test_modules_are_read_and_modified(fleet: dict[str, Camera]) -> None:
    onvif, token = await _analytics(fleet)
    supported = await tan.get_supported_analytics_modules(onvif, token)
    engine = next(d for d in supported.descriptions if d.type == "tt:CellMotionEngine")
    assert supported.limit == 4
    assert [(p.name, p.type, p.element) for p in engine.parameters] == [
        ("Sensitivity", "xs:integer", False),
        ("Layout", "tt:CellLayout", True),
    ]
    modules = await tan.get_analytics_modules(onvif, token)
    module = next(m for m in modules if m.type == "tt:CellMotionEngine")
    assert module.simple == {"Sensitivity": "60"}
    layout = module.elements["Layout"]  # the hardware's grid (Annex D.2)
    assert isinstance(layout, CellLayout) and layout.columns > 0 and layout.rows > 0

    sensitivity = ConfigOption(
        name="Sensitivity", type="tt:CellMotionEngine", kind="IntRange", minimum=0, maximum=100
    )
    assert sensitivity in await tan.get_analytics_module_options(onvif, token)
    assert sensitivity in await tan.get_analytics_module_options(
        onvif, token, "tt:CellMotionEngine"
    )

    await tan.modify_analytics_modules(
        onvif,
        token,
        [AnalyticsItem(name=module.name, type=module.type, simple={"Sensitivity": "85"})],
    )
    changed = next(
        m for m in await tan.get_analytics_modules(onvif, token) if m.name == module.name
    )
    assert changed.simple == {"Sensitivity": "85"} and changed.elements == module.elements

    await tan.create_analytics_modules(
        onvif, token, [AnalyticsItem(name="Second", type="tt:CellMotionEngine")]
    )
    second = next(m for m in await tan.get_analytics_modules(onvif, token) if m.name == "Second")
    assert second.type == "tt:CellMotionEngine"
    assert second.simple["Sensitivity"] == "50"  # no parameters given: the camera's default
    await tan.delete_analytics_modules(onvif, token, ["Second"])
    assert [m.name for m in await tan.get_analytics_modules(onvif, token)] == [
        m.name for m in modules
    ]


async def test_supported_metadata_gives_sample_frames(fleet: dict[str, Camera]) -> None:
    onvif, _ = await _analytics(fleet)
    found = await tan.get_supported_metadata(onvif)
    sample = dict(found)["tt:CellMotionEngine"]
    frame = etree.fromstring(sample)
    assert frame.tag == f"{{{TT}}}Frame" and frame.get("UtcTime") == "2020-01-01T00:00:00Z"
    box = frame.find(f".//{{{TT}}}BoundingBox")
    assert box is not None and box.get("left") == "-1.0"
    assert await tan.get_supported_metadata(onvif, "tt:CellMotionEngine") == [
        ("tt:CellMotionEngine", sample)
    ]


async def test_faults_say_what_went_wrong(fleet: dict[str, Camera]) -> None:
    onvif, token = await _analytics(fleet)
    before = await tan.get_rules(onvif, token)
    door = before[0]
    retyped = AnalyticsItem(name=door.name, type="tt:FieldDetector")
    ghost, bare = (AnalyticsItem(name=n, type="tt:FieldDetector") for n in ("Ghost", "Bare"))
    limit = (await tan.get_supported_analytics_modules(onvif, token)).limit or 0
    engines = [AnalyticsItem(name=f"M{n}", type="tt:CellMotionEngine") for n in range(limit)]
    cases: list[tuple[Callable[[], Any], type[Exception], str]] = [
        (lambda: tan.create_rules(onvif, token, [door]), InvalidArgument,
         f'already has a rule named "{door.name}"'),
        (lambda: tan.get_rules(onvif, "NoSuchConfig"), InvalidArgument,
         'no analytics configuration "NoSuchConfig"'),
        (lambda: tan.delete_rules(onvif, token, ["Ghost"]), InvalidArgument, 'no rule "Ghost"'),
        (lambda: tan.modify_rules(onvif, token, [ghost]), InvalidArgument, 'no rule "Ghost"'),
        (lambda: tan.create_rules(onvif, token, [bare]), InvalidArgument, 'refused the rule "Bare'),
        (lambda: tan.get_rule_options(onvif, token, "tt:Teleporter"), InvalidArgument,
         "no rule type tt:Teleporter"),
        (lambda: tan.get_analytics_module_options(onvif, token, "tt:Teleporter"), InvalidArgument,
         "does not know the analytics module type tt:Teleporter"),
        (lambda: tan.modify_rules(onvif, token, [retyped]), CameraFault, "not change the type"),
        (lambda: tan.create_analytics_modules(onvif, token, engines), CameraFault,
         "as many analytics modules as it can"),
    ]  # fmt: skip
    for call, kind, words in cases:
        with pytest.raises(kind) as refused:
            await call()
        assert words in refused.value.message, refused.value.message
        assert "The camera says:" in refused.value.message
        assert refused.value.detail  # the subcodes stay for the configuration pages
    assert await tan.get_rules(onvif, token) == before  # each change was all or nothing


def test_answers_that_lie_read_as_not_given() -> None:
    assert read_item(SimpleNamespace(Name=None, Type="tt:LineDetector")) is None
    rule = read_item(
        SimpleNamespace(
            Name="R1",
            Type="tt:",
            Parameters=SimpleNamespace(
                SimpleItem=[SimpleNamespace(Name=None, Value="x"),
                            SimpleNamespace(Name="A", Value=None),
                            SimpleNamespace(Name="B", Value=7)],
                ElementItem=[SimpleNamespace(Name="Seg", _value_1=SimpleNamespace(Point=[])),
                             SimpleNamespace(Name="Str", _value_1="<tt:Polygon/>"),
                             SimpleNamespace(Name=None, _value_1=etree.Element("x"))],
            ),
        )
    )  # fmt: skip
    assert rule == AnalyticsItem(name="R1", type="", simple={"B": "7"})
    assert read_item(SimpleNamespace(Name="R2", Type=5, Parameters="many")) == AnalyticsItem(
        name="R2", type=""
    )

    assert tan.read_description(SimpleNamespace(Name=None)) is None
    described = tan.read_description(
        SimpleNamespace(
            Name="tt:LineDetector",
            Parameters=SimpleNamespace(
                SimpleItemDescription=[SimpleNamespace(Name=None, Type="x")]
            ),
            Messages=[SimpleNamespace(ParentTopic=None)],
            fixed="perhaps",
            maxInstances="-3",
        )
    )
    assert described is not None and described.type == "tt:LineDetector"
    assert (described.parameters, described.topics, described.fixed, described.max_instances) == (
        (), (), False, None,
    )  # fmt: skip

    assert tan.read_option(SimpleNamespace(Name=None), "RuleType") is None
    lying = SimpleNamespace(Min="a", Max=3)
    wrong = tan.read_option(
        SimpleNamespace(Name="Level", RuleType="tt:X", Type="tt:IntRange", _value_1=lying),
        "RuleType",
    )
    assert wrong == ConfigOption(name="Level", type="tt:X", kind="IntRange")
    reversed_range = _xml("<tt:FloatRange><tt:Min>5</tt:Min><tt:Max>1</tt:Max></tt:FloatRange>")
    upside_down = tan.read_option(
        SimpleNamespace(Name="Level", RuleType="tt:X", _value_1=reversed_range), "RuleType"
    )
    assert upside_down is not None and upside_down.minimum is upside_down.maximum is None
    bare = tan.read_option(SimpleNamespace(Name="Level", RuleType=None, _value_1=None), "RuleType")
    assert bare == ConfigOption(name="Level", type="", kind="")
    assert tan.read_capabilities(SimpleNamespace(RuleSupport="yes", SupportedMetadata=True)) == (
        AnalyticsCapabilities(supported_metadata=True)
    )


def _xml(text: str) -> etree._Element:
    return etree.fromstring(f'<w xmlns:tt="{TT}" xmlns:axt="{AXT}">{text}</w>')[0]


def test_malformed_elements_read_as_not_given() -> None:
    for text in (
        '<tt:Polygon><tt:Point x="0" y="0"/><tt:Point x="1" y="nan"/><tt:Point x="1" y="1"/>'
        "</tt:Polygon>",
        '<tt:Polyline><tt:Point x="0" y="0"/></tt:Polyline>',
        "<tt:PolygonConfiguration/>",
        "<tt:PolylineArrayConfiguration><tt:PolylineArray/></tt:PolylineArrayConfiguration>",
        '<tt:CellLayout Columns="many" Rows="18"/>',
        '<tt:CellLayout Columns="-2" Rows="18"/>',
        '<axt:MotionRegionConfig><tt:Polygon><tt:Point x="0"/></tt:Polygon>'
        "</axt:MotionRegionConfig>",
    ):
        assert read_element(_xml(text)) is None, text
    assert read_element(None) is None and read_element(SimpleNamespace(Point=[])) is None
    region = read_element(_xml('<axt:MotionRegionConfig Armed="maybe" Sensitivity="7"/>'))
    assert region == MotionRegion(())  # not given: armed, no sensitivity, no polygon
    layout = read_element(
        _xml('<tt:CellLayout Columns="4" Rows="3"><tt:Transformation><tt:Scale x="big" y="1"/>'
             "</tt:Transformation></tt:CellLayout>")
    )  # fmt: skip
    assert layout == CellLayout(4, 3)
    vendor = read_element(_xml('<tt:Polygon2 xmlns:q="urn:q" a="q:b"/>'))
    assert isinstance(vendor, RawElement)  # unknown: kept, with the prefix its value uses
    kept = etree.fromstring(vendor.xml)
    assert (kept.tag, kept.get("a"), kept.nsmap) == (
        f"{{{TT}}}Polygon2", "q:b", {"tt": TT, "q": "urn:q"},
    )  # fmt: skip


def test_elements_are_written_as_the_schema_has_them() -> None:
    field = write_element(Polygon(SQUARE), "tt:LoiteringDetector")
    assert field.tag == f"{{{TT}}}PolygonConfiguration"
    assert read_element(field) == Polygon(SQUARE)
    assert write_element(Polygon(SQUARE), "tt:FieldDetector").tag == f"{{{TT}}}Polygon"
    region = write_element(MotionRegion(SQUARE, sensitivity=0.5, preset="P"))
    assert (region.tag, region.get("Armed"), region.get("Sensitivity")) == (
        f"{{{AXT}}}MotionRegionConfig", "true", "0.5",
    )  # fmt: skip
    assert read_element(region) == MotionRegion(SQUARE, sensitivity=0.5, preset="P")
    with pytest.raises(InvalidArgument):
        write_element(RawElement("<unclosed>"))
    with pytest.raises(InvalidArgument):
        write_element(Polyline(((0.0, float("inf")), (1.0, 1.0))))
    expression = write_element(MotionExpression("Behaviour/Speed > 1", "xpath"))
    assert etree.tostring(expression, encoding="unicode") == (
        f'<tt:MotionExpressionConfiguration xmlns:tt="{TT}"><tt:MotionExpression Type="xpath">'
        "<tt:Expression>Behaviour/Speed &gt; 1</tt:Expression></tt:MotionExpression>"
        "</tt:MotionExpressionConfiguration>"
    )
    assert read_element(expression) == MotionExpression("Behaviour/Speed > 1", "xpath")
    with pytest.raises(InvalidArgument, match="characters XML cannot carry"):
        write_element(MotionExpression("Speed\x00"))


def test_a_motion_expression_with_vendor_additions_is_kept_as_it_came() -> None:
    extended = _xml(
        "<tt:MotionExpressionConfiguration><tt:MotionExpression><tt:Expression>x</tt:Expression>"
        '<acme:Weight xmlns:acme="urn:acme">2</acme:Weight></tt:MotionExpression>'
        "</tt:MotionExpressionConfiguration>"
    )
    kept = read_element(extended)
    assert isinstance(kept, RawElement) and "acme:Weight" in kept.xml
    empty = _xml("<tt:MotionExpressionConfiguration/>")
    assert isinstance(read_element(empty), RawElement)


def test_type_qnames_are_normalised() -> None:
    assert read_qname("tt:LineDetector") == "tt:LineDetector"
    assert read_qname("axt:MotionRegionDetector") == "axt:MotionRegionDetector"
    assert read_qname(f"{{{TT}}}FieldDetector") == "tt:FieldDetector"
    assert read_qname("tan:Thing") == "{http://www.onvif.org/ver20/analytics/wsdl}Thing"
    assert read_qname("acme:Tripwire") == "acme:Tripwire"  # a prefix no one can resolve
    for bad in (None, "", "tt:", ":x", "a b:c", "{urn:x}", 3):
        assert read_qname(bad) == "", bad
    assert write_qname("tt:LineDetector") == ("tt:LineDetector", {"tt": TT})
    assert write_qname(f"{{{AXT}}}MotionRegionDetector") == (
        "axt:MotionRegionDetector", {"axt": AXT},
    )  # fmt: skip
    text, prefixes = write_qname("{urn:acme}Tripwire")
    assert text.endswith(":Tripwire") and prefixes == {text.split(":")[0]: "urn:acme"}


def test_option_kinds_are_read_from_every_form_zeep_gives() -> None:
    def option(value: Any, declared: str | None = None) -> ConfigOption | None:
        node = SimpleNamespace(
            Name="P", RuleType="tt:R", Type=declared, _value_1=value, minOccurs="0", maxOccurs=None
        )
        return tan.read_option(node, "RuleType")

    region = option(
        _xml('<axt:MotionRegionConfigOptions PTZPresetMotionSupport="1"><axt:MaxRegions>4'
             "</axt:MaxRegions><axt:DisarmSupport>0</axt:DisarmSupport><axt:PolygonSupport>false"
             "</axt:PolygonSupport><axt:PolygonLimits><tt:Min>4</tt:Min><tt:Max>4</tt:Max>"
             "</axt:PolygonLimits><axt:RuleNotification>often</axt:RuleNotification>"
             "</axt:MotionRegionConfigOptions>")
    )  # fmt: skip
    assert region == ConfigOption(
        name="P",
        type="tt:R",
        kind="MotionRegionConfigOptions",
        rectangle_only=True,  # no PolygonSupport: rectangles only
        vertex_limits=(4, 4),
        extra={"DisarmSupport": "false", "PolygonSupport": "false",
               "PTZPresetMotionSupport": "true", "MaxRegions": "4", "minOccurs": "0"},
    )  # fmt: skip
    assert option([1, 2, 3]) == ConfigOption(
        name="P", type="tt:R", kind="IntList", values=("1", "2", "3"), extra={"minOccurs": "0"}
    )
    assert option([0.5, 1]).kind == "FloatList"  # type: ignore[union-attr]
    assert option(["a", "b"]).values == ("a", "b")  # type: ignore[union-attr]
    items = option(_xml("<tt:StringItems><tt:Item>a b</tt:Item><tt:Item/></tt:StringItems>"))
    assert items is not None and (items.kind, items.values) == ("StringItems", ("a b",))
    duration = option(SimpleNamespace(Min="PT1S", Max=timedelta(minutes=2)), "tt:DurationRange")
    assert duration is not None and (duration.minimum, duration.maximum) == (1.0, 120.0)
    rectangle = option(
        _xml("<tt:IntRectangleRange><tt:XRange><tt:Min>0</tt:Min><tt:Max>100</tt:Max></tt:XRange>"
             "<tt:YRange><tt:Min>9</tt:Min><tt:Max>1</tt:Max></tt:YRange></tt:IntRectangleRange>")
    )  # fmt: skip
    assert rectangle is not None and rectangle.extra == {"XRange": "0 100", "minOccurs": "0"}
    vendor = option(etree.fromstring('<v:Knob xmlns:v="urn:v" Step="2"><v:Max>9</v:Max></v:Knob>'))
    assert vendor is not None and (vendor.kind, vendor.extra) == (
        "Knob", {"Step": "2", "Max": "9", "minOccurs": "0"},
    )  # fmt: skip
