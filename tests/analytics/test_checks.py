"""Rules checked against the camera's description of their type and its options, before anything
is sent: names, instance limits, parameter types and ranges, drawn shapes, cell bitmaps."""

from __future__ import annotations

from typing import Any

import pytest

from analytics.checks import check_item
from cameras.onvif.analytics_types import (
    AnalyticsItem,
    CellLayout,
    MotionExpression,
    MotionRegion,
    Polygon,
    Polyline,
)

LINE: dict[str, Any] = {
    "type": "tt:LineDetector",
    "parameters": [
        {"name": "Direction", "type": "tt:Direction", "element": False},
        {"name": "Segments", "type": "tt:Polyline", "element": True},
    ],
    "fixed": False,
    "max_instances": 2,
}
CELLS: dict[str, Any] = {
    "type": "tt:CellMotionDetector",
    "parameters": [
        {"name": "MinCount", "type": "xs:integer", "element": False},
        {"name": "AlarmOnDelay", "type": "xs:integer", "element": False},
        {"name": "ActiveCells", "type": "xs:base64Binary", "element": False},
    ],
}
REGION: dict[str, Any] = {
    "type": "tt:MotionRegionDetector",
    "parameters": [{"name": "MotionRegion", "type": "axt:MotionRegionConfig", "element": True}],
}
OPTIONS = [
    {
        "name": "MinCount",
        "type": "tt:CellMotionDetector",
        "kind": "IntRange",
        "minimum": 1,
        "maximum": 16,
    },
    {"name": "Segments", "type": "tt:LineDetector", "kind": "IntRange", "minimum": 2, "maximum": 4},
    {
        "name": "MotionRegion",
        "type": "tt:MotionRegionDetector",
        "kind": "MotionRegionConfigOptions",
        "vertex_limits": [4, 4],
        "extra": {"DisarmSupport": "false"},
    },
]


def line(
    name: str = "Gate", points: tuple[tuple[float, float], ...] = ((0, -1), (0, 1))
) -> AnalyticsItem:
    return AnalyticsItem(
        name=name,
        type="tt:LineDetector",
        simple={"Direction": "Any"},
        elements={"Segments": Polyline(points)},
    )


def test_a_good_line_passes() -> None:
    assert check_item(line(), LINE, OPTIONS, [], creating=True) == {}


@pytest.mark.parametrize(
    ("item", "held", "field", "words"),
    [
        (line(" Gate"), [], "name", "without spaces around it"),
        (line(), [{"name": "Gate", "type": "tt:LineDetector"}], "name", "already a 'Gate'"),
        (
            line(),
            [{"name": "A", "type": "tt:LineDetector"}, {"name": "B", "type": "tt:LineDetector"}],
            "type",
            "at most 2 of Line detector",
        ),
        (line(points=((0, 0),)), [], "Segments", "at least two points"),
        (
            line(points=((0, 0), (0.5, 0), (1, 0), (1, 1), (0, 1))),
            [],
            "Segments",
            "at most 4 points",
        ),
        (line(points=((0, 0), (1.5, 0))), [], "Segments", "every point must lie on the picture"),
        (
            AnalyticsItem(
                name="X",
                type="tt:LineDetector",
                simple={"Direction": "Up"},
                elements={"Segments": Polyline(((0, 0), (1, 0)))},
            ),
            [],
            "Direction",
            "one of Left, Right, Any",
        ),
        (
            AnalyticsItem(
                name="X",
                type="tt:LineDetector",
                simple={"Colour": "red"},
                elements={"Segments": Polyline(((0, 0), (1, 0)))},
            ),
            [],
            "Colour",
            "no parameter 'Colour'",
        ),
        (
            AnalyticsItem(name="X", type="tt:LineDetector", simple={}),
            [],
            "Segments",
            "Draw the Segments first",
        ),
    ],
)
def test_what_the_camera_would_refuse_is_named(
    item: AnalyticsItem, held: list[dict[str, str]], field: str, words: str
) -> None:
    errors = check_item(item, LINE, OPTIONS, held, creating=True)
    assert words in errors[field], errors


