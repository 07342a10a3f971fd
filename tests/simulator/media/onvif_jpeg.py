"""A test-side RTP/JPEG depacketiser following the decoder rules of clause 10.2.4 (ONVIF JPEG
header extension), used to check what the simulator sends."""

from __future__ import annotations

import struct
from fractions import Fraction

import av
import numpy as np

from .clients import rtp_header

SOS_3 = bytes.fromhex("ffda000c03010002110311003f00")


def standard_dht() -> bytes:
    """The RFC 2435 (JPEG Annex K) Huffman tables, as FFmpeg writes them with huffman=default."""
    ctx = av.CodecContext.create("mjpeg", "w")
    ctx.width, ctx.height, ctx.pix_fmt, ctx.time_base = 16, 16, "yuvj420p", Fraction(1, 25)
    ctx.options = {"huffman": "default"}
    frame = av.VideoFrame.from_ndarray(np.zeros((24, 16), np.uint8), format="yuvj420p")
    jpeg = b"".join(bytes(p) for p in ctx.encode(frame)) + b"".join(
        bytes(p) for p in ctx.encode(None)
    )
    out, pos = b"", 2
    while pos < len(jpeg):
        marker, length = jpeg[pos + 1], struct.unpack_from(">H", jpeg, pos + 2)[0]
        if marker == 0xC4:
            out += jpeg[pos : pos + 2 + length]
        if marker == 0xDA:
            break
        pos += 2 + length
    return out


def sof0(width: int, height: int, kind: int) -> bytes:
    y = 0x22 if kind & 0x3F == 1 else 0x21
    return (
        bytes.fromhex("ffc00011 08")
        + struct.pack(">HH", height, width)
        + bytes([3, 1, y, 0, 2, 0x11, 1, 3, 0x11, 1])
    )


def reassemble(packets: list[bytes], dht: bytes) -> tuple[bytes, dict]:
    """One frame's RTP packets (in order) -> a JPEG file, and what was seen on the way."""
    extension, scan, tables, info = b"", b"", b"", {"extensions": []}
    width = height = kind = restart = 0
    for i, packet in enumerate(packets):
        _, marker, _, _, _, ext, payload = rtp_header(packet)
        if ext:
            profile, words = struct.unpack_from(">HH", ext)
            info["extensions"].append((i, profile))
            extension += ext[4 : 4 + 4 * words]
        offset = int.from_bytes(payload[1:4], "big")
        kind, q, w8, h8 = payload[4:8]
        pos = 8
        if kind >= 64:
            restart = struct.unpack_from(">H", payload, pos)[0]
            pos += 4
        if offset == 0 and q >= 128:
            length = struct.unpack_from(">H", payload, pos + 2)[0]
            tables = payload[pos + 4 : pos + 4 + length]
            pos += 4 + length
        if offset == 0:
            width, height = w8 * 8, h8 * 8
        assert offset == len(scan), (offset, len(scan))
        scan += payload[pos:]
        info["marker_last"] = marker and i == len(packets) - 1
    info["header_size"] = (width, height)
    dqt = b"".join(
        b"\xff\xdb" + struct.pack(">H", 67) + bytes([n]) + tables[64 * n : 64 * n + 64]
        for n in range(len(tables) // 64)
    )
    sof_at = extension.find(b"\xff\xc0")
    if sof_at >= 0:
        length = struct.unpack_from(">H", extension, sof_at + 2)[0]
        sof = extension[sof_at : sof_at + 2 + length]
    else:
        sof = sof0(width, height, kind)
    dri = b"\xff\xdd\x00\x04" + struct.pack(">H", restart) if restart else b""
    return b"\xff\xd8" + dqt + sof + dht + dri + SOS_3 + scan + b"\xff\xd9", info


def decode(jpeg: bytes) -> np.ndarray:
    ctx = av.CodecContext.create("mjpeg", "r")
    frames = ctx.decode(av.Packet(jpeg))
    return frames[0].to_ndarray(format="gray")
