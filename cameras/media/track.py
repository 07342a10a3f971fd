"""The video track aiortc sends to one viewer: packets from the shared source, not frames."""

from __future__ import annotations

import av
from aiortc import MediaStreamTrack

from cameras.media.source import RtspSource
from cameras.media.subscriber import Subscriber


class RelayTrack(MediaStreamTrack):
    kind = "video"

    def __init__(self, source: RtspSource) -> None:
        super().__init__()
        self.source = source
        self.subscriber: Subscriber = source.subscribe()

    async def recv(self) -> av.Packet:
        item = await self.subscriber.get()
        return item.as_av()

    def stop(self) -> None:
        self.source.unsubscribe(self.subscriber)
        super().stop()


class AudioRelayTrack(MediaStreamTrack):
    """The camera's audio for one viewer: G.711 or Opus packets, sent as they are."""

    kind = "audio"

    def __init__(self, source: RtspSource) -> None:
        super().__init__()
        self.source = source
        self.subscriber: Subscriber = source.subscribe_audio()

    async def recv(self) -> av.Packet:
        item = await self.subscriber.get()
        return item.as_av()

    def stop(self) -> None:
        self.source.unsubscribe(self.subscriber)
        super().stop()
