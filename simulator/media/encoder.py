"""Video encoding: render the scene and encode it as the video encoder configuration says.

H.264 (libx264) and H.265 (libx265) use zero-latency settings with no B-frames, a fixed GOP of
``gov`` frames, parameter sets repeated in-band before every key frame, and forced key frames
turned into IDRs (SetSynchronizationPoint, new viewers). JPEG uses FFmpeg's mjpeg encoder with the
standard Huffman tables and both quantisation tables written, as RFC 2435 needs.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import av

from simulator.camera import Camera, Configuration, VideoSource
from simulator.media.render import Renderer
from simulator.media.rtp_h264 import H264Packetizer
from simulator.media.rtp_h265 import H265Packetizer
from simulator.media.rtp_jpeg import JpegPacketizer
from simulator.media.scene import Panorama
from simulator.media.stream import Source, Unit

log = logging.getLogger(__name__)
X264_PROFILES = {"Baseline": "baseline", "Main": "main", "Extended": "main", "High": "high"}


@dataclass(frozen=True)
class VideoParams:
    encoding: str
    width: int
    height: int
    fps: float
    bitrate: int  # kbit/s
    gov: int
    profile: str
    quality: float

    @classmethod
    def of(cls, cfg: Configuration) -> VideoParams:
        encoding = "JPEG" if cfg.encoding.upper() in ("JPEG", "MJPEG") else cfg.encoding.upper()
        encoding = "H264" if encoding not in ("H264", "H265", "JPEG") else encoding
        return cls(
            encoding,
            max(16, cfg.width) // 2 * 2,
            max(16, cfg.height) // 2 * 2,
            cfg.fps if cfg.fps > 0 else 25.0,
            max(cfg.bitrate, 64),
            max(cfg.gov, 1),
            cfg.profile,
            cfg.quality,
        )


def packetizer_for(encoding: str):
    return {"H264": H264Packetizer, "H265": H265Packetizer, "JPEG": JpegPacketizer}[encoding]()


def open_encoder(p: VideoParams) -> av.VideoCodecContext:
    rate = Fraction(p.fps).limit_denominator(1001)
    kbps = p.bitrate
    if p.encoding == "JPEG":
        ctx = av.CodecContext.create("mjpeg", "w")
        ctx.pix_fmt = "yuvj420p"
        ctx.options = {"huffman": "default", "force_duplicated_matrix": "1"}
        q = int(max(2, min(31, 31 - p.quality * 2.9)))  # ONVIF quality: higher is better
        ctx.qmin = ctx.qmax = q
    elif p.encoding == "H265":
        ctx = av.CodecContext.create("libx265", "w")
        ctx.pix_fmt = "yuv420p"
        ctx.options = {
            "preset": "ultrafast",
            "tune": "zerolatency",
            "forced-idr": "1",
            "x265-params": f"keyint={p.gov}:min-keyint={p.gov}:scenecut=0:repeat-headers=1:"
            f"bframes=0:vbv-maxrate={kbps}:vbv-bufsize={kbps}:log-level=error",
        }
    else:
        ctx = av.CodecContext.create("libx264", "w")
        ctx.pix_fmt = "yuv420p"
        ctx.options = {
            "preset": "superfast",
            "tune": "zerolatency",
            "forced-idr": "1",
            "profile": X264_PROFILES.get(p.profile, "main"),
            "x264-params": f"keyint={p.gov}:min-keyint={p.gov}:scenecut=0:repeat-headers=1:"
            f"bframes=0:vbv-maxrate={kbps}:vbv-bufsize={kbps}",
        }
    ctx.width, ctx.height = p.width, p.height
    ctx.time_base = 1 / rate
    ctx.framerate = rate
    ctx.gop_size = p.gov
    ctx.bit_rate = kbps * 1000
    ctx.max_b_frames = 0
    if p.encoding != "JPEG":
        ctx.thread_count = 1
    return ctx


def encode_frame(ctx, buf, pts: int, key: bool, encoding: str) -> list[bytes]:
    frame = av.VideoFrame.from_ndarray(buf, format="yuvj420p" if encoding == "JPEG" else "yuv420p")
    frame.pts = pts
    if key:
        frame.pict_type = av.video.frame.PictureType.I
    return [bytes(p) for p in ctx.encode(frame)]


def probe(p: VideoParams, renderer: Renderer):
    """A packetiser primed with the parameter sets these settings produce (for the SDP)."""
    ctx = open_encoder(p)
    pk = packetizer_for(p.encoding)
    for data in encode_frame(ctx, renderer.render(p.width, p.height), 0, True, p.encoding):
        pk.packetize(data)
    return pk


class VideoStream(Source):
    """Renders and encodes one (video source, video encoder configuration) pair."""

    kind = "video"

    def __init__(
        self, camera: Camera, source: VideoSource, cfg: Configuration, pano: Callable[[], Panorama]
    ) -> None:
        super().__init__(f"{camera.name}/{source.token}/{cfg.token}")
        self.camera, self.cfg = camera, cfg
        self.renderer = Renderer(camera, source, pano)
        self.packetizer = None
        self.params: VideoParams | None = None
        self.frames = 0
        self._probes: dict[VideoParams, object] = {}
        self._probe_lock = threading.Lock()

    def current_params(self) -> VideoParams:
        return VideoParams.of(self.cfg)

    def describe(self):
        """(params, packetiser with parameter sets) for an SDP; blocking (run it in a thread)."""
        p = self.current_params()
        if p == self.params and self.packetizer is not None and self.packetizer.ready:
            return p, self.packetizer
        with self._probe_lock:
            if p not in self._probes:  # its own renderer: the worker thread uses the other one
                renderer = Renderer(self.camera, self.renderer.source, self.renderer.panorama)
                self._probes[p] = probe(p, renderer)
        return p, self._probes[p]

    def run(self, stop: threading.Event) -> None:
        ctx = None
        pts, next_t = 0, time.monotonic()
        while not stop.is_set():
            p = self.current_params()
            if p != self.params or ctx is None:
                ctx, self.params = open_encoder(p), p
                self.packetizer, pts = packetizer_for(p.encoding), 0
                self.key_request.set()
            now = time.monotonic()
            if now < next_t:
                stop.wait(next_t - now)
                continue
            next_t = max(next_t + 1.0 / p.fps, now)
            utc, mono = time.time(), time.monotonic()
            key = self.key_request.is_set()
            self.key_request.clear()
            try:
                buf = self.renderer.render(p.width, p.height, utc)
                for data in encode_frame(ctx, buf, pts, key, p.encoding):
                    payloads, is_key = self.packetizer.packetize(data)
                    self.emit(Unit(mono, payloads, is_key, utc))
            except Exception:  # the camera state changed under our feet: start over
                log.exception("%s: frame failed", self.name)
                ctx = None
                stop.wait(0.1)
                continue
            pts += 1
            self.frames += 1
