"""H.264 over RTP (RFC 6184): single NAL unit packets and FU-A, parameter sets in-band on IDR."""

from __future__ import annotations

import base64
import re

MTU_PAYLOAD = 1400
_START = re.compile(b"\x00\x00\x01")

Payload = tuple[bytes, bool, bytes | None]  # RTP payload, marker bit, header extension


def split_annexb(data: bytes) -> list[bytes]:
    """NAL units of an Annex B byte stream (start codes and trailing zero bytes removed)."""
    nals = []
    starts = [m.end() for m in _START.finditer(data)]
    for i, s in enumerate(starts):
        end = starts[i + 1] - 3 if i + 1 < len(starts) else len(data)
        nal = data[s:end].rstrip(b"\x00")
        if nal:
            nals.append(nal)
    return nals


def fragment(nal: bytes, header_len: int, fu_header, mtu: int = MTU_PAYLOAD) -> list[bytes]:
    """Split one NAL unit into fragmentation units; ``fu_header(start, end)`` builds the headers."""
    if len(nal) <= mtu:
        return [nal]
    body, chunk = nal[header_len:], mtu - header_len - 1
    pieces = [body[i : i + chunk] for i in range(0, len(body), chunk)]
    return [fu_header(i == 0, i == len(pieces) - 1) + p for i, p in enumerate(pieces)]


class H264Packetizer:
    clock_rate = 90000
    encoding = "H264"

    def __init__(self) -> None:
        self.sps: bytes | None = None
        self.pps: bytes | None = None

    @staticmethod
    def nal_type(nal: bytes) -> int:
        return nal[0] & 0x1F

    def packetize(self, access_unit: bytes) -> tuple[list[Payload], bool]:
        """RTP payloads of one access unit, and whether it is a key frame (IDR)."""
        nals = [n for n in split_annexb(access_unit) if self.nal_type(n) != 9]  # drop AUDs
        types = [self.nal_type(n) for n in nals]
        for n, t in zip(nals, types, strict=True):
            if t == 7:
                self.sps = n
            elif t == 8:
                self.pps = n
        key = 5 in types
        if key and 7 not in types and self.sps and self.pps:
            nals = [self.sps, self.pps, *nals]
        out: list[bytes] = []
        for nal in nals:
            out += fragment(
                nal,
                1,
                lambda s, e, n=nal: bytes(
                    [(n[0] & 0xE0) | 28, (0x80 if s else 0) | (0x40 if e else 0) | (n[0] & 0x1F)]
                ),
            )
        return [(p, i == len(out) - 1, None) for i, p in enumerate(out)], key

    def fmtp(self, pt: int) -> str:
        parts = ["packetization-mode=1"]
        if self.sps and self.pps:
            parts.append(f"profile-level-id={self.sps[1:4].hex().upper()}")
            sprop = b",".join(base64.b64encode(x) for x in (self.sps, self.pps)).decode()
            parts.append(f"sprop-parameter-sets={sprop}")
        return f"a=fmtp:{pt} " + ";".join(parts)

    @property
    def ready(self) -> bool:
        return bool(self.sps and self.pps)
