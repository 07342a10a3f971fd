"""Every pull and peer connection of one gateway process.

One RtspSource per stream key however many viewers; one RTCPeerConnection per viewer
session. Idle sources stop a short while after their last viewer leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aioice.ice
from aiortc import (
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCRtpSender,
    RTCSessionDescription,
)

from cameras.media.audio import webrtc_codec
from cameras.media.metadata import objects_of
from cameras.media.rtsp_auth import Credentials, StreamRefused
from cameras.media.rtsp_backchannel import Backchannel, BackchannelError
from cameras.media.source import RtspSource, State
from cameras.media.talk import relay_microphone
from cameras.media.track import PacketTrack
from vms.logs import redact

logger = logging.getLogger(__name__)

STALL_SECONDS = 3.0
KEY_FRAME_EVERY = 2.0  # seconds between key-frame requests to one camera stream
Notify = Callable[[str, dict[str, Any]], None]  # (session, message) -> sent to the viewer


def use_host_addresses(addresses: list[str]) -> None:
    """Offer exactly these addresses as ICE host candidates (aioice skips 127.0.0.1)."""
    if addresses:
        aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: list(addresses)


def backchannel_failure(exc: BaseException, where: str) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return (
            f"The camera's back channel did not open: nothing answers at its RTSP port "
            f"({where}); the camera may be off or rebooting."
        )
    if isinstance(exc, TimeoutError):
        return f"The camera's back channel did not open: its RTSP port ({where}) did not answer."
    if isinstance(exc, asyncio.IncompleteReadError):
        return "The camera's back channel did not open: the camera closed the connection."
    return redact(f"The camera's back channel did not open: {exc}")


@dataclass
class Viewer:
    session: str
    key: str
    pc: RTCPeerConnection
    track: PacketTrack
    audio: PacketTrack | None = None
    metadata: Any = None  # the RTCDataChannel the browser opened for overlays


class Gateway:
    def __init__(
        self,
        *,
        ice_servers: list[dict[str, Any]],
        notify: Notify,
        idle_seconds: float = 10.0,
        request_key_frame: Callable[[str], None] | None = None,
    ) -> None:
        self.ice_servers = ice_servers
        self.notify = notify
        # Asks the camera for a key frame (SetSynchronizationPoint): when a pull (re)starts,
        # and when a viewer's browser reports picture loss, at most once per KEY_FRAME_EVERY.
        self.request_key_frame = request_key_frame
        self._key_frame_asked: dict[str, float] = {}
        self.idle_seconds = idle_seconds
        self.sources: dict[str, RtspSource] = {}
        self.viewers: dict[str, Viewer] = {}
        self.talks: dict[str, tuple[RTCPeerConnection, Backchannel]] = {}
        self.talk_tasks: dict[str, asyncio.Future[int]] = {}
        self.ready_timeout = 3.0  # how long an offer waits to learn whether there is audio

    def _configuration(self) -> RTCConfiguration:
        return RTCConfiguration(iceServers=[RTCIceServer(**server) for server in self.ice_servers])

    def source(self, key: str, url: str, credentials: Credentials | None = None) -> RtspSource:
        source = self.sources.get(key)
        if source is None or source.state == State.STOPPED:
            source = RtspSource(key, url, credentials=credentials, on_state=self._on_state)
            source.metadata_listeners.add(lambda document: self._metadata(key, document))
            self.sources[key] = source
            source.start()
        return source

    def _on_state(self, source: RtspSource) -> None:
        if source.state == State.LIVE:
            self._ask_key_frame(source.key)
        for viewer in list(self.viewers.values()):
            if viewer.key != source.key:
                continue
            if source.refusal:  # said as an error: the player shows it and stops trying
                self.notify(viewer.session, {"type": "stream.error", "message": source.refusal})
                continue
            self.notify(viewer.session, {"type": "stream.state", "state": source.state.value,
                                         "error": redact(source.stats.last_error)})  # fmt: skip

    async def offer(
        self, session: str, key: str, url: str, sdp: str, credentials: Credentials | None = None
    ) -> str:
        """Answer a viewer's SDP offer with the stream `key` (pulled from `url` if new).
        StreamRefused when the stream will not be pulled (the message says why)."""
        await self.close(session)
        source = self.source(key, url, credentials)
        source.retry_now()  # reconnecting: a viewer is here, do not wait out the back-off
        if not source.subscribers:
            source.idle_since = time.monotonic()  # the idle time counts from this offer
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(source.ready.wait(), self.ready_timeout)
        if source.refusal:  # stopped: the next offer starts a new pull, with new credentials
            raise StreamRefused(source.refusal)
        pc = RTCPeerConnection(self._configuration())
        viewer = Viewer(session, key, pc, PacketTrack(source, "video"))
        self.viewers[session] = viewer
        self._on_picture_loss(pc.addTrack(viewer.track), key)
        audio_codec = webrtc_codec(source.audio_codec)
        if audio_codec is not None and "m=audio" in sdp:
            viewer.audio = PacketTrack(source, "audio")
            # A stream id of its own: in one stream with the video, Chromium would hold the
            # video back for lip-sync (tens of ms); live monitoring wants the picture first.
            pc.addTrack(viewer.audio)._stream_id = f"audio-{session}"
        for transceiver in pc.getTransceivers():
            wanted = "video/H264" if transceiver.kind == "video" else audio_codec
            codecs = RTCRtpSender.getCapabilities(transceiver.kind).codecs
            transceiver.setCodecPreferences([c for c in codecs if c.mimeType == wanted])

        @pc.on("datachannel")
        def on_channel(channel: Any) -> None:
            if channel.label == "metadata":
                viewer.metadata = channel

        answer = await self._answer(session, pc, sdp)
        self.notify(session, {"type": "stream.state", "state": source.state.value, "error": ""})
        return answer

    async def talk(
        self, session: str, url: str, sdp: str, credentials: Credentials | None = None
    ) -> str:
        """Answer a talk offer: the browser's microphone goes to the camera's back channel."""
        await self.close(session)
        backchannel = Backchannel(url, credentials)
        try:
            await backchannel.open()
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
            await backchannel.close()  # ValueError: a line longer than the reader's limit
            logger.info("session %s: back channel failed: %s", session, redact(repr(exc)))
            raise BackchannelError(backchannel_failure(exc, backchannel.where)) from None
        except BackchannelError:
            await backchannel.close()
            raise
        pc = RTCPeerConnection(self._configuration())
        self.talks[session] = (pc, backchannel)

        @pc.on("track")
        def on_track(track: Any) -> None:
            if track.kind == "audio":
                self.talk_tasks[session] = asyncio.ensure_future(
                    relay_microphone(track, backchannel)
                )

        return await self._answer(session, pc, sdp)

    async def _answer(self, session: str, pc: RTCPeerConnection, sdp: str) -> str:
        """Answer the browser's offer; the session ends when its connection fails or closes."""

        @pc.on("connectionstatechange")
        async def on_state() -> None:
            if pc.connectionState in ("failed", "closed"):
                await self.close(session)

        await pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        return str(pc.localDescription.sdp)

    def _ask_key_frame(self, key: str) -> None:
        now = time.monotonic()
        if (
            self.request_key_frame is None
            or now - self._key_frame_asked.get(key, -1e9) < KEY_FRAME_EVERY
        ):
            return
        self._key_frame_asked[key] = now
        self.request_key_frame(key)

    def _on_picture_loss(self, sender: Any, key: str) -> None:
        """Passthrough cannot encode a key frame itself: the camera is asked for one."""
        original = sender._send_keyframe

        def send_keyframe() -> None:
            original()
            self._ask_key_frame(key)

        sender._send_keyframe = send_keyframe  # aiortc calls it on PLI/FIR from the browser

    def _metadata(self, key: str, document: bytes) -> None:
        """One parse per metadata document, sent to every viewer of the stream with overlays."""
        channels = [
            v.metadata for v in self.viewers.values()
            if v.key == key and v.metadata is not None and v.metadata.readyState == "open"
        ]  # fmt: skip
        if not channels:
            return
        frame = objects_of(document)
        if frame is None:
            return
        message = json.dumps(frame)
        for channel in channels:
            channel.send(message)

    async def close(self, session: str) -> None:
        talk = self.talks.pop(session, None)
        if talk is not None:
            pc, backchannel = talk
            task = self.talk_tasks.pop(session, None)
            if task is not None:
                task.cancel()
            await pc.close()
            await backchannel.close()
        viewer = self.viewers.pop(session, None)
        if viewer is not None:
            viewer.track.stop()
            if viewer.audio is not None:
                viewer.audio.stop()
            await viewer.pc.close()

    async def reap_idle(self) -> None:
        """Stop pulls nobody watches; flag streams that stopped delivering (every 2 s)."""
        now = time.monotonic()
        for source in self.sources.values():
            if source.state == State.LIVE and now - source.last_packet > STALL_SECONDS:
                source.stalled(STALL_SECONDS)
        for key, source in list(self.sources.items()):
            if source.idle_since is not None and now - source.idle_since > self.idle_seconds:
                logger.info("%s: no viewer for %.0f s, stopping the pull", key, self.idle_seconds)
                source.stop()
                del self.sources[key]

    async def shutdown(self) -> None:
        sessions = list(self.viewers) + list(self.talks)
        await asyncio.gather(*(self.close(s) for s in sessions), return_exceptions=True)
        for source in self.sources.values():
            source.stop()
        await asyncio.gather(
            *(s.wait_stopped() for s in self.sources.values()), return_exceptions=True
        )
        self.sources.clear()

    def load(self) -> int:
        return len(self.sources)

    def stats(
        self, previous: dict[str, dict[str, Any]], seconds: float
    ) -> dict[str, dict[str, Any]]:
        """Per-stream figures; rates from the counters' change since `previous`."""
        figures: dict[str, dict[str, Any]] = {}
        for key, source in self.sources.items():
            viewers = [v for v in self.viewers.values() if v.key == key]
            before = previous.get(key, {})
            packets, size = source.stats.packets, source.stats.bytes
            figures[key] = {
                "state": source.state.value,
                "viewers": len(viewers),
                "fps": round((packets - before.get("packets", packets)) / seconds, 1),
                "bitrate_kbps": round((size - before.get("bytes", size)) * 8 / seconds / 1000, 1),
                "packets": packets,
                "bytes": size,
                "dropped": sum(v.track.subscriber.dropped for v in viewers),
                "reconnects": source.stats.reconnects,
                "last_error": redact(source.stats.last_error),
            }
        return figures
