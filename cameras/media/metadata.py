"""The camera's metadata stream (tt:MetadataStream) as small JSON messages for overlays."""

from __future__ import annotations

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
