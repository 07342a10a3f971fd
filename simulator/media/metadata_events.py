"""The analytics events of a metadata stream (the tt:Event part of its documents).

The rules of the analytics configurations of the stream's video source are evaluated by the
evaluators the event service uses (``simulator.scene_rules``), on the stream's own timeline:
one sample of the scene per document. A rule whose parameters change is rebuilt and keeps what
it has published; one that goes away ends its property instances (``Deleted``). Property
instances are remembered per (topic, source, key) like the event broker does: the first report
of one is ``Initialized``, the next ``Changed``; a document asked for at a key frame (a new
client) repeats every held instance as ``Initialized`` first.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from simulator.camera import Camera, Configuration, SceneObject
from simulator.scene import rule_source, sample
from simulator.scene_rules import Out, Rule, RuleError, Sample, build, engine_of, spec

TOPIC = "tns1:RuleEngine/"
Pairs = list[tuple[str, str]]
Held = tuple[str, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]  # topic, source, key


def iso(utc: float) -> str:
    return datetime.fromtimestamp(utc, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def notification(topic: str, utc: float, source: Pairs, key: Pairs, data: Pairs, op: str) -> str:
    def items(tag: str, pairs: Pairs) -> str:
        if not pairs:
            return ""
        inner = "".join(f'<tt:SimpleItem Name="{n}" Value="{v}"/>' for n, v in pairs)
        return f"<tt:{tag}>{inner}</tt:{tag}>"

    operation = f' PropertyOperation="{op}"' if op else ""
    return (
        '<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/'
        f'topicExpression/ConcreteSet">{topic}</wsnt:Topic><wsnt:Message>'
        f'<tt:Message UtcTime="{iso(utc)}"{operation}>{items("Source", source)}'
        f"{items('Key', key)}{items('Data', data)}</tt:Message></wsnt:Message>"
        "</wsnt:NotificationMessage>"
    )


class StreamRules:
    def __init__(self, camera: Camera) -> None:
        self.camera = camera
        self.rules: dict[tuple[str, str], tuple[Any, Rule]] = {}  # (config, name) -> spec, rule
        self.prev: Sample | None = None
        self.held: dict[Held, Pairs] = {}  # property instances -> their last data

    def events(
        self, configs: list[Configuration], objs: tuple[SceneObject, ...], utc: float, sync: bool
    ) -> list[str]:
        """The notifications of one document at `utc` (`sync`: a client's first document)."""
        out = []
        if sync:
            out += [self.message(h, utc, data, "Initialized") for h, data in self.held.items()]
        out += self.rebuild(configs, utc)
        cur = sample(list(objs), utc, self.camera.quirks.clock_offset)
        for rule in (r for _, r in self.rules.values()):
            out += [m for o in rule.step(self.prev, cur) if (m := self.publish(rule, o, utc))]
        self.prev = cur
        return out

    def rebuild(self, configs: list[Configuration], utc: float) -> list[str]:
        """Evaluators for new and changed rules; gone rules end their property instances."""
        rules: dict[tuple[str, str], tuple[Any, Rule]] = {}
        for cfg in configs:
            engine = engine_of(cfg.modules)
            for item in cfg.rules:
                key, wanted = (cfg.token, item.name), spec(item, engine)
                old = self.rules.get(key)
                if old is not None and old[0] == wanted:
                    rules[key] = old
                    continue
                try:
                    rule = build(item, engine)
                except RuleError:
                    continue  # the event service's scene logs it
                rule.source = rule_source(self.camera, cfg, rule)
                if old is not None and type(old[1]) is type(rule) and old[1].source == rule.source:
                    rule.adopt(old[1])
                rules[key] = (wanted, rule)
        kept = {(TOPIC + r.topic, tuple(r.source)) for _, r in rules.values()}
        gone = {(TOPIC + r.topic, tuple(r.source)) for _, r in self.rules.values()} - kept
        self.rules = rules
        ended = [h for h in self.held if (h[0], h[1]) in gone]
        return [self.message(h, utc, self.held.pop(h), "Deleted") for h in ended]

    def publish(self, rule: Rule, out: Out, utc: float) -> str | None:
        topic = TOPIC + out.topic
        if not out.prop:
            return notification(topic, utc, rule.source, out.key or [], out.data, "")
        held: Held = (topic, tuple(rule.source), tuple(out.key or ()))
        if out.forget:
            self.held.pop((topic, tuple(rule.source), tuple(out.forget)), None)
        if out.delete:
            last = self.held.pop(held, None)
            return None if last is None else self.message(held, utc, last, "Deleted")
        op = "Changed" if held in self.held else "Initialized"
        self.held[held] = out.data
        return self.message(held, utc, out.data, op)

    @staticmethod
    def message(held: Held, utc: float, data: Pairs, op: str) -> str:
        topic, source, key = held
        return notification(topic, utc, list(source), list(key), data, op)
