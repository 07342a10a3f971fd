"""H.264 byte-stream helpers for passthrough: find NAL types, put SPS/PPS before IDRs."""

from __future__ import annotations

import re

START = re.compile(b"\x00\x00\x01")
SPS, PPS, IDR = 7, 8, 5


def nal_types(data: bytes) -> set[int]:
    """NAL unit types of an Annex-B buffer."""
    return {data[m.end()] & 0x1F for m in START.finditer(data) if m.end() < len(data)}


def annexb_parameter_sets(extradata: bytes | None) -> bytes:
    """SPS/PPS as Annex-B from a decoder's extradata (Annex-B already, or avcC)."""
    if not extradata:
        return b""
    if extradata.startswith((b"\x00\x00\x00\x01", b"\x00\x00\x01")):
        return extradata
    if extradata[0] != 1 or len(extradata) < 7:  # not avcC either
        return b""
    out, pos = bytearray(), 5
    for count_mask in (0x1F, 0xFF):  # SPS count (5 bits), then PPS count
        count = extradata[pos] & count_mask
        pos += 1
        for _ in range(count):
            size = int.from_bytes(extradata[pos : pos + 2], "big")
            out += b"\x00\x00\x00\x01" + extradata[pos + 2 : pos + 2 + size]
            pos += 2 + size
    return bytes(out)


def with_parameter_sets(data: bytes, parameter_sets: bytes) -> bytes:
    """A key frame that lacks SPS gets them prepended (Chromium needs them in-band)."""
    if parameter_sets and SPS not in nal_types(data):
        return parameter_sets + data
    return data
