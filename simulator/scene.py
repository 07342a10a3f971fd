"""The synthetic scene's events: scene objects walking their paths, evaluated against the rules of
every analytics configuration (``simulator.scene_rules``) on the UTC timeline that the picture
and the metadata stream use (``simulator.media.scene.position``), so all three agree.

One task per camera with scene objects (a camera without any runs no task). The timeline is
sampled every ``STEP`` seconds on a grid of absolute times. The task evaluates ahead to the first
sample that produces an event (looking at most ``HORIZON`` seconds ahead), sleeps until exactly
that instant and publishes it. ``changed()`` (called by the analytics and media services when
rules or modules change, and when an object is added) wakes it at once: the look-ahead is thrown
away (the rules' states are restored), the timeline is caught up to the present, and the rules are
rebuilt from the configuration. A new or modified rule therefore sees the scene from that moment
on, within one step, and a deleted one never fires again (its property instances are sent as
``Deleted``).
"""

from __future__ import annotations

import asyncio
import copy
import logging
import math
import time
from typing import TYPE_CHECKING

from simulator.camera import Camera, Configuration, SceneObject
from simulator.media import scene as world
from simulator.scene_rules import (
    MotionRegionDetector,
    Out,
    Rule,
    RuleError,
    Sample,
    build,
    engine_of,
    spec,
)
from simulator.soap import iso_time

if TYPE_CHECKING:
    from simulator.runtime import Runtime

log = logging.getLogger(__name__)
STEP = 0.02  # seconds between samples of the timeline
HORIZON = 5.0  # the furthest the task looks ahead before it sleeps
MAX_CATCH_UP = int(10 / STEP)  # a longer gap (a blocked loop) is skipped, not replayed
TOPIC = "tns1:RuleEngine/"
Key = tuple[str, str]  # (analytics configuration token, rule name)


def sample(objects: list[SceneObject], t: float, offset: float = 0.0) -> Sample:
    """Where the objects are at `t`: the positions and boxes the picture draws."""
    outlines = {o.object_id: world.box(o, t) for o in objects}
    moving = [o for o in objects if o.period > 0 and list(o.start) != list(o.end)]
    return Sample(
        t,
        {o.object_id: world.position(o, t) for o in objects},
        {o.object_id: outlines[o.object_id] for o in moving},
        offset,
        outlines,
        {o.object_id: world.object_class(o) for o in objects},
    )


def rule_source(camera: Camera, cfg: Configuration, rule: Rule) -> list[tuple[str, str]]:
    """The Source items of a rule's events."""
    if isinstance(rule, MotionRegionDetector):  # Annex E names the video source
        vsc = camera.config("VideoSource", cfg.source)
        return [("VideoSource", vsc.source if vsc else cfg.source), ("RuleName", rule.name)]
    return [
        ("VideoSourceConfigurationToken", cfg.source),
        ("VideoAnalyticsConfigurationToken", cfg.token),
        ("Rule", rule.name),
    ]


