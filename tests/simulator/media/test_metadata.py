"""The metadata stream: scene description of the synthetic objects and analytics rule events."""

from __future__ import annotations

import time
from datetime import datetime

from lxml import etree

from simulator import config
from simulator.media import scene
from simulator.media.metadata import MetadataStream
from simulator.runtime import Runtime

from . import clients

NS = {"tt": "http://www.onvif.org/ver10/schema", "wsnt": "http://docs.oasis-open.org/wsn/b-2"}


def bullet():
    """The demo's analytics camera: a DoorLine at x = 0, a Lobby field, object 1 walking y = 0."""
    camera = next(c for c in config.load(base_port=0) if c.name == "bullet-analytics")
    Runtime(camera)
    vs = camera.video_sources[0]
    cfg = camera.configs("Metadata")[0]
    return MetadataStream(camera, vs, cfg, lambda: scene.panorama("test", 1280, 720))


def test_it_describes_objects_in_view_coordinates():
    meta = bullet()
    doc = etree.fromstring(meta.document(4.0).encode())  # object 1 at the centre at t = 4 s
    frame = doc.find("tt:VideoAnalytics/tt:Frame", NS)
    assert frame.get("UtcTime") == "1970-01-01T00:00:04.000Z"
    (obj,) = frame.findall("tt:Object", NS)
    assert obj.get("ObjectId") == "1"
    box = obj.find("tt:Appearance/tt:Shape/tt:BoundingBox", NS)
    left, top, right, bottom = (float(box.get(k)) for k in ("left", "top", "right", "bottom"))
    assert abs(left + 0.035) < 1e-3 and abs(right - 0.035) < 1e-3 and top > 0 > bottom
    assert obj.find("tt:Appearance/tt:Class/tt:Type", NS).text == "Human"


def test_it_fires_line_crossing_and_field_events():
    meta = bullet()
    meta.document(3.9)
    doc = etree.fromstring(meta.document(4.1).encode())  # object 1 crosses x = 0 at t = 4 s
    topics = [t.text for t in doc.iterfind("tt:Event/wsnt:NotificationMessage/wsnt:Topic", NS)]
    assert topics == ["tns1:RuleEngine/LineDetector/Crossed"]
    data = doc.find(".//tt:Message/tt:Data/tt:SimpleItem", NS)
    assert (data.get("Name"), data.get("Value")) == ("ObjectId", "1")
    meta.document(6.9)  # x = 0.575: inside the Lobby field (0.3 .. 0.9)
    events = etree.fromstring(meta.document(7.0).encode()).findall(".//tt:Message", NS)
    assert events == []  # no change, no event
    doc = etree.fromstring(meta.document(11.0).encode())  # back at x = 0.2: it left the field
    (msg,) = doc.findall(".//tt:Message", NS)
    assert msg.get("PropertyOperation") == "Changed"
    assert msg.find("tt:Data/tt:SimpleItem", NS).get("Value") == "false"


async def test_it_streams_metadata_documents_with_marker_bits(open_media):
    async with clients.RtspClient(open_media.port, user=None) as c:
        await c.play_tcp("meta")
        packets = [p for ch, p in await c.read_interleaved(12) if ch == 0]
    docs, current = [], b""
    for packet in packets:
        pt, marker, *_, payload = clients.rtp_header(packet)
        assert pt == 107
        current += payload
        if marker:
            docs.append(current)
            current = b""
    assert len(docs) >= 2
    doc = etree.fromstring(docs[-1])
    assert etree.QName(doc).localname == "MetadataStream"
    frame = doc.find("tt:VideoAnalytics/tt:Frame", NS)
    utc = datetime.fromisoformat(frame.get("UtcTime").replace("Z", "+00:00")).timestamp()
    assert abs(utc - time.time()) < 2
    assert frame.find("tt:PTZStatus/tt:Position/tt:PanTilt", NS) is not None
    ids = {o.get("ObjectId") for o in frame.findall("tt:Object", NS)}
    assert ids and ids <= {"1", "2", "3"}  # the default scene
    classes = {t.text for t in frame.iterfind(".//tt:Class/tt:Type", NS)}
    assert classes <= {"Human", "Vehical"}