def test_an_unknown_type_is_refused() -> None:
    assert (
        "offers no Field detector"
        in check_item(
            AnalyticsItem(name="F", type="tt:FieldDetector"), None, OPTIONS, [], creating=True
        )["type"]
    )


def test_cell_rules_check_numbers_ranges_and_the_bitmap() -> None:
    layout = CellLayout(8, 6)

    def cells(**simple: str) -> dict[str, str]:
        item = AnalyticsItem(name="Motion", type="tt:CellMotionDetector", simple=simple)
        return check_item(item, CELLS, OPTIONS, [], creating=True, layout=layout)

    assert cells(MinCount="4", AlarmOnDelay="100", ActiveCells="/v/+8A==") == {}
    assert "must be a number" in cells(MinCount="four")["MinCount"]
    assert cells(MinCount="40")["MinCount"] == "MinCount must be 1 to 16."
    assert "not a bitmap of 8 x 6 cells" in cells(ActiveCells="AQ==")["ActiveCells"]


def test_motion_regions_keep_to_the_vertex_limits_and_disarm_support() -> None:
    def region(points: tuple[tuple[float, float], ...], armed: bool = True) -> dict[str, str]:
        item = AnalyticsItem(
            name="Door",
            type="tt:MotionRegionDetector",
            elements={"MotionRegion": MotionRegion(points, armed=armed, sensitivity=0.5)},
        )
        return check_item(item, REGION, OPTIONS, [], creating=True)

    square = ((-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5))
    assert region(square) == {}
    assert "takes 4 to 4 points" in region(square[:3])["MotionRegion"]
    assert (
        "edges must not cross"
        in region((square[0], square[2], square[1], square[3]))["MotionRegion"]
    )
    assert "does not disarm" in region(square, armed=False)["MotionRegion"]


def test_a_field_needs_an_area() -> None:
    field_rule = {
        "type": "tt:FieldDetector",
        "parameters": [{"name": "Field", "type": "tt:Polygon", "element": True}],
    }
    flat = AnalyticsItem(
        name="F", type="tt:FieldDetector", elements={"Field": Polygon(((0, 0), (0.5, 0), (1, 0)))}
    )
    assert "area is empty" in check_item(flat, field_rule, [], [], creating=True)["Field"]


DECLARATIVE: dict[str, Any] = {
    "type": "tt:DeclarativeMotionDetector",
    "parameters": [
        {"name": "Field", "type": "tt:PolygonConfiguration", "element": True},
        {"name": "MotionExpression", "type": "tt:MotionExpressionConfiguration", "element": True},
    ],
}


@pytest.mark.parametrize(
    ("expression", "dialect", "words"),
    [
        ("", "", "Write the MotionExpression first"),
        ("Appearance/Class/Type = ", "", "is not an XPath expression"),
        ("x" * 1025, "", "at most 1024 characters"),
        ("Speed\x01", "", "control characters"),
        ("Appearance/Class/Type = 'Human'", "", None),
        ("SPEED > 3 (vendor words)", "urn:acme:motion", None),  # only the camera judges these
    ],
)
def test_a_motion_expression_is_written_and_xpath(
    expression: str, dialect: str, words: str | None
) -> None:
    square = Polygon(((-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)))
    rule = AnalyticsItem(
        name="People",
        type="tt:DeclarativeMotionDetector",
        elements={"Field": square, "MotionExpression": MotionExpression(expression, dialect)},
    )
    errors = check_item(rule, DECLARATIVE, [], [], creating=True)
    assert (words in errors["MotionExpression"]) if words else errors == {}
    missing = AnalyticsItem(name="P", type=rule.type, elements={"Field": square})
    assert check_item(missing, DECLARATIVE, [], [], creating=True) == {
        "MotionExpression": "Write the MotionExpression first."
    }
