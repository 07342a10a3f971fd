"""The ONVIF audio back channel (clause 10.4): G.711 audio the client sends to an audio output."""

from __future__ import annotations

import struct
from collections import deque

import numpy as np

MAX_SECONDS = 10.0


def rtp_payload(packet: bytes) -> tuple[int, bytes] | None:
    """(payload type, payload) of an RTP packet, or None if it is not one."""
    if len(packet) < 12 or packet[0] >> 6 != 2:
        return None
    cc, ext, pt = packet[0] & 0x0F, packet[0] & 0x10, packet[1] & 0x7F
    pos = 12 + 4 * cc
    if ext and len(packet) >= pos + 4:
        pos += 4 + 4 * struct.unpack_from(">H", packet, pos + 2)[0]
    end = len(packet) - (packet[-1] if packet[0] & 0x20 else 0)
    return (pt, packet[pos:end]) if pos <= end else None


def ulaw_decode(data: bytes) -> np.ndarray:
    u = ~np.frombuffer(data, np.uint8)
    exp, mant = (u >> 4) & 7, (u & 0x0F).astype(np.int32)
    mag = (((mant << 3) + 0x84) << exp) - 0x84
    return np.where(u & 0x80, -mag, mag).astype(np.int16)


def alaw_decode(data: bytes) -> np.ndarray:
    a = np.frombuffer(data, np.uint8) ^ 0x55
    exp, mant = (a >> 4) & 7, (a & 0x0F).astype(np.int32)
    mag = np.where(exp == 0, (mant << 4) + 8, ((mant << 4) + 0x108) << np.maximum(exp - 1, 0))
    return np.where(a & 0x80, mag, -mag).astype(np.int16)


class BackchannelSink:
    """What one audio output received: counters and the last seconds of decoded samples."""

    def __init__(self, output: str) -> None:
        self.output = output
        self.packets = 0
        self.octets = 0
        self.payload_type: int | None = None
        self.chunks: deque[np.ndarray] = deque()
        self.samples = 0

    def receive(self, packet: bytes) -> None:
        parsed = rtp_payload(packet)
        if parsed is None:
            return
        pt, payload = parsed
        if pt not in (0, 8):
            return
        pcm = ulaw_decode(payload) if pt == 0 else alaw_decode(payload)
        self.packets += 1
        self.octets += len(payload)
        self.payload_type = pt
        self.chunks.append(pcm)
        self.samples += pcm.size
        while self.samples > MAX_SECONDS * 8000 and len(self.chunks) > 1:
            self.samples -= self.chunks.popleft().size

    def audio(self) -> np.ndarray:
        """The last (up to) ten seconds received, 8 kHz signed 16-bit mono."""
        return np.concatenate(list(self.chunks)) if self.chunks else np.zeros(0, np.int16)
