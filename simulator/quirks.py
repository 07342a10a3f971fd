"""Per-camera quirks that imitate how real cameras fail (see Quirks in camera.py)."""

from __future__ import annotations

import re

from simulator.camera import Camera

_BOOL = re.compile(rb'([>"])(true|false)([<"])')


def mangle(camera: Camera, payload: bytes) -> bytes:
    """Apply the non-conforming-XML quirk: a UTF-8 BOM and upper-case xs:boolean values."""
    if not camera.quirks.bad_xml:
        return payload
    return b"\xef\xbb\xbf" + _BOOL.sub(lambda m: m[1] + m[2].upper() + m[3], payload)
