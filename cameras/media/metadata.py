"""The camera's metadata stream (tt:MetadataStream) as small JSON messages for overlays."""

from __future__ import annotations

from collections import deque
from typing import Any

from lxml import etree

TT = "{http://www.onvif.org/ver10/schema}"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def objects_of(document: bytes) -> dict[str, Any] | None:
    """{"time": ..., "objects": [{"id", "class", "box": [left, top, right, bottom]}]} in the
    standard's coordinates (-1..1, y up), or None when the document has no frame."""
    try:
        root = etree.fromstring(document, PARSER)
    except etree.XMLSyntaxError:
        return None
    frame = root.find(f"{TT}VideoAnalytics/{TT}Frame")
    if frame is None:
        return None
    objects = []
    for obj in frame.iterfind(f"{TT}Object"):
        box = obj.find(f"{TT}Appearance/{TT}Shape/{TT}BoundingBox")
        coords = (
            [_float(box.get(k)) for k in ("left", "top", "right", "bottom")]
            if box is not None
            else []
        )
        if len(coords) != 4 or None in coords:
            continue
        kind = obj.findtext(f"{TT}Appearance/{TT}Class/{TT}Type") or ""
        objects.append({"id": obj.get("ObjectId", ""), "class": kind.strip(), "box": coords})
    return {"time": frame.get("UtcTime", ""), "objects": objects}


class MetadataPacer:
    """Holds each metadata document until the video reaches its time, so the gateway sends
    the boxes of a frame with that frame rather than ahead of it (a camera describes a frame
    before it has finished encoding it).

    Times are the packets' presentation times in seconds; FFmpeg's RTSP reader puts every
    stream of a session on one clock from the camera's RTCP sender reports. A camera whose
    streams share no clock would hold documents for ever: none is held longer than `hold`
    seconds of wall-clock time, nor when its time is far from the video's."""

    def __init__(self, hold: float = 0.5, apart: float = 5.0) -> None:
        self.hold, self.apart = hold, apart
        self.pending: deque[tuple[float, float, bytes]] = deque()  # (time, received, document)

    def add(self, at: float, document: bytes, now: float) -> list[bytes]:
        """Queue a document; what is due (held too long) comes back at once."""
        self.pending.append((at, now, document))
        return self._release(None, now)

    def video(self, at: float, now: float) -> list[bytes]:
        """The video reached `at`: the documents of that time and before are due."""
        return self._release(at, now)

    def _release(self, video: float | None, now: float) -> list[bytes]:
        due = []
        while self.pending:
            at, received, document = self.pending[0]
            reached = video is not None and (at <= video + 0.001 or at - video > self.apart)
            if not (reached or now - received >= self.hold):
                break
            due.append(document)
            self.pending.popleft()
        return due