class Scene:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.camera: Camera = rt.camera
        self.tasks: list[asyncio.Task] = []
        self.runner: asyncio.Task | None = None
        self.rules: dict[Key, Rule] = {}
        self.specs: dict[Key, tuple] = {}
        self.fingerprint = ""
        self.index: int | None = None  # the last evaluated sample (at index * STEP)
        self.prev: Sample | None = None
        self.wake = asyncio.Event()

    def analytics(self) -> Configuration | None:
        found = self.camera.configs("Analytics")
        return found[0] if found else None

    # -- control --------------------------------------------------------------------------------
    def start(self) -> None:
        """(Re)start the scene's tasks."""
        for task in self.tasks:
            task.cancel()
        self.tasks, self.runner = [], None
        if self.camera.scene:
            self.begin()
        if self.camera.sound_period and self.camera.audio_sources:
            self.tasks.append(self.rt.spawn(self.sounds()))

    def add(self, obj: SceneObject) -> None:
        self.camera.scene.append(obj)
        if self.runner is None or self.runner.done():
            self.begin()
        else:
            self.changed()

    def begin(self) -> None:
        """Evaluate the present at once (a subscriber made right after the camera started gets
        the rules' states), then leave the timeline to the task."""
        self.index, self.prev = None, None
        self.sync()
        self.advance(time.time())
        self.runner = self.rt.spawn(self.run())
        self.tasks.append(self.runner)

    def changed(self) -> None:
        """Rules, modules or objects changed: re-evaluate from now on."""
        wake, self.wake = self.wake, asyncio.Event()
        wake.set()

    # -- the timeline -----------------------------------------------------------------------------
    async def run(self) -> None:
        while True:
            self.advance(time.time())
            self.sync()
            saved = self.save()
            wake = self.wake
            due, outs = self.look_ahead(time.time() + HORIZON)
            try:
                await asyncio.wait_for(wake.wait(), max(0.0, due - time.time()))
            except TimeoutError:
                self.emit(outs)
            else:
                self.restore(saved)

    def sample(self, index: int) -> Sample:
        return sample(self.camera.scene, index * STEP, self.camera.quirks.clock_offset)

    def step(self) -> list[tuple[Rule, Out]]:
        """Evaluate the next sample with every rule."""
        index = (self.index if self.index is not None else -1) + 1
        cur = self.sample(index)
        outs = [(rule, out) for rule in self.rules.values() for out in rule.step(self.prev, cur)]
        self.index, self.prev = index, cur
        return outs

    def advance(self, until: float) -> None:
        """Evaluate (and publish) every sample up to `until`."""
        last = math.floor(until / STEP)
        if self.index is None:
            self.index = last - 1
        elif last - self.index > MAX_CATCH_UP:
            self.index = last - 1
            self.prev = self.sample(self.index)
        while self.index < last:
            self.emit(self.step())

    def look_ahead(self, until: float) -> tuple[float, list[tuple[Rule, Out]]]:
        """Evaluate up to the first sample with events (at most to `until`); its time and events."""
        last = math.floor(until / STEP)
        while self.index is not None and self.index < last:
            outs = self.step()
            if outs:
                return self.index * STEP, outs
        return last * STEP, []

    def save(self) -> tuple:
        return self.index, self.prev, {k: copy.deepcopy(r.state) for k, r in self.rules.items()}

    def restore(self, saved: tuple) -> None:
        self.index, self.prev, states = saved
        for key, state in states.items():
            self.rules[key].state = state

    # -- rules ------------------------------------------------------------------------------------
    def sync(self) -> None:
        """Rebuild the evaluators of new and changed rules (keeping what they published), and
        end the property instances of rules that are gone."""
        configs = self.camera.configs("Analytics")
        fingerprint = repr(
            [
                (
                    c.token,
                    c.source,
                    [(r.name, r.type, r.simple, r.elements) for r in c.rules],
                    [(m.name, m.type, m.simple, m.elements) for m in c.modules],
                )
                for c in configs
            ]
        )
        if fingerprint == self.fingerprint:
            return
        self.fingerprint = fingerprint
        rules: dict[Key, Rule] = {}
        specs: dict[Key, tuple] = {}
        for cfg in configs:
            engine = engine_of(cfg.modules)
            for item in cfg.rules:
                key, wanted = (cfg.token, item.name), spec(item, engine)
                old = self.rules.get(key)
                if old is not None and self.specs.get(key) == wanted:
                    rules[key], specs[key] = old, wanted
                    continue
                try:
                    rule = build(item, engine)
                except RuleError as exc:
                    log.warning("%s: rule %s is ignored: %s", self.camera.name, item.name, exc)
                    continue
                rule.source = self.source(cfg, rule)
                if old is not None and type(old) is type(rule) and old.source == rule.source:
                    rule.adopt(old)
                rules[key], specs[key] = rule, wanted
        for key, old in self.rules.items():
            new = rules.get(key)
            same = new is not None and (type(new), new.source) == (type(old), old.source)
            if not same:  # gone, or a different rule under the same name
                self.rt.events.delete(TOPIC + old.topic, old.source)
        self.rules, self.specs = rules, specs

    def source(self, cfg: Configuration, rule: Rule) -> list[tuple[str, str]]:
        return rule_source(self.camera, cfg, rule)

    def emit(self, outs: list[tuple[Rule, Out]]) -> None:
        events = self.rt.events
        for rule, out in outs:
            topic = TOPIC + out.topic
            if out.forget:
                events.forget(topic, rule.source, out.forget)
            if out.delete:
                events.delete(topic, rule.source, out.key)
            else:
                events.publish(topic, rule.source, out.data, key=out.key, prop=out.prop)

    # -- sounds -----------------------------------------------------------------------------------
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
