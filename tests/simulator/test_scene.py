"""The synthetic scene: analytics rule events derived from moving objects."""

import asyncio
import time

from simulator.camera import AnalyticsItem, SceneObject
from simulator.media import scene as world
from simulator.scene import STEP, sample
from simulator.scene_rules import build, crosses, inside, points

SQUARE = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]


def test_geometry_helpers():
    assert inside((0.5, 0.5), SQUARE) and not inside((1.5, 0.5), SQUARE)
    assert crosses((-1, 0.5), (1, 0.5), [(0, 0), (0, 1)])
    assert not crosses((-1, 2), (1, 2), [(0, 0), (0, 1)])
    xml = (
        '<tt:Polyline xmlns:tt="http://www.onvif.org/ver10/schema"><tt:Point x="1" y="2"/>'
        "</tt:Polyline>"
    )
    assert points(xml) == [(1.0, 2.0)]


def test_it_finds_the_moments_of_crossing_and_entering():
    line = AnalyticsItem(
        "L",
        "tt:LineDetector",
        elements={
            "Segments": (
                '<tt:Polyline xmlns:tt="http://www.onvif.org/ver10/schema"><tt:Point x="0" y="-1"/>'
                '<tt:Point x="0" y="1"/></tt:Polyline>'
            )
        },
    )
    field = AnalyticsItem(
        "F",
        "tt:FieldDetector",
        elements={
            "Field": (
                '<tt:Polygon xmlns:tt="http://www.onvif.org/ver10/schema">'
                '<tt:Point x="0.5" y="-1"/><tt:Point x="1.5" y="-1"/><tt:Point x="1.5" y="1"/>'
                '<tt:Point x="0.5" y="1"/></tt:Polygon>'
            )
        },
    )
    obj = SceneObject(1, [-1.0, 0.0], [1.0, 0.0])  # one leg takes 10 s
    rules, prev, events = [build(line), build(field)], None, []
    for n in range(round(10 / STEP) + 1):
        cur = sample([obj], n * STEP)
        events += [
            (round(cur.t / 10, 2), o.topic, o.data) for r in rules for o in r.step(prev, cur)
        ]
        prev = cur
    assert events == [
        (0.5, "LineDetector/Crossed", [("ObjectId", "1")]),
        (0.75, "FieldDetector/ObjectsInside", [("IsInside", "true")]),
    ]


async def test_a_walking_object_triggers_line_and_field_events(cams):
    camera = cams["bullet-analytics"]
    rt = camera.runtime
    sub = rt.events.subscribe(["tns1:RuleEngine"], 60)
    rt.scene.add(SceneObject(7, [-0.9, 0.0], [0.9, 0.0], period=0.6))
    wanted = {
        ("LineDetector/Crossed", (("ObjectId", "7"),)),
        ("FieldDetector/ObjectsInside", (("IsInside", "true"),)),
    }
    for _ in range(60):  # a crossing and an entry are due within one 0.6 s leg, each way
        await asyncio.sleep(0.05)
        seen = [(m.topic.split("/", 1)[1], dict(m.data)) for m in sub.queue]
        if wanted <= {(topic, tuple(data.items())) for topic, data in seen}:
            break
    assert ("LineDetector/Crossed", {"ObjectId": "7"}) in seen
    assert ("FieldDetector/ObjectsInside", {"IsInside": "true"}) in seen
    crossed = next(
        m for m in sub.queue if m.topic.endswith("Crossed") and dict(m.data)["ObjectId"] == "7"
    )
    assert dict(crossed.source)["Rule"] == "DoorLine"
    assert dict(crossed.source)["VideoAnalyticsConfigurationToken"] == "VideoAnalyticsConfig_1"


async def test_the_demo_scene_reports_cell_motion_as_a_property(cams):
    """Evaluated from the scene (no fixed initial state): a subscriber gets the state of the
    demo rule as Initialized, and it is the state of the scene at that moment."""
    camera = cams["bullet-analytics"]
    await asyncio.sleep(0.1)  # the scene has been evaluated once
    sub = camera.runtime.events.subscribe(["tns1:RuleEngine/CellMotionDetector"], 60)
    (first,) = list(sub.queue)
    assert first.operation == "Initialized" and dict(first.source)["Rule"] == "Motion"
    (obj,) = camera.scene  # the demo walker; the rule watches the right half of the picture
    x = world.position(obj, time.time())[0]
    if abs(x) > 0.3:  # not near the edge of the watched half, where the delays apply
        assert dict(first.data) == {"IsMotion": "true" if x > 0 else "false"}


async def test_the_audio_camera_detects_sounds(cams):
    camera = cams["audio-cam"]
    camera.sound_period = 0.1
    sub = camera.runtime.events.subscribe(["tns1:AudioAnalytics"], 60)
    camera.runtime.scene.start()
    await asyncio.sleep(0.3)
    assert dict(sub.queue[0].data)["isSoundDetected"] == "true"
