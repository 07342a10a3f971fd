"""OSDs and privacy masks checked against the camera's GetOSDOptions and GetMaskOptions
before anything is sent. Each check returns {field: message}; a message names the camera's
limit or choices, so the editor can say it next to the field."""

from __future__ import annotations

import math

from cameras.onvif.overlay_types import (
    Color,
    Mask,
    MaskOptions,
    Osd,
    OsdColor,
    OsdColorOptions,
    OsdOptions,
    Point,
)

Errors = dict[str, str]
MAX_TEXT = 64  # characters of plain OSD text the VMS sends


def _inside(point: Point) -> bool:
    return all(math.isfinite(v) and -1.0 <= v <= 1.0 for v in point)


def _cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _segments_cross(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    d1, d2 = _cross(q1, q2, p1), _cross(q1, q2, p2)
    d3, d4 = _cross(p1, p2, q1), _cross(p1, p2, q2)
    return (d1 > 0) != (d2 > 0) and (d3 > 0) != (d4 > 0) and 0 not in (d1, d2, d3, d4)


def self_intersecting(points: tuple[Point, ...]) -> bool:
    """Whether two edges that do not share a corner cross."""
    n = len(points)
    edges = [(points[i], points[(i + 1) % n]) for i in range(n)]
    for i in range(n):
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue  # neighbours through the closing edge
            if _segments_cross(*edges[i], *edges[j]):
                return True
    return False


def area(points: tuple[Point, ...]) -> float:
    n = len(points)
    return abs(sum(_cross((0, 0), points[i], points[(i + 1) % n]) for i in range(n))) / 2


def check_mask(mask: Mask, options: MaskOptions, others: list[Mask]) -> Errors:
    """`others`: the masks of the same video source configuration besides this one."""
    errors: Errors = {}
    points = mask.points
    if options.max_masks and not mask.token and len(others) >= options.max_masks:
        errors["mask"] = (
            f"The camera holds at most {options.max_masks} masks on this video source: "
            "delete one first."
        )
    if len(points) < 3:
        errors["points"] = "A mask needs at least 3 points."
    elif options.max_points and len(points) > options.max_points:
        errors["points"] = f"The camera allows at most {options.max_points} points per mask."
    elif options.rectangle_only and len(points) != 4:
        errors["points"] = "The camera only takes rectangles: draw 4 points."
    elif not all(_inside(p) for p in points):
        errors["points"] = "Every point must lie on the picture (x and y from -1 to 1)."
    elif self_intersecting(points):
        errors["points"] = "The mask's edges cross: move a point so the outline does not."
    elif area(points) < 1e-4:
        errors["points"] = "The mask covers no area: spread its points apart."
    if options.types and mask.type not in options.types:
        errors["type"] = f"The camera offers these mask types: {', '.join(options.types)}."
    if mask.color is not None and (wrong := _color_choice(mask.color, options.colors)):
        errors["color"] = wrong
    return errors


def _color_choice(color: Color, offered: tuple[Color, ...]) -> str:
    """'' when `color` is one of `offered` (or nothing is offered), else what is."""
    if not offered or color.key in {c.key for c in offered}:
        return ""
    return f"The camera offers these colours (Y Cb Cr): {'; '.join(c.key for c in offered)}."


def _color_errors(name: str, value: OsdColor | None, offered: object) -> Errors:
    if value is None:
        return {}
    if not isinstance(offered, OsdColorOptions):
        return {name: "The camera offers no choice of this colour."}
    if wrong := _color_choice(value.color, offered.colors):
        return {name: wrong}
    limit = offered.transparent
    if value.transparent is not None and limit is not None and value.transparent not in limit:
        return {name: f"Transparency must be {limit}."}
    return {}


TYPE_LIMIT = {"Plain": "PlainText", "Date": "Date", "Time": "Time", "DateAndTime": "DateAndTime"}


def _limit_key(osd: Osd) -> str:
    return "Image" if osd.type == "Image" else TYPE_LIMIT.get(osd.text_type, "PlainText")


def check_osd(osd: Osd, options: OsdOptions, others: list[Osd]) -> Errors:
    """`others`: the OSDs of the same video source configuration besides this one."""
    errors: Errors = {}
    if options.max_total and len(others) >= options.max_total:
        errors["osd"] = (
            f"The camera shows at most {options.max_total} OSDs on this video source: "
            "delete one first."
        )
    key = _limit_key(osd)
    limit = options.max_by_type.get(key)
    if limit is not None and sum(1 for o in others if _limit_key(o) == key) >= limit:
        errors["text_type"] = f"The camera shows at most {limit} OSD(s) of this kind ({key})."
    if options.types and osd.type not in options.types:
        errors["type"] = f"The camera offers these OSD types: {', '.join(options.types)}."
    if options.positions and osd.position not in options.positions:
        errors["position"] = f"The camera offers these positions: {', '.join(options.positions)}."
    if osd.position == "Custom" and (osd.point is None or not _inside(osd.point)):
        errors["point"] = "A custom position needs a point on the picture (x and y from -1 to 1)."
    if osd.type == "Image":
        if options.image_paths and osd.image_path not in options.image_paths:
            errors["image_path"] = "Choose one of the image slots the camera offers."
        return errors
    if options.text_types and osd.text_type not in options.text_types:
        errors["text_type"] = f"The camera offers these texts: {', '.join(options.text_types)}."
    if osd.text_type == "Plain" and not 1 <= len(osd.plain_text.strip()) <= MAX_TEXT:
        errors["plain_text"] = f"Write a text of 1 to {MAX_TEXT} characters."
    dates, times, size = options.date_formats, options.time_formats, options.font_size
    if "Date" in osd.text_type and dates and osd.date_format not in dates:
        errors["date_format"] = f"Date formats offered: {', '.join(dates)}."
    if osd.text_type.endswith("Time") and times and osd.time_format not in times:
        errors["time_format"] = f"Time formats offered: {', '.join(times)}."
    if osd.font_size is not None and size is not None and osd.font_size not in size:
        errors["font_size"] = f"The font size must be {size} (points)."
    errors |= _color_errors("font_color", osd.font_color, options.font_colors)
    errors |= _color_errors("background_color", osd.background_color, options.background_colors)
    return errors
