"""Rules evaluated on the scene: line direction, loitering, counting, and rules that are created,
modified or deleted while objects walk (they take effect at once)."""

from __future__ import annotations

import asyncio
import time

import pytest
from simclient import SoapFault, pull_messages, pull_point, xp

from simulator.camera import AnalyticsItem, SceneObject
from simulator.media import scene as world
from simulator.scene import STEP, sample
from simulator.scene_rules import RuleError, Sample, build, crossing

AN = "/onvif/analytics_service"
EV = "/onvif/events_service"
CT = "<tan:ConfigurationToken>VideoAnalyticsConfig_1</tan:ConfigurationToken>"
TT = 'xmlns:tt="http://www.onvif.org/ver10/schema"'
UP = f'<tt:Polyline {TT}><tt:Point x="0" y="-1"/><tt:Point x="0" y="1"/></tt:Polyline>'
BOX = (
    f'<tt:PolygonConfiguration {TT}><tt:Polygon><tt:Point x="0.2" y="-0.5"/>'
    '<tt:Point x="0.6" y="-0.5"/><tt:Point x="0.6" y="0.5"/><tt:Point x="0.2" y="0.5"/>'
    "</tt:Polygon></tt:PolygonConfiguration>"
)


def walk(rule, obj: SceneObject, until: float, start: float = 0.0) -> list[tuple[float, object]]:
    """Step one rule through the object's walk: (time, event) pairs."""
    out, prev = [], None
    for n in range(round(start / STEP), round(until / STEP) + 1):
        cur = sample([obj], n * STEP)
        out += [(round(cur.t, 2), o) for o in rule.step(prev, cur)]
        prev = cur
    return out


def line(direction: str, xml: str = UP) -> AnalyticsItem:
    return AnalyticsItem("L", "tt:LineDetector", {"Direction": direction}, {"Segments": xml})


def test_the_direction_is_the_side_crossed_to_walking_from_the_first_point():
    # walking up the line x = 0 (first point below the second), left is x < 0
    assert crossing((-0.5, 0), (0.5, 0), [(0, -1), (0, 1)]) == "Right"
    assert crossing((0.5, 0), (-0.5, 0), [(0, -1), (0, 1)]) == "Left"
    assert crossing((0.5, 0), (-0.5, 0), [(0, 1), (0, -1)]) == "Right"  # reversed line
    assert crossing((-0.5, 2), (0.5, 2), [(0, -1), (0, 1)]) is None
    bent = [(-1, 0.5), (0, 0.5), (0, -1)]  # east, then south: the left of its 2nd leg is x > 0
    assert crossing((-0.5, 0), (0.5, 0), bent) == "Left"
    obj = SceneObject(1, [-1.0, 0.0], [1.0, 0.0], period=1.0)  # right at 0.5 s, back at 1.5 s
    fired = {
        d: [round(t, 1) for t, _ in walk(build(line(d)), obj, 2.0)]
        for d in ("Left", "Right", "Any")
    }
    assert fired == {"Right": [0.5], "Left": [1.5], "Any": [0.5, 1.5]}
    with pytest.raises(RuleError, match="Left, Right, Any"):
        build(line("Up"))


def loitering(**simple: str) -> AnalyticsItem:
    return AnalyticsItem("Stay", "tt:LoiteringDetector", simple, {"Field": BOX})


def test_an_object_staying_in_the_field_is_loitering():
    obj = SceneObject(4, [0.0, 0.0], [0.8, 0.0], period=4.0)  # inside x 0.2..0.6: 1 s to 3 s
    events = walk(build(loitering(TimeThreshold="1")), obj, 4.0)
    assert [(t, o.delete) for t, o in events] == [(2.0, False), (3.0, True)]
    first = events[0][1]
    assert first.key == [("ObjectId", "4")]
    assert first.data == [("Since", "1970-01-01T00:00:01Z"), ("TimeStamp", "1970-01-01T00:00:02Z")]
    periodic = build(loitering(TimeThreshold="1", isPeriodicNotify="true", TimeInterval="PT0.5S"))
    times = [t for t, o in walk(periodic, obj, 4.0) if not o.delete]
    assert times == [2.0, 2.5]  # it is out at x = 0.6 (3 s)
    assert walk(build(loitering(TimeThreshold="5")), obj, 4.0) == []  # never long enough
    for simple, words in (
        ({}, "needs the parameter TimeThreshold"),
        ({"TimeThreshold": "x"}, "xs:duration"),
        ({"TimeThreshold": "1", "isPeriodicNotify": "true"}, "needs a TimeInterval"),
    ):
        with pytest.raises(RuleError, match=words):
            build(loitering(**simple))


