"""The tracks aiortc sends to one viewer: packets from the shared source, not frames."""

from __future__ import annotations

import av
from aiortc import MediaStreamTrack

from cameras.media.source import RtspSource
from cameras.media.subscriber import Subscriber


class PacketTrack(MediaStreamTrack):
    """Already-encoded packets of one kind (video: H.264; audio: G.711 or Opus) for a viewer."""

    def __init__(self, source: RtspSource, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self.source = source
        self.subscriber: Subscriber = (
            source.subscribe() if kind == "video" else source.subscribe_audio()
        )

    async def recv(self) -> av.Packet:
        item = await self.subscriber.get()
        return item.as_av()

    def stop(self) -> None:
        self.source.unsubscribe(self.subscriber)
        super().stop()
