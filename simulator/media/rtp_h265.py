"""H.265 over RTP (RFC 7798): single NAL unit packets and FUs, VPS/SPS/PPS in-band on IRAP."""

from __future__ import annotations

import base64

from simulator.media.rtp_h264 import Payload, fragment, split_annexb

VPS, SPS, PPS, AUD = 32, 33, 34, 35


class H265Packetizer:
    clock_rate = 90000
    encoding = "H265"

    def __init__(self) -> None:
        self.params: dict[int, bytes] = {}

    @staticmethod
    def nal_type(nal: bytes) -> int:
        return (nal[0] >> 1) & 0x3F

    def packetize(self, access_unit: bytes) -> tuple[list[Payload], bool]:
        nals = [n for n in split_annexb(access_unit) if self.nal_type(n) != AUD]
        types = [self.nal_type(n) for n in nals]
        for n, t in zip(nals, types, strict=True):
            if t in (VPS, SPS, PPS):
                self.params[t] = n
        key = any(16 <= t <= 21 for t in types)
        if key and SPS not in types and self.ready:
            nals = [self.params[VPS], self.params[SPS], self.params[PPS], *nals]
        out: list[bytes] = []
        for nal in nals:
            out += fragment(
                nal,
                2,
                lambda s, e, n=nal: bytes(
                    [
                        (n[0] & 0x81) | (49 << 1),
                        n[1],
                        (0x80 if s else 0) | (0x40 if e else 0) | self.nal_type(n),
                    ]
                ),
            )
        return [(p, i == len(out) - 1, None) for i, p in enumerate(out)], key

    def fmtp(self, pt: int) -> str:
        if not self.ready:
            return ""
        b64 = {t: base64.b64encode(self.params[t]).decode() for t in (VPS, SPS, PPS)}
        return f"a=fmtp:{pt} sprop-vps={b64[VPS]};sprop-sps={b64[SPS]};sprop-pps={b64[PPS]}"

    @property
    def ready(self) -> bool:
        return all(t in self.params for t in (VPS, SPS, PPS))
