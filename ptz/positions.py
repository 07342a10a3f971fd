"""Moves typed in by the operator (the tile's "Move to" dialog): an absolute position or a
relative step in any coordinate space the camera's PTZ node offers (clause 8.4.2-8.4.3), or a
place on the earth (GeoMove, 8.4.5, where the node offers it). Checked here against the spaces
and ranges the sync stored (PtzNode.space_ranges) before anything is sent."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

GROUPS = {
    "absolute": ("AbsolutePanTiltPositionSpace", "AbsoluteZoomPositionSpace"),
    "relative": ("RelativePanTiltTranslationSpace", "RelativeZoomTranslationSpace"),
}
SPEED_GROUPS = ("PanTiltSpeedSpace", "ZoomSpeedSpace")


class MoveRefused(ValueError):
    """What is wrong with a typed move, in words."""


@dataclass(frozen=True)
class TypedMove:
    mode: str  # "absolute" or "relative"
    pan: float | None
    tilt: float | None
    zoom: float | None
    pan_tilt_space: str | None  # a space URI; None: the camera's default
    zoom_space: str | None
    speed: float | None = None  # in the node's default speed space

    @property
    def detail(self) -> str:
        """The audit row's words: the values and the spaces' short names."""
        parts = []
        if self.pan is not None:
            parts.append(f"pan {self.pan:g}, tilt {self.tilt:g}")
            if self.pan_tilt_space:
                parts.append(f"({short(self.pan_tilt_space)})")
        if self.zoom is not None:
            parts.append(f"zoom {self.zoom:g}")
            if self.zoom_space:
                parts.append(f"({short(self.zoom_space)})")
        if self.speed is not None:
            parts.append(f"speed {self.speed:g}")
        return " ".join(parts)


@dataclass(frozen=True)
class GeoTarget:
    latitude: float
    longitude: float
    elevation: float  # metres
    area_width: float | None = None  # metres: the device derives the zoom
    area_height: float | None = None

    @property
    def detail(self) -> str:
        area = ""
        if self.area_width or self.area_height:
            area = f", area {self.area_width or 0:g} x {self.area_height or 0:g} m"
        return f"{self.latitude:.6f}, {self.longitude:.6f}, {self.elevation:g} m{area}"


def short(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


def number(content: dict[str, Any], key: str) -> float | None:
    value = content.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise MoveRefused(f'"{key}" must be a number.')
    return float(value)


def _space(spaces: list[dict[str, Any]], group: str, uri: object) -> dict[str, Any]:
    offered = [s for s in spaces if s.get("group") == group]
    if not offered:
        raise MoveRefused(f"The camera offers no {group}.")
    if uri is None:
        return dict(offered[0])  # the first listed: the node's default space
    found = next((s for s in offered if s.get("uri") == uri), None)
    if found is None:
        names = ", ".join(short(str(s.get("uri"))) for s in offered)
        raise MoveRefused(f"The camera does not offer that space here (it offers: {names}).")
    return dict(found)


def _within(label: str, value: float | None, room: object) -> None:
    if value is None or not isinstance(room, list | tuple) or len(room) != 2:
        return
    low, high = float(room[0]), float(room[1])
    if not low <= value <= high:
        raise MoveRefused(f"{label} must be {low:g} to {high:g} in this space.")


def typed_move(spaces: list[dict[str, Any]], content: dict[str, Any]) -> TypedMove:
    """A move from the socket message, checked against the node's spaces and their ranges."""
    mode = content.get("mode")
    if mode not in GROUPS:
        raise MoveRefused('"mode" is "absolute" or "relative".')
    pan, tilt, zoom = (number(content, axis) for axis in ("pan", "tilt", "zoom"))
    speed = number(content, "speed")
    if (pan is None) != (tilt is None):
        raise MoveRefused("Pan and tilt go together: give both, or neither.")
    if pan is None and zoom is None:
        raise MoveRefused("Give a pan and tilt, a zoom, or both.")
    pan_tilt_group, zoom_group = GROUPS[str(mode)]
    pt_space = z_space = None
    if pan is not None:
        pt_space = _space(spaces, pan_tilt_group, content.get("pan_tilt_space"))
        _within("Pan", pan, pt_space.get("x"))
        _within("Tilt", tilt, pt_space.get("y"))
    if zoom is not None:
        z_space = _space(spaces, zoom_group, content.get("zoom_space"))
        _within("Zoom", zoom, z_space.get("x"))
    if speed is not None:
        speed_space = next((s for s in spaces if s.get("group") == SPEED_GROUPS[0]), None)
        _within("The speed", speed, speed_space.get("x") if speed_space else [0, 1])
        if speed <= 0:
            raise MoveRefused("The speed must be above 0.")
    return TypedMove(
        str(mode),
        pan,
        tilt,
        zoom,
        str(pt_space["uri"]) if pt_space and content.get("pan_tilt_space") else None,
        str(z_space["uri"]) if z_space and content.get("zoom_space") else None,
        speed,
    )


def geo_target(content: dict[str, Any]) -> GeoTarget:
    latitude, longitude = number(content, "latitude"), number(content, "longitude")
    elevation = number(content, "elevation")
    if latitude is None or longitude is None:
        raise MoveRefused("A place needs a latitude and a longitude.")
    if not -90 <= latitude <= 90 or not -180 <= longitude <= 180:
        raise MoveRefused("The latitude must be -90 to 90 and the longitude -180 to 180.")
    width, height = number(content, "area_width"), number(content, "area_height")
    for label, size in (("The area width", width), ("The area height", height)):
        if size is not None and size <= 0:
            raise MoveRefused(f"{label} must be above 0 metres.")
    return GeoTarget(latitude, longitude, elevation or 0.0, width, height)
