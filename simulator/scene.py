"""A synthetic scene: objects walking straight paths, evaluated against the analytics rules.

Events are computed from geometry: each leg of a walk is sampled once when it starts, the
instants where an object crosses a rule line or enters/leaves a field are found, and the task
sleeps until exactly those instants. A camera without scene objects (or sounds) runs no task.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import TYPE_CHECKING

from lxml import etree

from simulator.camera import AnalyticsItem, Camera, Configuration, SceneObject
from simulator.soap import NS, iso_time

if TYPE_CHECKING:
    from simulator.runtime import Runtime

SAMPLES = 400
TOPIC = "tns1:RuleEngine/"


def points(xml: str) -> list[tuple[float, float]]:
    el = etree.fromstring(xml)
    pts = el.iter(f"{{{NS['tt']}}}Point")
    return [(float(p.get("x", 0)), float(p.get("y", 0))) for p in pts]


def inside(pt: tuple[float, float], poly: list[tuple[float, float]]) -> bool:
    x, y, result = pt[0], pt[1], False
    for (x1, y1), (x2, y2) in zip(poly, poly[1:] + poly[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            result = not result
    return result


def _cross(a, b, c) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def crosses(p, q, line: list[tuple[float, float]]) -> bool:
    for c, d in itertools.pairwise(line):
        side_p, side_q = _cross(c, d, p) > 0, _cross(c, d, q) > 0
        if side_p != side_q and _cross(p, q, c) * _cross(p, q, d) <= 0:
            return True
    return False


def leg_events(
    obj: SceneObject, start, end, rules: list[AnalyticsItem]
) -> list[tuple[float, str, AnalyticsItem, bool]]:
    """(fraction of the leg, kind, rule, value) for every rule event along one straight leg."""
    out = []
    path = [
        (start[0] + (end[0] - start[0]) * i / SAMPLES, start[1] + (end[1] - start[1]) * i / SAMPLES)
        for i in range(SAMPLES + 1)
    ]
    for rule in rules:
        if rule.type == "tt:LineDetector" and "Segments" in rule.elements:
            line = points(rule.elements["Segments"])
            out += [
                (i / SAMPLES, "line", rule, True)
                for i in range(1, SAMPLES + 1)
                if crosses(path[i - 1], path[i], line)
            ]
        elif rule.type in ("tt:FieldDetector", "tt:MotionRegionDetector"):
            xml = rule.elements.get("Field") or rule.elements.get("MotionRegion")
            poly = points(xml) if xml else []
            if len(poly) < 3:
                continue
            state = [inside(p, poly) for p in path]
            kind = "field" if rule.type == "tt:FieldDetector" else "region"
            if state[0]:
                out.append((0.0, kind, rule, True))
            out += [
                (i / SAMPLES, kind, rule, state[i])
                for i in range(1, SAMPLES + 1)
                if state[i] != state[i - 1]
            ]
    return sorted(out, key=lambda e: e[0])


class Scene:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.camera: Camera = rt.camera
        self.tasks: list[asyncio.Task] = []

    def analytics(self) -> Configuration | None:
        found = self.camera.configs("Analytics")
        return found[0] if found else None

    def start(self) -> None:
        for obj in self.camera.scene:
            self.tasks.append(self.rt.spawn(self.walk(obj)))
        if self.camera.scene and (cfg := self.analytics()) is not None:
            for rule in cfg.rules:
                if rule.type == "tt:CellMotionDetector":
                    self.publish(cfg, rule, "CellMotionDetector/Motion", [("IsMotion", "true")])
        if self.camera.sound_period and self.camera.audio_sources:
            self.tasks.append(self.rt.spawn(self.sounds()))

    def add(self, obj: SceneObject) -> None:
        self.camera.scene.append(obj)
        self.tasks.append(self.rt.spawn(self.walk(obj)))

    def publish(self, cfg: Configuration, rule: AnalyticsItem, topic: str, data, key=None) -> None:
        source = [
            ("VideoSourceConfigurationToken", cfg.source),
            ("VideoAnalyticsConfigurationToken", cfg.token),
            ("Rule", rule.name),
        ]
        prop = not topic.endswith("Crossed")
        self.rt.events.publish(TOPIC + topic, source, data, key=key, prop=prop)

    async def walk(self, obj: SceneObject) -> None:
        """Fire the rule events of `obj` as it walks: on the UTC timeline that the picture and
        the metadata stream use (simulator.media.scene.position), so all three agree."""
        if obj.period <= 0:
            return
        while True:
            now = time.time()
            leg = int(now // obj.period)
            began = leg * obj.period
            a, b = (obj.start, obj.end) if leg % 2 == 0 else (obj.end, obj.start)
            cfg = self.analytics()
            for frac, kind, rule, value in leg_events(obj, a, b, cfg.rules if cfg else []):
                at = began + frac * obj.period
                if at < now:
                    continue  # passed before this leg was joined
                await asyncio.sleep(max(0.0, at - time.time()))
                self.fire(cfg, obj, kind, rule, value)
            await asyncio.sleep(max(0.0, began + obj.period - time.time()))

    def fire(
        self, cfg: Configuration, obj: SceneObject, kind: str, rule: AnalyticsItem, value: bool
    ) -> None:
        oid = str(obj.object_id)
        if kind == "line":
            self.publish(cfg, rule, "LineDetector/Crossed", [("ObjectId", oid)])
        elif kind == "field":
            self.publish(
                cfg,
                rule,
                "FieldDetector/ObjectsInside",
                [("IsInside", "true" if value else "false")],
                key=[("ObjectId", oid)],
            )
        else:
            vsc = self.camera.config("VideoSource", cfg.source)
            self.rt.events.publish(
                TOPIC + "MotionRegionDetector/Motion",
                [("VideoSource", vsc.source if vsc else cfg.source), ("RuleName", rule.name)],
                [("State", "true" if value else "false")],
                prop=True,
            )

    async def sounds(self) -> None:
        c = self.camera
        cfg = c.configs("AudioSource")
        source = [
            ("AudioSourceConfigurationToken", cfg[0].token if cfg else ""),
            ("AudioAnalyticsConfigurationToken", "AudioAnalytics_1"),
        ]
        while True:
            await asyncio.sleep(c.sound_period)
            for detected in ("true", "false"):
                self.rt.events.publish(
                    "tns1:AudioAnalytics/Audio/DetectedSound",
                    source,
                    [("isSoundDetected", detected), ("UTCTime", iso_time(c.clock()))],
                )
                await asyncio.sleep(1.0)
