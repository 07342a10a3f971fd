"""H.265 cameras for browsers that only decode H.264: decode once, encode H.264 once per
stream (libx264, ultrafast, zero latency, 2 s GOP), whatever the number of viewers."""

from __future__ import annotations

from fractions import Fraction

import av

TIME_BASE = Fraction(1, 90000)


class H264Transcoder:
    def __init__(self, stream: av.video.stream.VideoStream) -> None:
        self.decoder = stream.codec_context
        self.encoder: av.video.codeccontext.VideoCodecContext | None = None
        self.rate = float(stream.average_rate or stream.guessed_rate or 25)

    def _open(self, frame: av.VideoFrame) -> av.video.codeccontext.VideoCodecContext:
        encoder = av.CodecContext.create("libx264", "w")
        encoder.width, encoder.height = frame.width, frame.height
        encoder.pix_fmt = "yuv420p"
        encoder.time_base = TIME_BASE
        encoder.framerate = Fraction(self.rate).limit_denominator(1000)
        encoder.gop_size = int(self.rate * 2)
        encoder.options = {"preset": "ultrafast", "tune": "zerolatency", "profile": "baseline"}
        encoder.bit_rate = max(500_000, frame.width * frame.height * 2)
        encoder.open()
        return encoder

    def feed(self, packet: av.Packet) -> list[av.Packet]:
        """H.264 packets (Annex-B, parameter sets in-band) for one camera packet."""
        out: list[av.Packet] = []
        for frame in self.decoder.decode(packet):
            if self.encoder is None:
                self.encoder = self._open(frame)
            frame.pts = (
                int(packet.pts * packet.time_base / TIME_BASE) if packet.pts is not None else None
            )
            frame.time_base = TIME_BASE
            frame.pict_type = av.video.frame.PictureType.NONE
            out.extend(self.encoder.encode(frame.reformat(format="yuv420p")))
        return out
