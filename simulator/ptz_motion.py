"""PTZ motion model: positions are a function of elapsed time, computed on demand (no timers).

Each axis (pan, tilt, zoom) is either idle, moving at a velocity until a deadline (ContinuousMove,
Timeout honoured) or moving towards a target at a speed (Absolute/Relative/preset/home moves).
Positions stay inside the axis limits; a velocity move that reaches a limit slides to a stop there.

The model works in the generic spaces. The angle helpers at the end convert degrees (a node's
degree mapping) and find where a geographic target lies, for the degree spaces and GeoMove.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.camera import PTZNode


def now() -> float:
    return time.monotonic()


@dataclass
class Axis:
    lo: float
    hi: float
    max_speed: float  # generic units per second at speed 1.0
    pos0: float = 0.0
    t0: float = 0.0
    mode: str = "idle"  # idle | velocity | target
    velocity: float = 0.0  # units/s, signed
    deadline: float = math.inf
    target: float = 0.0
    speed: float = 0.0  # units/s, positive

    def position(self, t: float | None = None) -> float:
        t = now() if t is None else t
        dt = max(0.0, t - self.t0)
        if self.mode == "velocity":
            dt = min(dt, max(0.0, self.deadline - self.t0))
            return min(self.hi, max(self.lo, self.pos0 + self.velocity * dt))
        if self.mode == "target":
            span = self.target - self.pos0
            travelled = min(abs(span), self.speed * dt)
            return self.pos0 + math.copysign(travelled, span)
        return self.pos0

    def arrival(self) -> float:
        """Monotonic time at which the current move ends (t0 when idle)."""
        if self.mode == "velocity":
            if self.velocity == 0:
                return self.t0
            edge = self.hi if self.velocity > 0 else self.lo
            return min(self.deadline, self.t0 + abs(edge - self.pos0) / abs(self.velocity))
        if self.mode == "target":
            return self.t0 + (abs(self.target - self.pos0) / self.speed if self.speed else 0.0)
        return self.t0

    def moving(self, t: float | None = None) -> bool:
        t = now() if t is None else t
        return self.mode != "idle" and t < self.arrival()

    def settle(self, t: float) -> None:
        self.pos0, self.t0 = self.position(t), t
        if not self.moving(t):
            self.mode = "idle"

    def stop(self, t: float) -> None:
        self.pos0, self.t0, self.mode = self.position(t), t, "idle"

    def move_velocity(self, t: float, velocity: float, timeout: float) -> None:
        """velocity in generic [-1, 1] units of full speed."""
        self.stop(t)
        if velocity:
            self.mode, self.velocity = "velocity", velocity * self.max_speed
            self.deadline = t + timeout

    def move_to(self, t: float, target: float, speed: float) -> None:
        """speed in generic [0, 1] units of full speed."""
        self.stop(t)
        target = min(self.hi, max(self.lo, target))
        if target != self.pos0:
            self.mode, self.target = "target", target
            self.speed = max(speed, 0.01) * self.max_speed


@dataclass
class Motion:
    pan: Axis
    tilt: Axis
    zoom: Axis
    axes: tuple[Axis, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.axes = (self.pan, self.tilt, self.zoom)

    @classmethod
    def create(cls, limits: dict[str, tuple[float, float]], speeds: tuple[float, float]) -> Motion:
        pt, z = speeds
        return cls(Axis(*limits["pan"], pt), Axis(*limits["tilt"], pt), Axis(*limits["zoom"], z))

    def position(self, t: float | None = None) -> tuple[float, float, float]:
        t = now() if t is None else t
        return tuple(a.position(t) for a in self.axes)  # type: ignore[return-value]

    def pan_tilt_moving(self, t: float | None = None) -> bool:
        return self.pan.moving(t) or self.tilt.moving(t)

    def zoom_moving(self, t: float | None = None) -> bool:
        return self.zoom.moving(t)

    def arrival(self) -> float:
        return max(a.arrival() for a in self.axes)

    def goto(
        self,
        t: float,
        pan: float | None,
        tilt: float | None,
        zoom: float | None,
        pt_speed: float,
        zoom_speed: float,
    ) -> None:
        """Move each given axis to its target; speeds in [0, 1]. Pan and tilt arrive together."""
        dp = abs((pan if pan is not None else self.pan.position(t)) - self.pan.position(t))
        dt = abs((tilt if tilt is not None else self.tilt.position(t)) - self.tilt.position(t))
        longest = max(dp, dt) or 1.0
        for axis, target, share in ((self.pan, pan, dp), (self.tilt, tilt, dt)):
            if target is not None:
                axis.move_to(t, target, pt_speed * (share / longest if share else 1.0))
        if zoom is not None:
            self.zoom.move_to(t, zoom, zoom_speed)

    def stop(self, t: float, pan_tilt: bool = True, zoom: bool = True) -> None:
        if pan_tilt:
            self.pan.stop(t)
            self.tilt.stop(t)
        if zoom:
            self.zoom.stop(t)


# -- angles: degree spaces and GeoMove ------------------------------------------------------
EARTH_RADIUS = 6_371_008.8  # metres (the mean radius)


def to_degrees(generic: float, span: Sequence[float]) -> float:
    """A generic pan or tilt value in degrees; `span` = the degrees at -1 and at +1."""
    lo, hi = span
    return lo + (generic + 1.0) / 2.0 * (hi - lo)


def to_generic(degrees: float, span: Sequence[float]) -> float:
    lo, hi = span
    return (degrees - lo) / (hi - lo) * 2.0 - 1.0


def has_degrees(node: PTZNode) -> bool:
    """Whether the node maps its generic pan/tilt to degrees (and offers the degree spaces)."""
    return len(node.pan_degrees) == 2 and len(node.tilt_degrees) == 2


def _degree_range(span: list[float], limits: list[float]) -> tuple[float, float]:
    a, b = (to_degrees(v, span) for v in limits)
    return min(a, b), max(a, b)


def degree_ranges(node: PTZNode) -> tuple[tuple[float, float], tuple[float, float]]:
    """SphericalPositionSpaceDegrees: the node's physical pan and tilt ranges in degrees."""
    return (
        _degree_range(node.pan_degrees, node.pan_limits),
        _degree_range(node.tilt_degrees, node.tilt_limits),
    )


