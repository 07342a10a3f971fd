"""The event service wrappers (cameras/onvif/events.py) against the virtual cameras."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest

from cameras.onvif import OnvifClient
from cameras.onvif import events as onvif_events
from cameras.onvif.errors import DeviceUnreachable, InvalidArgument, ProtocolError
from cameras.onvif.transport import LongPollTransport
from simulator.camera import Camera


async def connected(camera: Camera) -> OnvifClient:
    client = OnvifClient(camera.host, camera.port, "admin", "admin", timeout=15)
    await client.connect()
    return client


async def test_it_lists_the_topics_a_camera_offers(fleet: dict[str, Camera]) -> None:
    client = await connected(fleet["bullet-analytics"])
    topics = {t.topic: t for t in await onvif_events.get_event_properties(client)}
    assert "tns1:RuleEngine/LineDetector/Crossed" in topics
    assert topics["tns1:RuleEngine/FieldDetector/ObjectsInside"].is_property
    assert not topics["tns1:Media/ConfigurationChanged"].is_property


async def test_a_pull_point_delivers_renews_and_goes_away(fleet: dict[str, Camera]) -> None:
    camera = fleet["bullet-analytics"]
    client = await connected(camera)
    info = await onvif_events.create_pull_point_subscription(client, "PT60S")
    assert info.lifetime == 60
    assert len(camera.runtime.events.subscriptions) == 1

    camera.runtime.events.publish(
        "tns1:RuleEngine/LineDetector/Crossed",
        [("VideoSourceConfigurationToken", "VSC"), ("Rule", "DoorLine")],
        [("ObjectId", "7")],
    )
    result = await onvif_events.pull_messages(client, info.address, timeout=5, limit=50)
    crossed = [m for m in result.messages if m.topic.endswith("LineDetector/Crossed")]
    assert crossed, result
    message = crossed[-1]
    assert message.name == "Line crossed"
    assert message.rule == "DoorLine"
    assert message.data == {"ObjectId": "7"}
    assert message.state is None
    assert message.utc_time is not None

    renewed = await onvif_events.renew(client, info.address, "PT120S")
    assert renewed.lifetime == 120
    await onvif_events.set_synchronization_point(client, info.address)
    await onvif_events.unsubscribe(client, info.address)
    assert camera.runtime.events.subscriptions == {}
    with pytest.raises(InvalidArgument):
        await onvif_events.renew(client, info.address, "PT60S")
    with pytest.raises(InvalidArgument):  # the fault of a lost pull point, named by the client
        await onvif_events.pull_messages(client, info.address, timeout=1)


async def test_property_events_carry_their_state(fleet: dict[str, Camera]) -> None:
    camera = fleet["bullet-analytics"]
    client = await connected(camera)
    info = await onvif_events.create_pull_point_subscription(client, "PT60S")
    camera.runtime.events.publish(
        "tns1:RuleEngine/CellMotionDetector/Motion",
        [("Rule", "Published here")],  # not the demo rule, whose state the scene changes
        [("IsMotion", "false")],
        prop=True,
    )
    result = await onvif_events.pull_messages(client, info.address, timeout=5, limit=50)
    motion = [
        m
        for m in result.messages
        if m.topic == "tns1:RuleEngine/CellMotionDetector/Motion" and m.rule == "Published here"
    ]
    assert motion[-1].state is False
    assert motion[-1].property_operation in ("Initialized", "Changed")
    await onvif_events.unsubscribe(client, info.address)


async def test_subscribe_asks_the_camera_to_push(fleet: dict[str, Camera]) -> None:
    camera = fleet["ptz-dome"]
    client = await connected(camera)
    info = await onvif_events.subscribe(client, "http://127.0.0.1:9/notify", "PT30S")
    assert camera.runtime.events.subscriptions[info.address.rsplit("/", 1)[1]].consumer
    await onvif_events.unsubscribe(client, info.address)
    assert camera.runtime.events.subscriptions == {}


async def test_a_camera_refuses_a_consumer_it_cannot_reach(fleet: dict[str, Camera]) -> None:
    client = await connected(fleet["ptz-dome"])
    with pytest.raises(InvalidArgument):
        await onvif_events.subscribe(client, "http://192.0.2.1/notify", "PT30S")


def test_topics_of_the_checklist_have_names() -> None:
    assert onvif_events.topic_name("tns1:Media/ConfigurationChanged") == "Configuration changed"
    assert onvif_events.topic_name("tns1:PTZController/PTZPresets/Reached") == "PTZ preset reached"
    assert onvif_events.topic_name("tns1:VideoSource/ImageTooDark/ImagingService") == (
        "Image too dark"
    )
    assert onvif_events.topic_name("tns1:Configuration/Profile") == "Profile configuration"
    assert onvif_events.topic_name("acme:Vendor/DoorForcedOpen") == "Door forced open"


def test_relative_times_a_camera_mishandles_are_detected() -> None:
    assert onvif_events.honours_relative(60, 60)
    assert onvif_events.honours_relative(60, 59)
    assert not onvif_events.honours_relative(60, None)
    assert not onvif_events.honours_relative(60, 86400)  # ignored: a day
    assert not onvif_events.honours_relative(60, -1.7e9)  # read as an absolute 1970 time
    stamp = onvif_events.termination(60, relative=False, clock_offset=600)
    moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert 640 <= (moment - datetime.now(UTC)).total_seconds() <= 662
    assert onvif_events.termination(60, relative=True, clock_offset=600) == "PT60S"


NOTIFY = b"""<?xml version="1.0"?>
<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"
  xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:tt="http://www.onvif.org/ver10/schema">
 <s:Body><wsnt:Notify><wsnt:NotificationMessage>
  <wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"
   xmlns:on="http://www.onvif.org/ver10/topics">on:VideoSource/MotionAlarm</wsnt:Topic>
  <wsnt:Message><tt:Message UtcTime="2026-01-02T03:04:05.250Z" PropertyOperation="Changed">
   <tt:Source><tt:SimpleItem Name="Source" Value="VideoSource_1"/></tt:Source>
   <tt:Data><tt:SimpleItem Name="State" Value="true"/></tt:Data>
  </tt:Message></wsnt:Message>
 </wsnt:NotificationMessage></wsnt:Notify></s:Body></s:Envelope>"""


def test_a_pushed_notify_is_parsed_whatever_the_topic_prefix() -> None:
    (message,) = onvif_events.parse_notify(NOTIFY)
    assert message.topic == "tns1:VideoSource/MotionAlarm"
    assert message.name == "Motion alarm"
    assert message.state is True
    assert message.source == {"Source": "VideoSource_1"}
    assert message.utc_time == datetime(2026, 1, 2, 3, 4, 5, 250000, tzinfo=UTC)


def test_a_notify_that_is_not_xml_is_refused() -> None:
    with pytest.raises(ProtocolError):
        onvif_events.parse_notify(b"<not-closed")
    with pytest.raises(ProtocolError):
        onvif_events.parse_notify(b"<a/>")


async def test_the_long_poll_transport_pulls_with_digest_and_names_a_dead_camera(
    fleet: dict[str, Camera],
) -> None:
    camera = fleet["bullet-analytics"]
    camera.quirks.digest_only = True  # the aiohttp path must answer the 401 challenge
    client = OnvifClient(camera.host, camera.port, "admin", "admin", timeout=15)
    client.transport = LongPollTransport("admin", "admin", timeout=15)
    try:
        await client.connect()
        info = await onvif_events.create_pull_point_subscription(client, "PT60S")
        camera.runtime.events.publish(
            "tns1:RuleEngine/LineDetector/Crossed",
            [("VideoSourceConfigurationToken", "VSC"), ("Rule", "DoorLine")],
            [("ObjectId", "8")],
        )
        result = await onvif_events.pull_messages(client, info.address, timeout=5, limit=50)
        assert any(m.data == {"ObjectId": "8"} for m in result.messages)
        await onvif_events.unsubscribe(client, info.address)
    finally:
        await client.transport.aclose()
    port = closed_port()  # a camera that went away
    gone = OnvifClient("127.0.0.1", port, "admin", "admin", timeout=5)
    gone.transport = LongPollTransport("admin", "admin", timeout=5)
    try:
        with pytest.raises(DeviceUnreachable, match="Cannot connect"):
            await onvif_events.pull_messages(gone, f"http://127.0.0.1:{port}/onvif/pull", 1)
    finally:
        await gone.transport.aclose()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
