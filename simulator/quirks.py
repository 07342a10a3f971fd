"""Per-camera quirks that imitate how real cameras fail (see Quirks in camera.py)."""

from __future__ import annotations

import base64
import re

from simulator.camera import Camera

# A valid 16x16 grey baseline JPEG (what GET /snapshot/<profile> returns until RTSP media exists).
SNAPSHOT_JPEG = base64.b64decode(
    "/9j//gAQTGF2YzYyLjI4LjEwMgD/2wBDAAgEBAQEBAUFBQUFBQYGBgYGBgYGBgYGBgYHBwcICAgHBwcGBgcHCAgI"
    "CAkJCQgICAgJCQoKCgwMCwsODg4RERT/xABKAAEAAAAAAAAAAAAAAAAAAAAAAQEAAAAAAAAAAAAAAAAAAAAAEAEA"
    "AAAAAAAAAAAAAAAAAAAAEQEAAAAAAAAAAAAAAAAAAAAA/8AAEQgAEAAQAwEiAAIRAAMRAP/aAAwDAQACEQMRAD8A"
    "AA//2Q=="
)

_BOOL = re.compile(rb'([>"])(true|false)([<"])')


def mangle(camera: Camera, payload: bytes) -> bytes:
    """Apply the non-conforming-XML quirk: a UTF-8 BOM and upper-case xs:boolean values."""
    if not camera.quirks.bad_xml:
        return payload
    return b"\xef\xbb\xbf" + _BOOL.sub(lambda m: m[1] + m[2].upper() + m[3], payload)
