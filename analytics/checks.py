"""A rule or module checked against what the camera says of its type (the ConfigDescription
from GetSupportedRules / GetSupportedAnalyticsModules) and its options (GetRuleOptions /
GetAnalyticsModuleOptions), before anything is sent. Errors are per field, in words."""

from __future__ import annotations

from typing import Any

from isodate import ISO8601Error, parse_duration
from lxml import etree

from analytics.serialize import type_label
from cameras.configure.overlay_checks import area, self_intersecting
from cameras.onvif import cells
from cameras.onvif.analytics_types import (
    AnalyticsItem,
    CellLayout,
    ElementValue,
    MotionExpression,
    MotionRegion,
    Point,
    Polygon,
    Polyline,
    PolylineArray,
)

Errors = dict[str, str]
INTEGERS = {"xs:int", "xs:integer", "xs:nonNegativeInteger", "xs:positiveInteger", "xs:long"}
NUMBERS = {"xs:float", "xs:double", "xs:decimal"}
DIRECTIONS = ("Left", "Right", "Any")
MAX_EXPRESSION = 1024  # characters of a motion expression


def _simple(name: str, value: str, type_: str) -> str | None:
    """What is wrong with a simple parameter's text for its schema type, or None."""
    try:
        if type_ in INTEGERS:
            number = int(value)
            if type_ in ("xs:nonNegativeInteger", "xs:positiveInteger") and number < 0:
                return f"{name} must be a whole number, 0 or more."
        elif type_ in NUMBERS:
            float(value)
        elif type_ == "xs:boolean" and value not in ("true", "false"):
            return f"{name} is true or false."
        elif type_ == "xs:duration":
            parse_duration(value)
        elif type_ == "tt:Direction" and value not in DIRECTIONS:
            return f"{name} is one of {', '.join(DIRECTIONS)}."
    except (ValueError, ISO8601Error):
        kind = {"xs:duration": "a duration such as PT5S"}.get(type_, "a number")
        return f"{name} must be {kind}."
    return None


def _seconds(value: str) -> float | None:
    try:
        return float(parse_duration(value).total_seconds())
    except (ISO8601Error, ValueError, AttributeError):
        try:
            return float(value)
        except ValueError:
            return None


def _option_error(option: dict[str, Any], value: str) -> str | None:
    """A simple value outside the camera's option (range or list)."""
    name, kind = option.get("name", ""), option.get("kind", "")
    low, high = option.get("minimum"), option.get("maximum")
    if kind in ("IntRange", "FloatRange", "DurationRange") and low is not None and high is not None:
        number = _seconds(value) if kind == "DurationRange" else _number(value)
        unit = " s" if kind == "DurationRange" else ""
        if number is None or not low <= number <= high:
            return f"{name} must be {low:g} to {high:g}{unit}."
    if kind in ("IntList", "FloatList", "StringList", "StringItems") and option.get("values"):
        offered = [str(v) for v in option["values"]]
        if value not in offered:
            return f"{name}: the camera offers {', '.join(offered)}."
    return None


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _points_error(name: str, points: tuple[Point, ...]) -> str | None:
    if any(not (-1 <= x <= 1 and -1 <= y <= 1) for x, y in points):
        return f"{name}: every point must lie on the picture."
    return None


def _expression_error(name: str, value: MotionExpression) -> str | None:
    """A motion expression (C.5): given, of a sane length, and XPath 1.0 unless the camera's
    own dialect is named (which only the camera can judge)."""
    if not value.expression:
        return f"Write the {name} first: an XPath such as Appearance/Class/Type = 'Human'."
    if len(value.expression) > MAX_EXPRESSION:
        return f"{name} is at most {MAX_EXPRESSION} characters."
    if any(ord(c) < 32 and c not in "\t\n\r" for c in value.expression + value.dialect):
        return f"{name} has control characters."
    if not value.dialect:
        try:
            etree.XPath(value.expression)
        except etree.XPathSyntaxError as exc:
            return f"{name} is not an XPath expression ({exc})."
    return None


