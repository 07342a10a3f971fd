"""The analytics rules of Annex C (C.2 to C.6), D and E evaluated on the synthetic scene, one
sample at a time.

A ``Sample`` is where the scene objects are at one instant (centres, and the bounding boxes of
the moving ones, in world coordinates: the normalised frame of the home view, x right, y up). A
rule evaluator (``build``) turns consecutive samples into ``Out`` events and keeps what it has
published in ``state``, so ``simulator.scene`` can copy and restore it when it looks ahead.

Conventions:

- **Line direction** (tt:LineDetector, tt:CountAggregation): walking along the polyline from its
  first point towards its second, the *left* side is on the walker's left hand. ``Direction``
  names the prohibited crossing, the side the object crosses *to*: ``Left`` fires for an object
  going from the right side to the left side, ``Right`` for the opposite, ``Any`` for both. A
  polyline of several segments uses the segment that was crossed.
- **Objects** are their centre points for lines, fields, loitering, motion regions and the field
  of a declarative motion rule, and their bounding boxes (the ones the picture and the metadata
  stream draw) for cell motion and in the scene description a motion expression is evaluated
  on (``simulator.scene_expressions``).
"""

from __future__ import annotations

import itertools
import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from simulator.analytics_cells import DEFAULT_LAYOUT, Box, CellLayout, CellMotion, decode_cells
from simulator.camera import AnalyticsItem
from simulator.scene_expressions import Expression, ExpressionError, expression_of
from simulator.soap import NS, Fault, iso_time, parse_duration

Point = tuple[float, float]
EPS = 1e-6
DIRECTIONS = ("Left", "Right", "Any")
MAX_POINTS = 8  # polyline points and polygon vertices (GetRuleOptions says so)
MAX_DELAY_MS = 10000
MAX_THRESHOLD_S = 3600


class RuleError(ValueError):
    """Why a rule cannot be accepted (the reason of a ter:InvalidRule fault)."""


# -- geometry ------------------------------------------------------------------------------------
def points(xml: str) -> list[Point]:
    """Every tt:Point in an element item (a Polyline, Polygon, PolygonConfiguration...)."""
    return [(float(p.get("x", 0)), float(p.get("y", 0))) for p in _tree(xml).iter(_tt("Point"))]


def polylines(xml: str) -> list[list[Point]]:
    """A tt:PolylineArrayConfiguration (or PolylineArray, or one Polyline): its polylines."""
    tree = _tree(xml)
    parts = list(tree.iter(_tt("Segment"))) or list(tree.iter(_tt("Polyline"))) or [tree]
    pts = [list(s.iter(_tt("Point"))) for s in parts]
    return [[(float(p.get("x", 0)), float(p.get("y", 0))) for p in line] for line in pts]


def _tt(name: str) -> str:
    return f"{{{NS['tt']}}}{name}"


