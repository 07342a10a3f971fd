"""Rules, modules and what the camera offers, between the ONVIF dataclasses
(cameras.onvif.analytics_types) and the JSON kept in the models and spoken by the API.

Element parameters as JSON, by "kind":
  polyline        {"points": [[x, y], ...]}                     tt:Polyline (LineDetector Segments)
  polygon         {"points": [[x, y], ...]}                     tt:Polygon (Field)
  polylines       {"lines": [[[x, y], ...], ...]}               tt:PolylineArrayConfiguration
  motion_region   {"points", "armed", "sensitivity", "preset"}  axt:MotionRegionConfig (Annex E)
  cell_layout     {"columns", "rows", "translate", "scale"}     tt:CellLayout (Annex D)
  expression      {"expression", "dialect"}                     tt:MotionExpressionConfiguration
  raw             {"xml"}                                       anything else, kept verbatim
Points are in the normalised frame of the picture: x right, y up, (-1, -1) lower left.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from cameras.onvif.analytics_types import (
    AnalyticsItem,
    CellLayout,
    ConfigDescription,
    ConfigOption,
    ElementValue,
    ItemDescription,
    MotionExpression,
    MotionRegion,
    Point,
    Polygon,
    Polyline,
    PolylineArray,
    RawElement,
    SupportedTypes,
)

KINDS = ("polyline", "polygon", "polylines", "motion_region", "cell_layout", "expression", "raw")


class Malformed(ValueError):
    """A JSON element parameter that is not one of KINDS or lacks its fields."""


def type_label(qname: str) -> str:
    """ "tt:CellMotionDetector" -> "Cell motion detector" (a vendor's "{uri}Thing" -> "Thing")."""
    local = qname.rsplit("}", 1)[-1].split(":", 1)[-1]
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).split()
    return " ".join([words[0], *(w.lower() for w in words[1:])]) if words else qname


def _points(points: tuple[Point, ...]) -> list[list[float]]:
    return [[x, y] for x, y in points]


def element_json(value: ElementValue) -> dict[str, Any]:
    if isinstance(value, Polyline):
        return {"kind": "polyline", "points": _points(value.points)}
    if isinstance(value, Polygon):
        return {"kind": "polygon", "points": _points(value.points)}
    if isinstance(value, PolylineArray):
        return {"kind": "polylines", "lines": [_points(line) for line in value.lines]}
    if isinstance(value, MotionRegion):
        return {
            "kind": "motion_region",
            "points": _points(value.polygon),
            "armed": value.armed,
            "sensitivity": value.sensitivity,
            "preset": value.preset,
        }
    if isinstance(value, CellLayout):
        return {
            "kind": "cell_layout",
            "columns": value.columns,
            "rows": value.rows,
            "translate": list(value.translate),
            "scale": list(value.scale),
        }
    if isinstance(value, MotionExpression):
        return {"kind": "expression", "expression": value.expression, "dialect": value.dialect}
    return {"kind": "raw", "xml": value.xml}


def _pairs(raw: Any) -> tuple[Point, ...]:
    if not isinstance(raw, list):
        raise Malformed("points must be a list of [x, y] pairs.")
    found = []
    for pair in raw:
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair)
        ):
            raise Malformed("points must be a list of [x, y] pairs of numbers.")
        found.append((float(pair[0]), float(pair[1])))
    return tuple(found)


def element_value(data: Any) -> ElementValue:
    if not isinstance(data, dict) or data.get("kind") not in KINDS:
        raise Malformed(f"An element parameter has a kind: one of {', '.join(KINDS)}.")
    kind = data["kind"]
    if kind == "polyline":
        return Polyline(_pairs(data.get("points")))
    if kind == "polygon":
        return Polygon(_pairs(data.get("points")))
    if kind == "polylines":
        lines = data.get("lines")
        if not isinstance(lines, list):
            raise Malformed("lines must be a list of point lists.")
        return PolylineArray(tuple(_pairs(line) for line in lines))
    if kind == "motion_region":
        sensitivity = data.get("sensitivity")
        if sensitivity is not None and (
            isinstance(sensitivity, bool) or not isinstance(sensitivity, int | float)
        ):
            raise Malformed("sensitivity must be a number.")
        return MotionRegion(
            _pairs(data.get("points")),
            armed=data.get("armed") is not False,
            sensitivity=float(sensitivity) if sensitivity is not None else None,
            preset=str(data.get("preset") or ""),
        )
    if kind == "cell_layout":
        try:
            translate, scale = _pairs([data["translate"], data["scale"]])
            return CellLayout(int(data["columns"]), int(data["rows"]), translate, scale)
        except (KeyError, TypeError, ValueError):
            raise Malformed("A cell layout has columns, rows, translate and scale.") from None
    if kind == "expression":
        expression, dialect = data.get("expression"), data.get("dialect") or ""
        if not isinstance(expression, str) or not isinstance(dialect, str):
            raise Malformed("A motion expression has an expression (and a dialect) as text.")
        return MotionExpression(expression.strip(), dialect.strip())
    xml = data.get("xml")
    if not isinstance(xml, str):
        raise Malformed("A raw element parameter keeps its xml.")
    return RawElement(xml)


def item_json(item: AnalyticsItem) -> dict[str, Any]:
    return {
        "name": item.name,
        "type": item.type,
        "simple": dict(item.simple),
        "elements": {name: element_json(v) for name, v in item.elements.items()},
    }


def item_value(name: str, type_: str, simple: Any, elements: Any) -> AnalyticsItem:
    if not isinstance(simple, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in simple.items()
    ):
        raise Malformed("simple parameters are names with text values.")
    if not isinstance(elements, dict):
        raise Malformed("element parameters are names with elements.")
    return AnalyticsItem(
        name=name,
        type=type_,
        simple=dict(simple),
        elements={str(k): element_value(v) for k, v in elements.items()},
    )


def description_json(d: ConfigDescription) -> dict[str, Any]:
    return {
        "type": d.type,
        "label": type_label(d.type),
        "parameters": [dataclasses.asdict(p) for p in d.parameters],
        "topics": list(d.topics),
        "fixed": d.fixed,
        "max_instances": d.max_instances,
    }


def supported_json(supported: SupportedTypes) -> list[dict[str, Any]]:
    return [description_json(d) for d in supported.descriptions]


def option_json(option: ConfigOption) -> dict[str, Any]:
    data = dataclasses.asdict(option)
    data["values"] = list(option.values)
    data["vertex_limits"] = list(option.vertex_limits) if option.vertex_limits else None
    return data


def parameter(description: dict[str, Any], name: str) -> ItemDescription | None:
    for p in description.get("parameters", []):
        if p.get("name") == name:
            return ItemDescription(
                name=name, type=str(p.get("type", "")), element=bool(p["element"])
            )
    return None
