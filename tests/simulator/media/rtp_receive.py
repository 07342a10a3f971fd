"""Test-side receivers: collect RTP over TCP interleaved, rebuild H.264/H.265 access units."""

from __future__ import annotations

import struct

from .clients import RtspClient, rtp_header

NTP_EPOCH = 2208988800


class Collected:
    def __init__(self) -> None:
        self.rtp: dict[int, list[bytes]] = {}
        self.reports: dict[int, list[tuple[float, int]]] = {}  # channel -> (wall time, rtp ts)

    def add(self, channel: int, packet: bytes) -> None:
        if channel % 2:
            if len(packet) >= 28 and packet[1] == 200:
                msw, lsw, ts = struct.unpack_from(">III", packet, 8)
                self.reports.setdefault(channel - 1, []).append((msw - NTP_EPOCH + lsw / 2**32, ts))
        else:
            self.rtp.setdefault(channel, []).append(packet)

    def wall(self, channel: int, ts: int, clock: int) -> float:
        """Wall-clock time of an RTP timestamp, from the first sender report of the channel."""
        utc, sr_ts = self.reports[channel][0]
        delta = (ts - sr_ts + (1 << 31)) % (1 << 32) - (1 << 31)
        return utc + delta / clock


async def collect(client: RtspClient, seconds_of: int, count: int) -> Collected:
    out = Collected()
    for channel, packet in await client.read_interleaved(count, timeout=seconds_of):
        out.add(channel, packet)
    return out


def access_units(packets: list[bytes], hevc: bool = False) -> list[tuple[int, list[bytes]]]:
    """(RTP timestamp, NAL units) per access unit, de-fragmenting FU-A (28) / HEVC FU (49)."""
    units, nals, fu = [], [], b""
    for packet in packets:
        _, marker, _, ts, _, _, payload = rtp_header(packet)
        kind = (payload[0] >> 1) & 0x3F if hevc else payload[0] & 0x1F
        if kind == (49 if hevc else 28):
            head = payload[2] if hevc else payload[1]
            body = payload[3:] if hevc else payload[2:]
            if head & 0x80:
                if hevc:
                    fu = bytes([(payload[0] & 0x81) | ((head & 0x3F) << 1), payload[1]]) + body
                else:
                    fu = bytes([(payload[0] & 0xE0) | (head & 0x1F)]) + body
            else:
                fu += body
            if head & 0x40:
                nals.append(fu)
        else:
            nals.append(payload)
        if marker:
            units.append((ts, nals))
            nals = []
    return units


def annexb(nals: list[bytes]) -> bytes:
    return b"".join(b"\x00\x00\x00\x01" + n for n in nals)