def counter(**simple: str) -> AnalyticsItem:
    lines = (
        f"<tt:PolylineArrayConfiguration {TT}><tt:PolylineArray><tt:Segment>"
        '<tt:Point x="0" y="-1"/><tt:Point x="0" y="1"/></tt:Segment><tt:Segment>'
        '<tt:Point x="0.5" y="-1"/><tt:Point x="0.5" y="1"/></tt:Segment></tt:PolylineArray>'
        "</tt:PolylineArrayConfiguration>"
    )
    return AnalyticsItem("Count", "tt:CountAggregation", simple, {"LineSegments": lines})


def test_objects_crossing_the_lines_are_counted():
    obj = SceneObject(5, [-1.0, 0.0], [1.0, 0.0], period=1.0)  # x = 0 at 0.5 s, 0.5 at 0.75 s
    each = [(t, o.data, o.key) for t, o in walk(build(counter(Direction="Right")), obj, 4.0)]
    assert [d[0][1] for _, d, _ in each] == ["1", "2", "3", "4"]
    assert [t for t, _, _ in each] == pytest.approx([0.5, 0.75, 2.5, 2.75], abs=STEP)
    assert each[0][2] == [("ObjectId", "5")]
    every = walk(build(counter(Direction="Any")), obj, 1.6)
    assert [o.data for _, o in every] == [[("Count", str(n))] for n in range(1, 5)]
    timed = build(counter(Direction="Right", ReportTimeInterval="PT1S", ResetTimeInterval="PT2S"))
    reports = [(t, o.data[0][1]) for t, o in walk(timed, obj, 4.0)]
    # counts reported at the end of each second when changed; back to 0 every 2 s
    assert reports == [(1.0, "2"), (2.0, "0"), (3.0, "2"), (4.0, "0")]
    with pytest.raises(RuleError, match="ResetTimeInterval must be an xs:duration"):
        build(counter(ResetTimeInterval="daily"))


def test_a_new_key_replaces_the_counter_of_the_previous_object():
    rule = build(counter())
    a, b = SceneObject(1, [-1, 0], [1, 0], 1.0), SceneObject(2, [-1, 0.5], [1, 0.5], 1.0)
    prev = None
    outs = []
    for n in range(int(0.9 / STEP)):
        cur = sample([a, b], n * STEP)
        outs += rule.step(prev, cur)
        prev = cur
    assert [o.key for o in outs] == [[("ObjectId", "1")], [("ObjectId", "2")]] * 2
    assert outs[1].forget == [("ObjectId", "1")] and outs[0].forget is None


def test_the_region_rule_follows_moving_objects_and_its_arming():
    region = (
        '<axt:MotionRegionConfig xmlns:axt="http://www.onvif.org/ver20/analytics" '
        f'{TT}><axt:Armed>{{}}</axt:Armed><axt:Polygon><tt:Point x="0.2" y="-0.5"/>'
        '<tt:Point x="0.6" y="-0.5"/><tt:Point x="0.6" y="0.5"/></axt:Polygon>'
        "</axt:MotionRegionConfig>"
    )
    obj = SceneObject(6, [0.0, -0.2], [0.8, -0.2], period=4.0)
    item = AnalyticsItem(
        "R", "tt:MotionRegionDetector", {}, {"MotionRegion": region.format("true")}
    )
    states = [(t, o.data[0][1]) for t, o in walk(build(item), obj, 4.0)]
    assert states[0] == (0.0, "false") and states[1][1] == "true" and states[2][1] == "false"
    item.elements["MotionRegion"] = region.format("false")
    assert [o.data for _, o in walk(build(item), obj, 4.0)] == [[("State", "false")]]


def crossing_times(obj: SceneObject, x: float, start: float, end: float) -> list[float]:
    """When the object's centre passes x (to within a step) between start and end."""
    times, t = [], start
    while t < end:
        a, b = world.position(obj, t)[0], world.position(obj, t + 0.001)[0]
        if (a - x) * (b - x) <= 0:
            times.append(t)
            t += 0.05
        t += 0.001
    return times


def rule_xml(name: str, x: float) -> str:
    return (
        f"<tan:Rule Name='{name}' Type='tt:LineDetector'><tt:Parameters><tt:SimpleItem "
        f"Name='Direction' Value='Any'/><tt:ElementItem Name='Segments'><tt:Polyline>"
        f"<tt:Point x='{x}' y='-1'/><tt:Point x='{x}' y='1'/></tt:Polyline></tt:ElementItem>"
        "</tt:Parameters></tan:Rule>"
    )


