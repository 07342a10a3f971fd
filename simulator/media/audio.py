"""Audio: a generated signal (440 Hz tone, 1 kHz beep on every whole UTC second) encoded as
G.711 (PCMU/PCMA, RFC 3551) or AAC (RFC 3640 mpeg4-generic, AAC-hbr)."""

from __future__ import annotations

import struct
import threading
import time
from dataclasses import dataclass

import av
import numpy as np

from simulator.camera import Camera, Configuration
from simulator.media.stream import Source, Unit

AAC_RATES = (96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000)
BEEP = 0.05  # seconds of 1 kHz at the start of each UTC second


@dataclass(frozen=True)
class AudioParams:
    encoding: str  # PCMU | PCMA | AAC
    sample_rate: int  # Hz
    bitrate: int  # kbit/s

    @classmethod
    def of(cls, cfg: Configuration) -> AudioParams:
        enc = cfg.encoding.upper()
        enc = "PCMU" if enc in ("G711", "PCMU", "") else enc
        if enc in ("PCMU", "PCMA"):
            return cls(enc, 8000, 64)
        rate = cfg.sample_rate * 1000 if cfg.sample_rate < 1000 else cfg.sample_rate
        rate = {44000: 44100, 22000: 22050, 11000: 11025}.get(rate, rate)
        rate = rate if rate in AAC_RATES else 16000
        return cls("AAC", rate, max(cfg.bitrate, 16))

    @property
    def payload_type(self) -> int:
        return {"PCMU": 0, "PCMA": 8}.get(self.encoding, 97)

    @property
    def block(self) -> int:
        """Samples per RTP packet."""
        return 1024 if self.encoding == "AAC" else self.sample_rate // 50

    def rtpmap(self) -> str:
        if self.encoding == "AAC":
            return f"a=rtpmap:97 MPEG4-GENERIC/{self.sample_rate}/1"
        return f"a=rtpmap:{self.payload_type} {self.encoding}/8000"

    def fmtp(self) -> str:
        if self.encoding != "AAC":
            return ""
        asc = (2 << 11) | (AAC_RATES.index(self.sample_rate) << 7) | (1 << 3)
        return (
            "a=fmtp:97 streamtype=5;profile-level-id=15;mode=AAC-hbr;sizelength=13;"
            f"indexlength=3;indexdeltalength=3;config={asc:04X}"
        )


def signal(utc0: float, n: int, rate: int) -> np.ndarray:
    """n samples (float32, [-1, 1]) of the test signal starting at wall-clock time utc0."""
    t = utc0 + np.arange(n) / rate
    tone = 0.25 * np.sin(2 * np.pi * 440.0 * t)
    beep = (t % 1.0) < BEEP
    tone[beep] = 0.5 * np.sin(2 * np.pi * 1000.0 * t[beep])
    return tone.astype(np.float32)


def open_encoder(p: AudioParams):
    name = {"PCMU": "pcm_mulaw", "PCMA": "pcm_alaw", "AAC": "aac"}[p.encoding]
    ctx = av.CodecContext.create(name, "w")
    ctx.sample_rate = p.sample_rate
    ctx.layout = "mono"
    ctx.format = "fltp" if p.encoding == "AAC" else "s16"
    if p.encoding == "AAC":
        ctx.bit_rate = p.bitrate * 1000
    return ctx


def encode(ctx, p: AudioParams, samples: np.ndarray, pts: int) -> list[bytes]:
    if p.encoding == "AAC":
        frame = av.AudioFrame.from_ndarray(samples[None, :], format="fltp", layout="mono")
    else:
        pcm = (samples * 32767).astype(np.int16)[None, :]
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
    frame.sample_rate, frame.pts = p.sample_rate, pts
    return [bytes(x) for x in ctx.encode(frame)]


def aac_payload(frame: bytes) -> bytes:
    """RFC 3640 AAC-hbr: AU-headers-length (16 bits), one AU-header (13-bit size, 3-bit index)."""
    return struct.pack(">HH", 16, len(frame) << 3) + frame


class AudioStream(Source):
    kind = "audio"

    def __init__(self, camera: Camera, cfg: Configuration) -> None:
        super().__init__(f"{camera.name}/{cfg.token}")
        self.cfg = cfg
        self.blocks = 0

    @property
    def params(self) -> AudioParams:
        return AudioParams.of(self.cfg)

    @property
    def clock_rate(self) -> int:  # type: ignore[override]
        return self.params.sample_rate

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            self.run_with(self.params, stop)  # returns when the configuration changes

    def run_with(self, p: AudioParams, stop: threading.Event) -> None:
        ctx = open_encoder(p)
        mono0 = round(time.monotonic() * p.sample_rate) / p.sample_rate  # on the sample grid
        utc0 = time.time() + (mono0 - time.monotonic())
        sent = 0
        pending: list[float] = []  # capture times of the blocks the encoder still holds
        while not stop.is_set():
            due = mono0 + sent / p.sample_rate
            now = time.monotonic()
            if now < due:
                stop.wait(due - now)
                continue
            if self.params != p:
                return
            pending.append(due)
            samples = signal(utc0 + sent / p.sample_rate, p.block, p.sample_rate)
            for data in encode(ctx, p, samples, sent):
                payload = aac_payload(data) if p.encoding == "AAC" else data
                self.emit(Unit(pending.pop(0), [(payload, True, None)], True, utc0 + due - mono0))
            sent += p.block
            self.blocks += 1