def _tree(xml: str) -> etree._Element:
    try:
        return etree.fromstring(xml.encode(), etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        raise RuleError("an element parameter is not well-formed XML") from None


def inside(pt: Point, poly: list[Point]) -> bool:
    x, y, result = pt[0], pt[1], False
    for (x1, y1), (x2, y2) in zip(poly, poly[1:] + poly[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            result = not result
    return result


def _cross(a: Point, b: Point, c: Point) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def crossing(p: Point, q: Point, line: list[Point]) -> str | None:
    """The side ("Left" or "Right", see the module docstring) an object moving from p to q
    crosses `line` to; None when it does not cross it."""
    for a, b in itertools.pairwise(line):
        side_p, side_q = _cross(a, b, p) > 0, _cross(a, b, q) > 0
        if side_p != side_q and _cross(p, q, a) * _cross(p, q, b) <= 0:
            return "Left" if side_q else "Right"
    return None


def crosses(p: Point, q: Point, line: list[Point]) -> bool:
    return crossing(p, q, line) is not None


# -- samples and events ----------------------------------------------------------------------------
@dataclass
class Sample:
    t: float  # UTC seconds
    pos: dict[int, Point]  # object id -> centre
    boxes: dict[int, Box]  # moving object id -> bounding box
    offset: float = 0.0  # the camera clock's offset from UTC (for dateTime items)
    outlines: dict[int, Box] = field(default_factory=dict)  # every object's bounding box
    kinds: dict[int, str] = field(default_factory=dict)  # object id -> class ("Human")

    def stamp(self, t: float) -> str:
        return iso_time(t + self.offset)


@dataclass
class Out:
    """One event of a rule: its topic under tns1:RuleEngine/, items, and for property events
    whether the instance ends (``delete``) or replaces an older key (``forget``)."""

    topic: str
    data: list[tuple[str, str]]
    key: list[tuple[str, str]] | None = None
    prop: bool = True
    delete: bool = False
    forget: list[tuple[str, str]] | None = None


@dataclass(frozen=True)
class Engine:
    """The CellMotionEngine module a configuration's cell motion rules use."""

    layout: CellLayout = DEFAULT_LAYOUT
    sensitivity: int = 50


def engine_of(modules: list[AnalyticsItem]) -> Engine | None:
    for m in modules:
        if m.type == "tt:CellMotionEngine":
            try:
                layout = CellLayout.parse(m.elements["Layout"]) if "Layout" in m.elements else None
            except ValueError:
                layout = None
            sens = m.simple.get("Sensitivity", "50")
            return Engine(layout or DEFAULT_LAYOUT, int(sens) if sens.isdigit() else 50)
    return None


# -- parameters ------------------------------------------------------------------------------------
def _required(item: AnalyticsItem, name: str) -> str:
    value = item.simple.get(name, item.elements.get(name))
    if value is None:
        raise RuleError(f"{item.type} needs the parameter {name}")
    return value


def _integer(item: AnalyticsItem, name: str, lo: int, hi: int, default: int | None = None) -> int:
    raw = item.simple.get(name)
    if raw is None and default is not None:
        return default
    try:
        value = int(_required(item, name).strip())
    except ValueError:
        raise RuleError(f"{name} must be an integer") from None
    if not lo <= value <= hi:
        raise RuleError(f"{name} must be {lo}..{hi}")
    return value


def _seconds(item: AnalyticsItem, name: str, integer_ok: bool = False) -> float:
    """An xs:duration parameter in seconds (0 when absent); `integer_ok`: plain seconds too."""
    raw = (item.simple.get(name) or "").strip()
    if not raw:
        return 0.0
    if integer_ok and raw.isdigit():
        return float(raw)
    try:
        value = parse_duration(raw)
    except Fault:
        raise RuleError(f"{name} must be an xs:duration (e.g. PT10S)") from None
    if value < 0:
        raise RuleError(f"{name} must not be negative")
    return value


def _boolean(item: AnalyticsItem, name: str) -> bool:
    raw = (item.simple.get(name) or "false").strip().lower()
    if raw not in ("true", "false", "1", "0"):
        raise RuleError(f"{name} must be true or false")
    return raw in ("true", "1")


def _direction(item: AnalyticsItem) -> str:
    value = (item.simple.get("Direction") or "Any").strip()
    if value not in DIRECTIONS:
        raise RuleError(f"Direction must be one of {', '.join(DIRECTIONS)}")
    return value


def _polygon(item: AnalyticsItem, name: str) -> list[Point]:
    poly = points(_required(item, name))
    if not 3 <= len(poly) <= MAX_POINTS:
        raise RuleError(f"{name} needs 3..{MAX_POINTS} points")
    return poly


def _polyline(pts: list[Point], name: str) -> list[Point]:
    if not 2 <= len(pts) <= MAX_POINTS:
        raise RuleError(f"{name} needs 2..{MAX_POINTS} points per polyline")
    return pts


# -- evaluators ------------------------------------------------------------------------------
class Rule(ABC):
    """One rule instance. `state` is all that changes; `source` is set by the scene."""

    topic = ""

    def __init__(self, item: AnalyticsItem) -> None:
        self.name = item.name
        self.source: list[tuple[str, str]] = []
        self.state: Any = {}

    @abstractmethod
    def step(self, prev: Sample | None, cur: Sample) -> list[Out]:
        """The events of this rule between two samples of the scene."""

    def adopt(self, old: Rule) -> None:
        """Continue from what an older version of this rule published."""
        self.state = old.state


class LineDetector(Rule):
    topic = "LineDetector/Crossed"

    def __init__(self, item: AnalyticsItem, engine: Engine | None) -> None:
        super().__init__(item)
        self.line = _polyline(points(_required(item, "Segments")), "Segments")
        self.direction = _direction(item)

    def step(self, prev: Sample | None, cur: Sample) -> list[Out]:
        outs = []
        for oid, q in cur.pos.items():
            p = prev.pos.get(oid) if prev else None
            side = crossing(p, q, self.line) if p else None
            if side and self.direction in ("Any", side):
                outs.append(Out(self.topic, [("ObjectId", str(oid))], prop=False))
        return outs


class FieldDetector(Rule):
    topic = "FieldDetector/ObjectsInside"

    def __init__(self, item: AnalyticsItem, engine: Engine | None) -> None:
        super().__init__(item)
        self.field = _polygon(item, "Field")

    def step(self, prev: Sample | None, cur: Sample) -> list[Out]:
        outs = []
        for oid, q in cur.pos.items():
            now, before = inside(q, self.field), self.state.get(oid)
            self.state[oid] = now
            if now != bool(before):
                value = "true" if now else "false"
                outs.append(Out(self.topic, [("IsInside", value)], [("ObjectId", str(oid))]))
        return outs


class MotionRegionDetector(Rule):
    """Annex E: State is true while a moving object's centre is inside the armed region."""

    topic = "MotionRegionDetector/Motion"

    def __init__(self, item: AnalyticsItem, engine: Engine | None) -> None:
        super().__init__(item)
        tree = _tree(_required(item, "MotionRegion"))
        self.region = points(_required(item, "MotionRegion"))
        if not 3 <= len(self.region) <= MAX_POINTS:
            raise RuleError(f"MotionRegion needs a polygon of 3..{MAX_POINTS} points")
        armed = tree.find(f".//{{{NS['axt']}}}Armed")
        self.armed = armed is None or (armed.text or "").strip().lower() not in ("false", "0")

    def step(self, prev: Sample | None, cur: Sample) -> list[Out]:
        on = self.armed and any(inside(cur.pos[oid], self.region) for oid in cur.boxes)
        if self.state.get("on") == on:
            return []
        self.state["on"] = on
        return [Out(self.topic, [("State", "true" if on else "false")])]


class CellMotionDetector(Rule):
    """Annex D: IsMotion after AlarmOnDelay ms of raw motion, back after AlarmOffDelay ms
    without; the first evaluation reports the state as it is, without delay."""

    topic = "CellMotionDetector/Motion"

    def __init__(self, item: AnalyticsItem, engine: Engine | None) -> None:
        super().__init__(item)
        engine = engine or Engine()
        cells = engine.layout.cells
        min_count = _integer(item, "MinCount", 1, cells, default=1)
        self.on_delay = _integer(item, "AlarmOnDelay", 0, MAX_DELAY_MS, default=0) / 1000
        self.off_delay = _integer(item, "AlarmOffDelay", 0, MAX_DELAY_MS, default=0) / 1000
        try:
            active = decode_cells(_required(item, "ActiveCells"), cells)
        except ValueError as exc:
            raise RuleError(str(exc)) from None
        self.motion = CellMotion(engine.layout, engine.sensitivity, active, min_count)
        self.state = {"on": None, "since": None}

    def step(self, prev: Sample | None, cur: Sample) -> list[Out]:
        raw, st = self.motion(cur.boxes.values()), self.state
        if st["on"] is not None:
            if raw == st["on"]:
                st["since"] = None
                return []
            if st["since"] is None:
                st["since"] = cur.t
            if cur.t - st["since"] < (self.on_delay if raw else self.off_delay) - EPS:
                return []
        st["on"], st["since"] = raw, None
        return [Out(self.topic, [("IsMotion", "true" if raw else "false")])]


class LoiteringDetector(Rule):
    """C.4: an object inside Field for TimeThreshold seconds is loitering (Since = when it
    entered, or when the rule began to watch it); with isPeriodicNotify the event repeats every
    TimeInterval while it stays; the property instance is deleted when the object leaves."""

    topic = "LoiteringDetector/ObjectIsLoitering"

    def __init__(self, item: AnalyticsItem, engine: Engine | None) -> None:
        super().__init__(item)
        self.field = _polygon(item, "Field")
        raw = _required(item, "TimeThreshold").strip()
        self.threshold = _seconds(item, "TimeThreshold", integer_ok=True) if raw else 0.0
        if self.threshold > MAX_THRESHOLD_S:
            raise RuleError(f"TimeThreshold must be 0..{MAX_THRESHOLD_S} seconds")
        self.periodic = _boolean(item, "isPeriodicNotify")
        self.interval = _seconds(item, "TimeInterval")
        if self.periodic and self.interval <= 0:
            raise RuleError("isPeriodicNotify needs a TimeInterval above zero")

    def step(self, prev: Sample | None, cur: Sample) -> list[Out]:
        outs = []
        for oid, q in cur.pos.items():
            st, key = self.state.get(oid), [("ObjectId", str(oid))]
            if not inside(q, self.field):
                if st is not None:
                    del self.state[oid]
                    if st["loitering"]:
                        outs.append(Out(self.topic, [], key, delete=True))
                continue
            if st is None:
                st = self.state[oid] = {"since": cur.t, "loitering": False, "told": 0.0}
            due = (
                cur.t - st["told"] >= self.interval - EPS
                if st["loitering"]
                else cur.t - st["since"] >= self.threshold - EPS
            )
            if due and (self.periodic or not st["loitering"]):
                st["loitering"], st["told"] = True, cur.t
                data = [("Since", cur.stamp(st["since"])), ("TimeStamp", cur.stamp(cur.t))]
                outs.append(Out(self.topic, data, key))
        return outs


class CountAggregation(Rule):
    """C.6: counts the objects crossing any of LineSegments in Direction. Without a
    ReportTimeInterval every count is reported at once, with one the count is reported at the
    end of each interval when it changed; every ResetTimeInterval it goes back to 0 (reported
    when it was not 0). Intervals run from when the rule began or was last modified. The key is
    the object counted last; the property of the previous key is forgotten when it changes."""

    topic = "CountAggregation/Counter"

    def __init__(self, item: AnalyticsItem, engine: Engine | None) -> None:
        super().__init__(item)
        lines = polylines(_required(item, "LineSegments"))
        if not lines:
            raise RuleError("LineSegments needs at least one polyline")
        self.lines = [_polyline(line, "LineSegments") for line in lines]
        self.report = _seconds(item, "ReportTimeInterval")
        self.reset = _seconds(item, "ResetTimeInterval")
        self.direction = _direction(item)
        self.state = dict(count=0, last=None, told=None, reported=0, report=None, reset=None)

    def adopt(self, old: Rule) -> None:
        """The count goes on; the intervals restart from the modification."""
        self.state = dict(old.state, report=None, reset=None)

    def _out(self) -> Out:
        st = self.state
        key, forget = [("ObjectId", str(st["last"]))], None
        if st["told"] not in (None, st["last"]):
            forget = [("ObjectId", str(st["told"]))]
        st["told"], st["reported"] = st["last"], st["count"]
        return Out(self.topic, [("Count", str(st["count"]))], key, forget=forget)

    def step(self, prev: Sample | None, cur: Sample) -> list[Out]:
        st, outs = self.state, []
        if st["report"] is None:
            st["report"] = cur.t + self.report if self.report else float("inf")
            st["reset"] = cur.t + self.reset if self.reset else float("inf")
        for oid, q in cur.pos.items():
            p = prev.pos.get(oid) if prev else None
            sides = [crossing(p, q, line) for line in self.lines] if p else []
            if any(s and self.direction in ("Any", s) for s in sides):
                st["count"], st["last"] = st["count"] + 1, oid
                if not self.report:
                    outs.append(self._out())
        if cur.t >= st["report"] - EPS:
            while st["report"] <= cur.t + EPS:
                st["report"] += self.report
            if st["count"] != st["reported"] and st["last"] is not None:
                outs.append(self._out())
        if cur.t >= st["reset"] - EPS:
            while st["reset"] <= cur.t + EPS:
                st["reset"] += self.reset
            if st["count"]:
                st["count"] = 0
                outs.append(self._out())
        return outs


class DeclarativeMotionDetector(Rule):
    """C.5: an object inside Field whose scene description matches the MotionExpression
    (``simulator.scene_expressions``) is reported, keyed by its ObjectId, with the time it began
    to match; the instance is deleted when it stops matching or leaves the field."""

    topic = "DeclarativeMotionDetector/MotionMatched"

    def __init__(self, item: AnalyticsItem, engine: Engine | None) -> None:
        super().__init__(item)
        self.field = _polygon(item, "Field")
        try:
            self.expression = Expression(expression_of(_required(item, "MotionExpression")))
        except ExpressionError as exc:
            raise RuleError(str(exc)) from None

    def step(self, prev: Sample | None, cur: Sample) -> list[Out]:
        outs = []
        for oid, q in cur.pos.items():
            p = prev.pos.get(oid) if prev else None
            dt = cur.t - prev.t if prev else 0.0
            speed = math.dist(p, q) / dt if p is not None and dt > 0 else 0.0
            box = cur.outlines.get(oid, (q[0], q[1], q[0], q[1]))
            now = inside(q, self.field) and self.expression.matches(
                oid, box, cur.kinds.get(oid, ""), speed
            )
            key = [("ObjectId", str(oid))]
            if now and oid not in self.state:
                self.state[oid] = cur.t
                outs.append(Out(self.topic, [("TimeStamp", cur.stamp(cur.t))], key))
            elif not now and oid in self.state:
                del self.state[oid]
                outs.append(Out(self.topic, [], key, delete=True))
        return outs


RULES: dict[str, type[Rule]] = {
    "tt:LineDetector": LineDetector,
    "tt:FieldDetector": FieldDetector,
    "tt:MotionRegionDetector": MotionRegionDetector,
    "tt:CellMotionDetector": CellMotionDetector,
    "tt:LoiteringDetector": LoiteringDetector,
    "tt:CountAggregation": CountAggregation,
    "tt:DeclarativeMotionDetector": DeclarativeMotionDetector,
}


def build(item: AnalyticsItem, engine: Engine | None = None) -> Rule:
    """The evaluator of a rule; RuleError (with the reason) when it cannot be one."""
    kind = RULES.get(item.type)
    if kind is None:
        raise RuleError(f"unsupported rule type {item.type!r}")
    if not item.name:
        raise RuleError("a rule needs a Name")
    try:
        return kind(item, engine)  # type: ignore[call-arg]
    except (TypeError, ValueError) as exc:
        if isinstance(exc, RuleError):
            raise
        raise RuleError(f"{item.type}: malformed parameters ({exc})") from None


def spec(item: AnalyticsItem, engine: Engine | None) -> tuple:
    """What an evaluator is built from (an unchanged spec keeps the evaluator and its state)."""
    return (item.type, sorted(item.simple.items()), sorted(item.elements.items()), engine)
