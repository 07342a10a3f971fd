"""Metadata documents as overlay messages, and their pacing against the video."""

from __future__ import annotations

from cameras.media.metadata import MetadataPacer, objects_of

FRAME = b"""<tt:MetadataStream xmlns:tt="http://www.onvif.org/ver10/schema"><tt:VideoAnalytics>
<tt:Frame UtcTime="2026-11-24T12:00:00.040Z"><tt:Object ObjectId="3"><tt:Appearance><tt:Shape>
<tt:BoundingBox left="-0.5" top="0.4" right="-0.3" bottom="0.1"/></tt:Shape><tt:Class>
<tt:Type Likelihood="0.9">Human</tt:Type></tt:Class></tt:Appearance></tt:Object>
<tt:Object ObjectId="4"><tt:Appearance><tt:Shape><tt:BoundingBox left="x" top="0" right="1"
bottom="0"/></tt:Shape></tt:Appearance></tt:Object></tt:Frame></tt:VideoAnalytics>
</tt:MetadataStream>"""


def test_a_frame_becomes_boxes_and_what_is_not_a_box_is_left_out() -> None:
    assert objects_of(FRAME) == {
        "time": "2026-11-24T12:00:00.040Z",
        "objects": [{"id": "3", "class": "Human", "box": [-0.5, 0.4, -0.3, 0.1]}],
    }
    assert objects_of(b"<not-xml") is None
    assert objects_of(b'<tt:MetadataStream xmlns:tt="http://www.onvif.org/ver10/schema"/>') is None


def test_a_document_waits_for_the_video_of_its_time() -> None:
    pacer = MetadataPacer(hold=0.5)
    assert pacer.add(10.04, b"a", now=0.0) == []  # described before the frame is encoded
    assert pacer.add(10.08, b"b", now=0.01) == []
    assert pacer.video(10.00, now=0.02) == []
    assert pacer.video(10.04, now=0.05) == [b"a"]
    assert pacer.video(10.12, now=0.09) == [b"b"]


def test_no_document_is_held_for_ever() -> None:
    pacer = MetadataPacer(hold=0.5, apart=5.0)
    assert pacer.add(3.0, b"stalled", now=0.0) == []
    assert pacer.add(3.04, b"next", now=0.6) == [b"stalled"]  # the video stopped: let it go
    assert pacer.video(3.04, now=0.61) == [b"next"]
    assert pacer.add(100.0, b"elsewhere", now=0.7) == []
    assert pacer.video(3.08, now=0.71) == [b"elsewhere"]  # streams on no shared clock
