"""Click-to-center and area zoom: from a point or a box on the picture to a move in the node's
generic spaces (pan/tilt in [-1, 1], zoom in [0, 1]).

Cameras do not report their field of view in generic units, so this assumes the common dome:
generic pan spans 360° (1 unit = 180°), generic tilt spans 180° (1 unit = 90°), a horizontal
field of view of WIDE_HFOV_DEG at zoom 0 and an optical zoom of MAX_MAGNIFICATION at zoom 1,
magnification growing linearly with generic zoom. The picture's aspect ratio gives the vertical
field of view. A camera that differs gets close enough: the operator corrects with one more click.
Picture coordinates are fractions of the frame, (0, 0) top left, (1, 1) bottom right.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDE_HFOV_DEG = 60.0
MAX_MAGNIFICATION = 10.0
PAN_UNITS_PER_DEG = 1 / 180
TILT_UNITS_PER_DEG = 1 / 90
SMALLEST_BOX = 0.02  # a box smaller than this (fraction of the frame) is a click


@dataclass(frozen=True)
class Move:
    """Where to go: absolute targets and the equivalent relative translation."""

    pan: float
    tilt: float
    zoom: float
    d_pan: float
    d_tilt: float
    d_zoom: float


def clamp(value: float, lo: float, hi: float) -> float:
    return min(hi, max(lo, value))


def magnification(zoom: float) -> float:
    return 1 + clamp(zoom, 0.0, 1.0) * (MAX_MAGNIFICATION - 1)


def zoom_for(magnification_: float) -> float:
    return clamp((magnification_ - 1) / (MAX_MAGNIFICATION - 1), 0.0, 1.0)


def field_of_view(zoom: float, aspect: float) -> tuple[float, float]:
    """(horizontal, vertical) field of view in generic pan and tilt units at `zoom`."""
    hfov = WIDE_HFOV_DEG / magnification(zoom)
    return hfov * PAN_UNITS_PER_DEG, hfov / aspect * TILT_UNITS_PER_DEG


def center_on(
    x: float, y: float, pan: float, tilt: float, zoom: float, aspect: float = 16 / 9
) -> Move:
    """Turn so that the picture point (x, y) comes to the middle; zoom stays."""
    width, height = field_of_view(zoom, aspect)
    d_pan = (clamp(x, 0.0, 1.0) - 0.5) * width  # right of the middle: pan right (positive)
    d_tilt = (0.5 - clamp(y, 0.0, 1.0)) * height  # above the middle: tilt up (positive)
    new_pan, new_tilt = clamp(pan + d_pan, -1.0, 1.0), clamp(tilt + d_tilt, -1.0, 1.0)
    return Move(new_pan, new_tilt, zoom, new_pan - pan, new_tilt - tilt, 0.0)


def zoom_to_box(
    box: tuple[float, float, float, float],
    pan: float,
    tilt: float,
    zoom: float,
    aspect: float = 16 / 9,
) -> Move:
    """Center on the box (x0, y0, x1, y1) and zoom in until it fills the picture."""
    x0, x1 = sorted((clamp(box[0], 0.0, 1.0), clamp(box[2], 0.0, 1.0)))
    y0, y1 = sorted((clamp(box[1], 0.0, 1.0), clamp(box[3], 0.0, 1.0)))
    centered = center_on((x0 + x1) / 2, (y0 + y1) / 2, pan, tilt, zoom, aspect)
    larger = max(x1 - x0, y1 - y0)
    if larger < SMALLEST_BOX:
        return centered
    new_zoom = zoom_for(magnification(zoom) / larger)
    return Move(
        centered.pan, centered.tilt, new_zoom, centered.d_pan, centered.d_tilt, new_zoom - zoom
    )
