"""Camera audio for WebRTC: G.711 passes through; anything else (AAC) becomes Opus, once per
stream rather than once per viewer."""

from __future__ import annotations

from fractions import Fraction

import av

PASSTHROUGH = {"pcm_mulaw": "audio/PCMU", "pcm_alaw": "audio/PCMA"}
OPUS = "audio/opus"
OPUS_RATE = 48000


def webrtc_codec(ffmpeg_name: str | None) -> str | None:
    """The WebRTC codec a camera audio codec is sent as (None: no audio)."""
    if ffmpeg_name is None:
        return None
    return PASSTHROUGH.get(ffmpeg_name, OPUS)


class OpusTranscoder:
    """Decode the camera's audio, resample to 48 kHz stereo and encode Opus (20 ms packets)."""

    def __init__(self, stream: av.audio.stream.AudioStream) -> None:
        self.decoder = stream.codec_context
        self.resampler = av.AudioResampler(
            format="s16", layout="stereo", rate=OPUS_RATE, frame_size=960
        )
        self.encoder = av.CodecContext.create("libopus", "w")
        self.encoder.sample_rate = OPUS_RATE
        self.encoder.layout = "stereo"
        self.encoder.format = "s16"
        self.encoder.time_base = Fraction(1, OPUS_RATE)
        self.encoder.bit_rate = 32000
        self.pts = 0

    def feed(self, packet: av.Packet) -> list[av.Packet]:
        encoded: list[av.Packet] = []
        for frame in self.decoder.decode(packet):
            for chunk in self.resampler.resample(frame):
                chunk.pts, chunk.time_base = self.pts, Fraction(1, OPUS_RATE)
                self.pts += chunk.samples
                encoded.extend(self.encoder.encode(chunk))
        return encoded
