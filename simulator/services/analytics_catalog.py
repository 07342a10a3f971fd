"""What the analytics service offers: the rule and module types (GetSupportedRules,
GetSupportedAnalyticsModules, and the event topics they publish) and the options of their
parameters (GetRuleOptions). The rules themselves are evaluated in ``simulator.scene_rules``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from simulator.analytics_cells import CellLayout
from simulator.scene_rules import DIRECTIONS, MAX_DELAY_MS, MAX_POINTS, MAX_THRESHOLD_S
from simulator.soap import E

TT, XS = "tt:ReferenceToken", "xs:string"
RULE_SOURCE = [
    ("VideoSourceConfigurationToken", TT),
    ("VideoAnalyticsConfigurationToken", TT),
    ("Rule", XS),
]
OBJECT_KEY = [("ObjectId", "xs:integer")]


@dataclass(frozen=True)
class Kind:
    """A rule or module type: its parameters and the message it publishes (topic None: none)."""

    simple: dict[str, str]
    elements: dict[str, str]
    topic: str | None = None
    data: list[tuple[str, str]] = field(default_factory=list)
    key: list[tuple[str, str]] = field(default_factory=list)
    source: list[tuple[str, str]] = field(default_factory=lambda: RULE_SOURCE)
    prop: bool = True


RULES = {
    "tt:LineDetector": Kind(
        {"Direction": "tt:Direction"},
        {"Segments": "tt:Polyline"},
        "tns1:RuleEngine/LineDetector/Crossed",
        [("ObjectId", "xs:integer")],
        prop=False,
    ),
    "tt:FieldDetector": Kind(
        {},
        {"Field": "tt:Polygon"},
        "tns1:RuleEngine/FieldDetector/ObjectsInside",
        [("IsInside", "xs:boolean")],
        OBJECT_KEY,
    ),
    "tt:LoiteringDetector": Kind(
        {
            "TimeThreshold": "xs:nonNegativeInteger",
            "isPeriodicNotify": "xs:boolean",
            "TimeInterval": "xs:duration",
        },
        {"Field": "tt:PolygonConfiguration"},
        "tns1:RuleEngine/LoiteringDetector/ObjectIsLoitering",
        [("Since", "xs:dateTime"), ("TimeStamp", "xs:dateTime")],
        OBJECT_KEY,
    ),
    "tt:CountAggregation": Kind(
        {
            "ReportTimeInterval": "xs:duration",
            "ResetTimeInterval": "xs:duration",
            "Direction": "tt:Direction",
        },
        {"LineSegments": "tt:PolylineArrayConfiguration"},
        "tns1:RuleEngine/CountAggregation/Counter",
        [("Count", "xs:nonNegativeInteger")],
        OBJECT_KEY,
    ),
    "tt:DeclarativeMotionDetector": Kind(
        {},
        {
            "Field": "tt:PolygonConfiguration",
            "MotionExpression": "tt:MotionExpressionConfiguration",
        },
        "tns1:RuleEngine/DeclarativeMotionDetector/MotionMatched",
        [("TimeStamp", "xs:dateTime")],
        OBJECT_KEY,
    ),
    "tt:CellMotionDetector": Kind(
        {
            "MinCount": "xs:integer",
            "AlarmOnDelay": "xs:integer",
            "AlarmOffDelay": "xs:integer",
            "ActiveCells": "xs:base64Binary",
        },
        {},
        "tns1:RuleEngine/CellMotionDetector/Motion",
        [("IsMotion", "xs:boolean")],
    ),
    "tt:MotionRegionDetector": Kind(
        {},
        {"MotionRegion": "axt:MotionRegionConfig"},
        "tns1:RuleEngine/MotionRegionDetector/Motion",
        [("State", "xs:boolean")],
        source=[("VideoSource", TT), ("RuleName", XS)],
    ),
}
MODULES = {"tt:CellMotionEngine": Kind({"Sensitivity": "xs:integer"}, {"Layout": "tt:CellLayout"})}


def items(tag: str, pairs: list[tuple[str, str]]) -> etree._Element | None:
    if not pairs:
        return None
    return E(tag, [E("tt:SimpleItemDescription", Name=n, Type=t) for n, t in pairs])


def description(tag: str, name: str, kind: Kind, max_instances: int) -> etree._Element:
    """A tt:RuleDescription / tt:AnalyticsModuleDescription (tt:ConfigDescription)."""
    msgs = None
    if kind.topic is not None:
        msgs = E(
            "tt:Messages",
            items("tt:Source", kind.source),
            items("tt:Key", kind.key),
            items("tt:Data", kind.data),
            E("tt:ParentTopic", kind.topic),
            IsProperty=kind.prop,
        )
    params = E(
        "tt:Parameters",
        [E("tt:SimpleItemDescription", Name=n, Type=t) for n, t in kind.simple.items()],
        [E("tt:ElementItemDescription", Name=n, Type=t) for n, t in kind.elements.items()],
    )
    return E(tag, params, msgs, Name=name, fixed=False, maxInstances=max_instances)


def int_range(lo: int, hi: int) -> etree._Element:
    return E("tt:IntRange", E("tt:Min", lo), E("tt:Max", hi))


def duration_range(lo: str, hi: str) -> etree._Element:
    return E("tt:DurationRange", E("tt:Min", lo), E("tt:Max", hi))


def polygon_options() -> etree._Element:
    return E("tt:PolygonOptions", E("tt:VertexLimits", E("tt:Min", 3), E("tt:Max", MAX_POINTS)))


def directions() -> etree._Element:
    return E("tt:StringList", " ".join(DIRECTIONS))


def rule_options(layout: CellLayout) -> dict[str, list[tuple[str, Callable[[], etree._Element]]]]:
    """Per rule type: (parameter name, its option element)."""
    return {
        "tt:LineDetector": [
            ("Direction", directions),
            ("Segments", lambda: int_range(2, MAX_POINTS)),
        ],
        "tt:FieldDetector": [("Field", polygon_options)],
        "tt:LoiteringDetector": [
            ("Field", polygon_options),
            ("TimeThreshold", lambda: int_range(0, MAX_THRESHOLD_S)),
            ("TimeInterval", lambda: duration_range("PT1S", "PT1H")),
        ],
        "tt:CountAggregation": [
            ("LineSegments", lambda: int_range(2, MAX_POINTS)),
            ("ReportTimeInterval", lambda: duration_range("PT0S", "PT24H")),
            ("ResetTimeInterval", lambda: duration_range("PT0S", "PT24H")),
            ("Direction", directions),
        ],
        "tt:DeclarativeMotionDetector": [("Field", polygon_options)],
        "tt:CellMotionDetector": [
            ("MinCount", lambda: int_range(1, layout.cells)),
            ("AlarmOnDelay", lambda: int_range(0, MAX_DELAY_MS)),
            ("AlarmOffDelay", lambda: int_range(0, MAX_DELAY_MS)),
        ],
        "tt:MotionRegionDetector": [
            (
                "MotionRegion",
                lambda: E(
                    "axt:MotionRegionConfigOptions",
                    E("axt:DisarmSupport", True),
                    E("axt:PolygonSupport", True),
                    E("axt:PolygonLimits", E("tt:Min", 3), E("tt:Max", MAX_POINTS)),
                    E("axt:RuleNotification", True),
                ),
            )
        ],
    }