async def crossings_of(sub, rule: str, seconds: float) -> list[float]:
    """Times (camera clock) of the walker's Crossed events of `rule` within `seconds`."""
    end, out = time.time() + seconds, []
    while time.time() < end:
        await asyncio.sleep(0.02)
        while sub.queue:
            msg = sub.queue.popleft()
            if dict(msg.source)["Rule"] == rule and dict(msg.data)["ObjectId"] == "7":
                out.append(msg.utc)
    return out


async def test_rules_take_effect_when_created_modified_and_deleted(bullet, cams):
    camera = cams["bullet-analytics"]
    walker = SceneObject(7, [-0.9, 0.3], [0.9, 0.3], period=0.6)
    camera.runtime.scene.add(walker)
    sub = camera.runtime.events.subscribe(["tns1:RuleEngine/LineDetector"], 60)
    await asyncio.sleep(0.1)
    await bullet.call(AN, f"<tan:CreateRules>{CT}{rule_xml('Late', 0.5)}</tan:CreateRules>")
    created = time.time()
    seen = await crossings_of(sub, "Late", 1.3)
    expected = crossing_times(walker, 0.5, created, time.time() - 0.05)
    assert len(seen) >= 2 and len(expected) >= 2
    for t in expected:  # each crossing after the rule was made was reported within a step
        assert any(abs(s - t) < 2 * STEP + 0.01 for s in seen), (t, seen)
    await bullet.call(AN, f"<tan:ModifyRules>{CT}{rule_xml('Late', -0.5)}</tan:ModifyRules>")
    sub.queue.clear()
    moved = time.time()
    seen = await crossings_of(sub, "Late", 1.3)
    for s in seen:
        assert any(abs(s - t) < 2 * STEP + 0.01 for t in crossing_times(walker, -0.5, moved, s + 1))
    assert len(seen) >= 2
    await bullet.call(
        AN, f"<tan:DeleteRules>{CT}<tan:RuleName>Late</tan:RuleName></tan:DeleteRules>"
    )
    sub.queue.clear()
    assert await crossings_of(sub, "Late", 1.3) == []


