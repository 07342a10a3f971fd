"""A viewer's bounded queue of packets: on overflow it skips to the next key frame."""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cameras.media.source import MediaPacket

MAX_QUEUE = 120  # about 5 s of 25 fps video


class Subscriber:
    def __init__(self, limit: int = MAX_QUEUE) -> None:
        self.queue: deque[MediaPacket] = deque()
        self.limit = limit
        self.dropped = 0
        self.waiting_for_keyframe = True  # a viewer starts on a key frame
        self._ready = asyncio.Event()

    def put(self, packet: MediaPacket) -> None:
        if self.waiting_for_keyframe:
            if not packet.keyframe:
                self.dropped += 1
                return
            self.waiting_for_keyframe = False
        if len(self.queue) >= self.limit:
            # A slow viewer: drop what is queued and restart on the next key frame, since
            # H.264 frames after a gap cannot be decoded.
            self.dropped += len(self.queue) + 1
            self.queue.clear()
            self.waiting_for_keyframe = not packet.keyframe
            if self.waiting_for_keyframe:
                return
        self.queue.append(packet)
        self._ready.set()

    def restart(self) -> None:
        """The camera's stream started over: what follows needs a new key frame."""
        self.queue.clear()
        self.waiting_for_keyframe = True

    async def get(self) -> MediaPacket:
        while not self.queue:
            self._ready.clear()
            await self._ready.wait()
        return self.queue.popleft()
