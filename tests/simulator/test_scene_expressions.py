"""The declarative motion detector (Annex C.5): XPath motion expressions over each object's scene
description, inside the rule's field, evaluated on the scene and over the event service."""

from __future__ import annotations

import time

import pytest
from simclient import pull_messages, pull_point, xp

from simulator.camera import AnalyticsItem, SceneObject
from simulator.scene_expressions import MAX_LENGTH, Expression, describe, truth
from simulator.scene_rules import RuleError, build
from tests.simulator.test_analytics_rules import AN, BOX, CT, TT, walk

EV = "/onvif/events_service"


def declarative(expression: str, field: str = BOX) -> AnalyticsItem:
    motion = (
        f"<tt:MotionExpressionConfiguration {TT}><tt:MotionExpression>"
        f"<tt:Expression>{expression}</tt:Expression></tt:MotionExpression>"
        "</tt:MotionExpressionConfiguration>"
    )
    elements = {"Field": field, "MotionExpression": motion}
    return AnalyticsItem("Match", "tt:DeclarativeMotionDetector", {}, elements)


def test_the_scene_description_of_an_object():
    node = describe(3, (0.1, 0.4, 0.3, 0.2), "Human", 0.25, namespaced=False)
    assert node.get("ObjectId") == "3"
    assert node.findtext("Appearance/Class/Type") == "Human"
    assert node.find("Appearance/Shape/CenterOfGravity").attrib == {"x": "0.2000", "y": "0.3000"}
    assert node.findtext("Behaviour/Speed") == "0.2500"
    still = describe(3, (0.1, 0.4, 0.3, 0.2), "Human", 0.0, namespaced=True)
    assert still.find("{http://www.onvif.org/ver10/schema}Behaviour")[0].tag.endswith("Idle")
    assert [truth(v) for v in (True, 0.0, float("nan"), 2.0, "", "x", [], [node])] == [
        True, False, False, True, False, True, False, True,
    ]  # fmt: skip


def test_an_expression_on_the_class_matches_humans_in_the_field_only():
    human = SceneObject(1, [0.0, 0.0], [0.8, 0.0], period=4.0)  # odd ids are humans
    vehicle = SceneObject(2, [0.0, 0.0], [0.8, 0.0], period=4.0)
    rule = build(declarative("Appearance/Class/Type = 'Human'"))
    events = walk(rule, human, 4.0)  # inside x 0.2..0.6 from 1 s to 3 s
    assert [(t, o.delete) for t, o in events] == [(1.0, False), (3.0, True)]
    first = events[0][1]
    assert first.topic == "DeclarativeMotionDetector/MotionMatched"
    assert first.key == [("ObjectId", "1")]
    assert first.data == [("TimeStamp", "1970-01-01T00:00:01Z")]
    assert walk(build(declarative("Appearance/Class/Type = 'Human'")), vehicle, 4.0) == []


def test_a_namespaced_expression_on_the_speed():
    fast = SceneObject(1, [0.0, 0.0], [0.8, 0.0], period=1.0)  # 0.8 per second
    slow = SceneObject(3, [0.0, 0.0], [0.8, 0.0], period=4.0)  # 0.2 per second
    expression = "tt:Behaviour/tt:Speed &gt; 0.5"
    assert [o.delete for _, o in walk(build(declarative(expression)), fast, 1.0)] == [False, True]
    assert walk(build(declarative(expression)), slow, 4.0) == []
    still = SceneObject(5, [0.4, 0.0], [0.4, 0.0], period=0.0)
    idle = walk(build(declarative("boolean(tt:Behaviour/tt:Idle)")), still, 0.5)
    assert [(t, o.delete) for t, o in idle] == [(0.0, False)]


@pytest.mark.parametrize(
    ("expression", "words"),
    [
        ("", "needs an Expression"),
        ("Appearance/Class/Type = ", "is not XPath 1.0"),
        ("x" * (MAX_LENGTH + 1), f"longer than {MAX_LENGTH} characters"),
    ],
)
def test_expressions_the_simulator_cannot_evaluate_are_refused(expression, words):
    with pytest.raises(RuleError, match=words):
        build(declarative(expression))
    with pytest.raises(RuleError, match="needs the parameter MotionExpression"):
        build(AnalyticsItem("M", "tt:DeclarativeMotionDetector", {}, {"Field": BOX}))


def test_an_unknown_function_matches_nothing():
    assert Expression("unknown-function(.)").matches(1, (0, 0, 0, 0), "Human", 0.0) is False


async def test_the_rule_is_offered_and_fires_over_the_event_service(bullet, cams):
    rules = await bullet.call(AN, f"<tan:GetSupportedRules>{CT}</tan:GetSupportedRules>")
    about = xp(rules, "//tt:RuleDescription[@Name='tt:DeclarativeMotionDetector']")[0]
    assert xp(about, "tt:Parameters/tt:ElementItemDescription/@Type") == [
        "tt:PolygonConfiguration", "tt:MotionExpressionConfiguration",
    ]  # fmt: skip
    assert xp(about, "string(tt:Messages/tt:ParentTopic)") == (
        "tns1:RuleEngine/DeclarativeMotionDetector/MotionMatched"
    )
    props = await bullet.call(EV, "<tev:GetEventProperties/>")
    path = "//tns1:RuleEngine/tns1:DeclarativeMotionDetector/tns1:MotionMatched"
    assert xp(props, f"{path}/tt:MessageDescription/@IsProperty") == ["true"]

    address = await pull_point(bullet, "tns1:RuleEngine/DeclarativeMotionDetector//.")
    field = BOX.replace(f" {TT}", "")
    body = (
        "<tan:Rule Name='People' Type='tt:DeclarativeMotionDetector'><tt:Parameters>"
        f"<tt:ElementItem Name='Field'>{field}</tt:ElementItem>"
        "<tt:ElementItem Name='MotionExpression'><tt:MotionExpressionConfiguration>"
        "<tt:MotionExpression Type='xpath'><tt:Expression>Appearance/Class/Type = 'Human'"
        "</tt:Expression></tt:MotionExpression></tt:MotionExpressionConfiguration>"
        "</tt:ElementItem></tt:Parameters></tan:Rule>"
    )
    await bullet.call(AN, f"<tan:CreateRules>{CT}{body}</tan:CreateRules>")
    got = await bullet.call(AN, f"<tan:GetRules>{CT}</tan:GetRules>")
    assert xp(got, "string(tan:Rule[@Name='People']//tt:Expression)").startswith("Appearance")
    camera = cams["bullet-analytics"]
    camera.runtime.scene.add(SceneObject(11, [-0.9, 0.0], [0.9, 0.0], 0.6))  # a human
    camera.runtime.scene.add(SceneObject(12, [-0.9, 0.1], [0.9, 0.1], 0.6))  # a vehicle
    seen: dict[str, set[str]] = {}
    deadline = time.time() + 5
    while time.time() < deadline and "Deleted" not in seen:
        for _, msg in await pull_messages(bullet, address, timeout="PT0.3S"):
            operation = xp(msg, "string(@PropertyOperation)")
            ids = xp(msg, "tt:Key/tt:SimpleItem[@Name='ObjectId']/@Value")
            if xp(msg, "string(tt:Source/tt:SimpleItem[@Name='Rule']/@Value)") == "People":
                seen.setdefault(operation, set()).update(ids)
    assert "11" in seen.get("Initialized", set()) and "11" in seen.get("Deleted", set())
    assert "12" not in set().union(*seen.values())