def translation_ranges(node: PTZNode) -> tuple[tuple[float, float], tuple[float, float]]:
    """SphericalTranslationSpaceDegrees: one step may cross the whole span, at most half a turn."""
    pan, tilt = (min(abs(s[1] - s[0]), 180.0) for s in (node.pan_degrees, node.tilt_degrees))
    return (-pan, pan), (-tilt, tilt)


def point_at(node: PTZNode, pan: float, tilt: float, current: float) -> tuple[float, float] | None:
    """Generic (pan, tilt) that look at `pan`, `tilt` degrees, None when the node cannot. Of
    the turns of pan inside the node's range, the one nearest the `current` generic pan."""
    (plo, phi), (tlo, thi) = degree_ranges(node)
    if tlo - 1e-6 <= tilt <= thi + 1e-6:  # rounding must not make the horizon unreachable
        tilt = min(thi, max(tlo, tilt))
    turn = (pan + 180.0) % 360.0 - 180.0
    pans = [turn + k * 360.0 for k in (-1, 0, 1) if plo <= turn + k * 360.0 <= phi]
    if not pans or not tlo <= tilt <= thi:
        return None
    here = to_degrees(current, node.pan_degrees)
    best = min(pans, key=lambda p: abs(p - here))
    return to_generic(best, node.pan_degrees), to_generic(tilt, node.tilt_degrees)


def look_at(
    origin: tuple[float, float, float], target: tuple[float, float, float]
) -> tuple[float, float, float]:
    """(bearing, elevation angle, distance) of `target` seen from `origin`, both (lon, lat,
    metres above sea level): bearing in degrees clockwise from north in [0, 360), elevation in
    degrees above the horizontal (negative below), distance in metres.

    Flat-earth approximation: both points go on the plane tangent at the origin (north =
    dlat * R, east = dlon * R * cos(mean latitude)); within a few kilometres the angles are off
    by well under a tenth of a degree, and earth curvature and refraction are ignored.
    """
    lon0, lat0, up0 = origin
    lon1, lat1, up1 = target
    north = math.radians(lat1 - lat0) * EARTH_RADIUS
    d_lon = (lon1 - lon0 + 180.0) % 360.0 - 180.0
    east = math.radians(d_lon) * EARTH_RADIUS * math.cos(math.radians((lat0 + lat1) / 2))
    ground, up = math.hypot(north, east), up1 - up0
    bearing = math.degrees(math.atan2(east, north)) % 360.0
    return bearing, math.degrees(math.atan2(up, ground)), math.hypot(ground, up)


def zoom_for_area(
    distance: float,
    width: float | None,
    height: float | None,
    fov: Sequence[float],
    max_factor: float,
) -> float | None:
    """The generic zoom (0..1) whose view just holds an area `width` x `height` metres (either
    may be None) seen at `distance` metres; None when neither is given. `fov` is the
    horizontal and vertical field of view at zoom 0 in degrees; the zoom factor (focal length
    over the shortest) is linear in generic zoom from 1 to `max_factor`, and the view angle is
    2 * atan(tan(fov0 / 2) / factor)."""
    factors = [
        2.0 * distance * math.tan(math.radians(fov0) / 2.0) / size
        for size, fov0 in ((width, fov[0]), (height, fov[1]))
        if size is not None and size > 0
    ]
    if not factors:
        return None
    return min(1.0, max(0.0, (min(factors) - 1.0) / (max_factor - 1.0)))
