"""PTZ motion model: positions are a function of elapsed time, computed on demand (no timers).

Each axis (pan, tilt, zoom) is either idle, moving at a velocity until a deadline (ContinuousMove,
Timeout honoured) or moving towards a target at a speed (Absolute/Relative/preset/home moves).
Positions stay inside the axis limits; a velocity move that reaches a limit slides to a stop there.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field


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
