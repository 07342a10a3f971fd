"""JPEG over RTP (RFC 2435) with the ONVIF JPEG header extension (clause 10.2.4).

The RTP/JPEG header can only describe pictures up to 2040 x 2040 pixels (width and height are
sent in units of 8 pixels in one byte each). Larger pictures send width = height = 0 and carry
the JPEG SOF0 marker segment in the ONVIF header extension of the first packet of each frame
(extension profile 0xFFD8; 0xFFFF would mark the other packets, which carry none here).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from simulator.media.rtp_h264 import MTU_PAYLOAD, Payload

MAX_DIMENSION = 2040
SOF0, DHT, DQT, DRI, SOS, EOI = 0xC0, 0xC4, 0xDB, 0xDD, 0xDA, 0xD9


class JpegError(ValueError):
    pass


@dataclass
class JpegParts:
    width: int
    height: int
    type: int  # RFC 2435 type: 0 = 4:2:2, 1 = 4:2:0 (+64 with restart markers)
    tables: bytes  # quantisation tables, 64 bytes each, zigzag order as in DQT
    sof: bytes  # the SOF0 marker segment, marker included
    restart: int
    scan: bytes


def parse(jpeg: bytes) -> JpegParts:
    """Split a baseline JFIF picture (as FFmpeg's mjpeg encoder writes it) into RTP/JPEG parts."""
    if jpeg[:2] != b"\xff\xd8":
        raise JpegError("not a JPEG")
    pos, tables, sof, restart = 2, {}, b"", 0
    width = height = kind = 0
    while pos + 4 <= len(jpeg):
        if jpeg[pos] != 0xFF:
            raise JpegError(f"bad marker at {pos}")
        marker = jpeg[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        (length,) = struct.unpack_from(">H", jpeg, pos + 2)
        seg = jpeg[pos + 4 : pos + 2 + length]
        if marker == DQT:
            i = 0
            while i < len(seg):
                if seg[i] >> 4:
                    raise JpegError("16-bit quantisation tables are not supported")
                tables[seg[i] & 0x0F] = seg[i + 1 : i + 65]
                i += 65
        elif marker == SOF0:
            height, width = struct.unpack_from(">HH", seg, 1)
            sampling = seg[7]
            kind = {0x21: 0, 0x22: 1}.get(sampling, -1)
            if seg[5] != 3 or kind < 0:
                raise JpegError("only YCbCr 4:2:0 and 4:2:2 are supported")
            sof = jpeg[pos : pos + 2 + length]
        elif marker == DRI:
            (restart,) = struct.unpack_from(">H", seg)
        elif marker == SOS:
            end = len(jpeg) - 2 if jpeg[-2:] == b"\xff\xd9" else len(jpeg)
            scan = jpeg[pos + 2 + length : end]
            tables.setdefault(1, tables.get(0, b""))  # one table for all components
            qt = tables.get(0, b"") + tables[1]
            return JpegParts(width, height, kind + (64 if restart else 0), qt, sof, restart, scan)
        pos += 2 + length
    raise JpegError("no SOS marker")


def extension(sof: bytes) -> bytes:
    """ONVIF header extension of a first packet: 0xFFD8, length in words, 0xFF fill, SOF0."""
    pad = (-len(sof)) % 4
    body = b"\xff" * pad + sof
    return struct.pack(">HH", 0xFFD8, len(body) // 4) + body


def needs_extension(width: int, height: int) -> bool:
    return width > MAX_DIMENSION or height > MAX_DIMENSION


class JpegPacketizer:
    clock_rate = 90000
    encoding = "JPEG"
    ready = True

    def __init__(self) -> None:
        self.size = (0, 0)

    def packetize(self, jpeg: bytes, mtu: int = MTU_PAYLOAD) -> tuple[list[Payload], bool]:
        p = parse(jpeg)
        self.size = (p.width, p.height)
        big = needs_extension(p.width, p.height)
        w8, h8 = (0, 0) if big else ((p.width + 7) // 8, (p.height + 7) // 8)
        restart_hdr = struct.pack(">HH", p.restart, 0xFFFF) if p.restart else b""
        out: list[Payload] = []
        offset = 0
        while offset < len(p.scan) or not out:
            header = struct.pack(">I", offset)[1:]
            main = b"\x00" + header + bytes([p.type, 255, w8, h8]) + restart_hdr
            if offset == 0:
                main += struct.pack(">BBH", 0, 0, len(p.tables)) + p.tables
            chunk = p.scan[offset : offset + mtu - len(main)]
            ext = extension(p.sof) if big and offset == 0 else None
            offset += len(chunk)
            out.append((main + chunk, offset >= len(p.scan), ext))
        return out, True

    def fmtp(self, pt: int) -> str:
        w, h = self.size
        return f"a=x-dimensions:{w},{h}" if w and h else ""