def _shape_error(name: str, value: ElementValue, option: dict[str, Any] | None) -> str | None:
    if isinstance(value, MotionExpression):
        return _expression_error(name, value)
    if isinstance(value, Polyline | PolylineArray):
        lines = [value.points] if isinstance(value, Polyline) else list(value.lines)
        if not lines or any(len(line) < 2 for line in lines):
            return f"{name}: a line needs at least two points."
        most = option.get("maximum") if option and option.get("kind") == "IntRange" else None
        if most is not None and any(len(line) > most for line in lines):
            return f"{name}: at most {most:g} points."
        return next((e for line in lines if (e := _points_error(name, line))), None)
    if isinstance(value, Polygon | MotionRegion):
        points = value.points if isinstance(value, Polygon) else value.polygon
        if len(points) < 3:
            return f"{name}: an area needs at least three points."
        limits = (option or {}).get("vertex_limits")
        if limits and not limits[0] <= len(points) <= limits[1]:
            return f"{name}: the camera takes {limits[0]} to {limits[1]} points."
        if (option or {}).get("rectangle_only") and len(points) != 4:
            return f"{name}: the camera takes rectangles only."
        if self_intersecting(points):
            return f"{name}: the edges must not cross."
        if area(points) < 1e-6:
            return f"{name}: the area is empty."
        return _points_error(name, points)
    return None


def check_item(
    item: AnalyticsItem,
    description: dict[str, Any] | None,
    options: list[dict[str, Any]],
    held: list[dict[str, Any]],
    *,
    creating: bool,
    limit: int | None = None,
    layout: CellLayout | None = None,
) -> Errors:
    """`held`: the other rules (or modules) of the configuration, as {"name", "type"}."""
    errors: Errors = {}
    label = type_label(item.type)
    if description is None:
        return {"type": f"The camera offers no {label} here."}
    if not 1 <= len(item.name) <= 64 or item.name != item.name.strip():
        errors["name"] = "The name must be 1 to 64 characters, without spaces around it."
    elif creating and any(h["name"] == item.name for h in held):
        errors["name"] = f"There is already a {item.name!r} here: choose another name."
    if creating:
        same = sum(1 for h in held if h["type"] == item.type)
        most = description.get("max_instances")
        if most is not None and same >= most:
            errors["type"] = f"The camera takes at most {most} of {label}."
        elif limit is not None and len(held) >= limit:
            errors["type"] = f"The camera takes at most {limit} here: delete one first."
        if description.get("fixed"):
            errors["type"] = f"{label} is fixed by the camera: it cannot be added or removed."
    declared = {p["name"]: p for p in description.get("parameters", [])}
    mine = {o.get("name"): o for o in options if o.get("type") == item.type}
    for name, value in item.simple.items():
        param = declared.get(name)
        if param is None or param.get("element"):
            errors[name] = f"{label} has no parameter {name!r}."
        elif problem := _simple(name, value, str(param.get("type", ""))) or (
            _option_error(mine[name], value) if name in mine else None
        ):
            errors[name] = problem
        elif (
            name == "ActiveCells"
            and layout is not None
            and cells.decode(value, layout.columns * layout.rows) is None
        ):
            errors[name] = f"ActiveCells is not a bitmap of {layout.columns} x {layout.rows} cells."
    for name, shape in item.elements.items():
        param = declared.get(name)
        if param is None or not param.get("element"):
            errors[name] = f"{label} has no element parameter {name!r}."
        elif problem := _shape_error(name, shape, mine.get(name)):
            errors[name] = problem
        elif isinstance(shape, MotionRegion) and not shape.armed:
            disarm = str(mine.get(name, {}).get("extra", {}).get("DisarmSupport", "true"))
            if disarm.lower() == "false":
                errors[name] = "The camera does not disarm motion regions: delete the rule instead."
    if creating:
        for name, param in declared.items():
            if param.get("element") and name not in item.elements and _is_shape(param):
                errors[name] = f"Draw the {name} first."
            elif param.get("element") and name not in item.elements and _is_expression(param):
                errors[name] = f"Write the {name} first."
    return errors


def _is_shape(param: dict[str, Any]) -> bool:
    local = str(param.get("type", "")).rsplit(":", 1)[-1]
    return local in {
        "Polyline",
        "Polygon",
        "PolygonConfiguration",
        "PolylineArrayConfiguration",
        "MotionRegionConfig",
    }


def _is_expression(param: dict[str, Any]) -> bool:
    return str(param.get("type", "")).rsplit(":", 1)[-1] == "MotionExpressionConfiguration"
