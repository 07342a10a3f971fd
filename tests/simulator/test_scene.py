"""The synthetic scene: analytics rule events derived from moving objects."""

import asyncio

from simulator.camera import AnalyticsItem, SceneObject
from simulator.scene import crosses, inside, leg_events, points

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
    obj = SceneObject(1, [-1.0, 0.0], [1.0, 0.0])
    events = [
        (round(f, 2), kind, value)
        for f, kind, _, value in leg_events(obj, obj.start, obj.end, [line, field])
    ]
    assert events == [(0.5, "line", True), (0.75, "field", True)]


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
    sub = cams["bullet-analytics"].runtime.events.subscribe(
        ["tns1:RuleEngine/CellMotionDetector"], 60
    )
    assert [(m.operation, dict(m.data)) for m in sub.queue] == [
        ("Initialized", {"IsMotion": "true"})
    ]


async def test_the_audio_camera_detects_sounds(cams):
    camera = cams["audio-cam"]
    camera.sound_period = 0.1
    sub = camera.runtime.events.subscribe(["tns1:AudioAnalytics"], 60)
    camera.runtime.scene.start()
    await asyncio.sleep(0.3)
    assert dict(sub.queue[0].data)["isSoundDetected"] == "true"