async def test_new_rule_types_are_offered_and_fire_over_the_event_service(bullet, cams):
    rules = await bullet.call(AN, f"<tan:GetSupportedRules>{CT}</tan:GetSupportedRules>")
    topics = xp(rules, "//tt:RuleDescription/tt:Messages/tt:ParentTopic/text()")
    assert {
        "tns1:RuleEngine/LoiteringDetector/ObjectIsLoitering",
        "tns1:RuleEngine/CountAggregation/Counter",
    } <= set(topics)
    loiter = xp(rules, "//tt:RuleDescription[@Name='tt:LoiteringDetector']")[0]
    assert xp(loiter, "tt:Parameters/tt:ElementItemDescription/@Type") == [
        "tt:PolygonConfiguration"
    ]
    assert xp(loiter, "tt:Messages/tt:Key/tt:SimpleItemDescription/@Name") == ["ObjectId"]
    region = xp(rules, "//tt:RuleDescription[@Name='tt:MotionRegionDetector']/tt:Messages")[0]
    assert xp(region, "tt:Source/tt:SimpleItemDescription/@Name") == ["VideoSource", "RuleName"]
    opts = await bullet.call(
        AN, f"<tan:GetRuleOptions><tan:RuleType>tt:CountAggregation</tan:RuleType>{CT}"
        "</tan:GetRuleOptions>",
    )  # fmt: skip
    assert xp(opts, "tan:RuleOptions/@Name") == [
        "LineSegments", "ReportTimeInterval", "ResetTimeInterval", "Direction"
    ]  # fmt: skip
    assert xp(opts, "string(tan:RuleOptions[@Name='ReportTimeInterval']//tt:Max)") == "PT24H"
    props = await bullet.call(EV, "<tev:GetEventProperties/>")
    for path in (
        "tns1:LoiteringDetector/tns1:ObjectIsLoitering",
        "tns1:CountAggregation/tns1:Counter",
    ):
        assert xp(props, f"//tns1:RuleEngine/{path}/tt:MessageDescription/@IsProperty") == ["true"]

    address = await pull_point(bullet, "tns1:RuleEngine//.")
    lines = (
        "<tt:PolylineArrayConfiguration><tt:PolylineArray><tt:Segment><tt:Point x='0.5' y='-1'/>"
        "<tt:Point x='0.5' y='1'/></tt:Segment></tt:PolylineArray></tt:PolylineArrayConfiguration>"
    )
    field = BOX.replace(f" {TT}", "")
    body = (
        "<tan:Rule Name='Stay' Type='tt:LoiteringDetector'><tt:Parameters>"
        "<tt:SimpleItem Name='TimeThreshold' Value='0'/><tt:ElementItem Name='Field'>"
        f"{field}</tt:ElementItem></tt:Parameters></tan:Rule>"
        "<tan:Rule Name='Gate' Type='tt:CountAggregation'><tt:Parameters>"
        "<tt:SimpleItem Name='Direction' Value='Any'/><tt:ElementItem Name='LineSegments'>"
        f"{lines}</tt:ElementItem></tt:Parameters></tan:Rule>"
    )
    await bullet.call(AN, f"<tan:CreateRules>{CT}{body}</tan:CreateRules>")
    got = await bullet.call(AN, f"<tan:GetRules>{CT}</tan:GetRules>")
    assert xp(got, "count(tan:Rule[@Name='Gate']//tt:Segment)") == 1
    cams["bullet-analytics"].runtime.scene.add(SceneObject(9, [-0.9, 0.0], [0.9, 0.0], 0.6))
    found: dict[str, list] = {}
    deadline = time.time() + 5
    while time.time() < deadline:
        for topic, msg in await pull_messages(bullet, address, timeout="PT0.3S"):
            found.setdefault(topic.rsplit("/", 1)[1], []).append(msg)
        if {"ObjectIsLoitering", "Counter"} <= found.keys() and len(found["Counter"]) > 1:
            break
    stay = found["ObjectIsLoitering"][0]
    assert xp(stay, "tt:Data/tt:SimpleItem/@Name") == ["Since", "TimeStamp"]
    counts = [int(xp(m, "string(tt:Data/tt:SimpleItem/@Value)")) for m in found["Counter"]]
    assert counts == list(range(counts[0], counts[0] + len(counts)))


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("<tan:Rule Name='A' Type='tt:LoiteringDetector'><tt:Parameters>"
         "<tt:SimpleItem Name='TimeThreshold' Value='3'/></tt:Parameters></tan:Rule>",
         "needs the parameter Field"),
        ("<tan:Rule Name='B' Type='tt:CountAggregation'><tt:Parameters>"
         "<tt:SimpleItem Name='Direction' Value='Up'/><tt:ElementItem Name='LineSegments'>"
         "<tt:Polyline><tt:Point x='0' y='0'/><tt:Point x='1' y='0'/></tt:Polyline>"
         "</tt:ElementItem></tt:Parameters></tan:Rule>", "Direction must be one of"),
        ("<tan:Rule Name='C' Type='tt:LineDetector'><tt:Parameters>"
         "<tt:SimpleItem Name='Direction' Value='Sideways'/><tt:ElementItem Name='Segments'>"
         "<tt:Polyline><tt:Point x='0' y='0'/><tt:Point x='1' y='0'/></tt:Polyline>"
         "</tt:ElementItem></tt:Parameters></tan:Rule>", "Direction must be one of"),
    ],
)  # fmt: skip
async def test_invalid_rules_are_refused_with_a_reason(bullet, rule, words):
    with pytest.raises(SoapFault) as err:
        await bullet.call(AN, f"<tan:CreateRules>{CT}{rule}</tan:CreateRules>")
    assert err.value.subcodes == ["ter:InvalidArgVal", "ter:InvalidRule"]
    assert words in err.value.reason


async def test_a_deleted_property_rule_ends_its_property_instances(bullet, cams):
    camera = cams["bullet-analytics"]
    sub = camera.runtime.events.subscribe(["tns1:RuleEngine/FieldDetector"], 60)
    camera.runtime.scene.add(SceneObject(3, [0.4, 0.0], [0.5, 0.0], period=1.0))  # in Lobby
    for _ in range(20):
        await asyncio.sleep(0.05)
        if any(dict(m.key) == {"ObjectId": "3"} for m in sub.queue):
            break
    await bullet.call(
        AN, f"<tan:DeleteRules>{CT}<tan:RuleName>Lobby</tan:RuleName></tan:DeleteRules>"
    )
    await asyncio.sleep(0.1)
    ended = [m for m in sub.queue if m.operation == "Deleted"]
    assert {dict(m.key)["ObjectId"] for m in ended} >= {"3"}
    assert all(dict(m.source)["Rule"] == "Lobby" for m in ended)
    late = camera.runtime.events.subscribe(["tns1:RuleEngine/FieldDetector"], 60)
    assert list(late.queue) == []  # nothing left to initialise


def test_samples_carry_the_boxes_of_moving_objects_only():
    still = SceneObject(1, [0.1, 0.1], [0.1, 0.1], period=5.0)
    moving = SceneObject(2, [-1.0, 0.0], [1.0, 0.0], period=5.0)
    cur: Sample = sample([still, moving], 2.5, offset=600)
    assert set(cur.pos) == {1, 2} and set(cur.boxes) == {2}
    assert cur.boxes[2] == world.box(moving, 2.5)
    assert cur.stamp(0) == "1970-01-01T00:10:00Z"
