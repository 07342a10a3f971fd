"""Talk-back: audio from the browser's microphone to the camera's loudspeaker.

aiortc decodes the browser's Opus; each frame is resampled to 8 kHz mono and encoded G.711
(in a worker thread: PyAV calls block) and sent in 20 ms RTP packets on the back channel.
"""

from __future__ import annotations

import asyncio
import logging

import av
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

from cameras.media.rtsp_backchannel import Backchannel

logger = logging.getLogger(__name__)
SAMPLES_PER_PACKET = 160  # 20 ms at 8 kHz, one byte per G.711 sample


class G711Encoder:
    def __init__(self, payload_type: int) -> None:
        self.resampler = av.AudioResampler(format="s16", layout="mono", rate=8000)
        self.encoder = av.CodecContext.create("pcm_mulaw" if payload_type == 0 else "pcm_alaw", "w")
        self.encoder.sample_rate = 8000
        self.encoder.layout = "mono"
        self.encoder.format = "s16"
        self.encoder.open()

    def encode(self, frame: av.AudioFrame) -> bytes:
        frame.pts = None
        out = bytearray()
        for chunk in self.resampler.resample(frame):
            for packet in self.encoder.encode(chunk):
                out += bytes(packet)
        return bytes(out)


async def relay_microphone(track: MediaStreamTrack, backchannel: Backchannel) -> int:
    """Send the track to the camera until it ends; returns the packets sent."""
    encoder = G711Encoder(backchannel.payload_type)
    loop = asyncio.get_running_loop()
    pending = bytearray()
    sent = 0
    while True:
        try:
            frame = await track.recv()
        except MediaStreamError:
            return sent
        if not isinstance(frame, av.AudioFrame):
            continue
        pending += await loop.run_in_executor(None, encoder.encode, frame)
        while len(pending) >= SAMPLES_PER_PACKET:
            backchannel.send(bytes(pending[:SAMPLES_PER_PACKET]))
            del pending[:SAMPLES_PER_PACKET]
            sent += 1
