"""``CameraMedia``: everything media of one virtual camera (RTSP server, shared sources,
sessions, snapshot, tunnel, back channel, multicast)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from simulator.camera import Camera, Profile, VideoSource
from simulator.media import scene, sdp
from simulator.media.audio import AudioParams, AudioStream
from simulator.media.backchannel import BackchannelSink
from simulator.media.digest import DigestAuth
from simulator.media.encoder import VideoStream
from simulator.media.metadata import MetadataStream
from simulator.media.rtsp import Connection, Request, RtspError, serve_stream
from simulator.media.session import Interleaved, Session, Track
from simulator.media.stream import Source
from simulator.soap import E

log = logging.getLogger(__name__)
SWEEP_INTERVAL = 0.5
ACTIVE_CONNECTIONS = "tns1:Monitoring/Profile/ActiveConnections"


class CameraMedia:
    def __init__(
        self,
        camera: Camera,
        *,
        port: int | None = None,
        auth: bool = True,
        session_timeout: float = 60.0,
        multicast: bool = False,
        max_sessions: int = 64,
    ) -> None:
        from simulator.runtime import Runtime

        self.camera = camera
        self.runtime = camera.runtime or Runtime(camera)
        self.port = camera.rtsp_port if port is None else port
        self.auth = auth
        self.digest = DigestAuth(camera)
        self.session_timeout = session_timeout
        self.multicast_enabled = multicast
        self.max_sessions = max_sessions
        self.bind_host = camera.host
        self.sources: dict[tuple, Source] = {}
        self.sessions: dict[str, Session] = {}
        self.streaming: dict[str, set[str]] = {}  # profile token -> ids of its playing sessions
        self.stopping = False
        self.connections: set[Connection] = set()
        self.writers: set[asyncio.StreamWriter] = set()
        self.tunnels: dict[str, object] = {}
        self.backchannel: dict[str, BackchannelSink] = {}
        self.server: asyncio.base_events.Server | None = None
        self.sweeper: asyncio.Task | None = None
        self.multicast = None  # simulator.media.multicast.Multicast when enabled

    # -- lifecycle ------------------------------------------------------------------------------
    async def start(self) -> None:
        self.stopping = False
        self.server = await asyncio.start_server(
            lambda r, w: serve_stream(self, r, w), self.bind_host, self.port, reuse_address=True
        )
        self.port = self.server.sockets[0].getsockname()[1]
        self.camera.rtsp_port = self.port
        if self.multicast_enabled:
            from simulator.media.multicast import Multicast

            self.multicast = Multicast(self)
            self.multicast.start()

    async def stop(self) -> None:
        self.stopping = True
        if self.sweeper is not None:
            self.sweeper.cancel()
        if self.multicast is not None:
            self.multicast.close()
        for sid in list(self.sessions):
            self.release(sid)
        for conn in list(self.connections):
            conn.close()
        for writer in list(self.writers):
            writer.close()
        if self.server is not None:
            self.server.close()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.server.wait_closed(), 2.0)
        await asyncio.gather(*(s.close() for s in self.sources.values()))
        self.sources.clear()

    async def _sweep(self) -> None:
        """Expire sessions; runs only while there are sessions (idle cameras cost nothing)."""
        while self.sessions:
            await asyncio.sleep(SWEEP_INTERVAL)
            now = time.monotonic()
            for session in list(self.sessions.values()):
                if session.expired(now):
                    log.info("%s: RTSP session %s timed out", self.camera.name, session.id)
                    self.release(session.id)

    # -- sessions -------------------------------------------------------------------------------
    def new_session(self, profile: str, owner: Connection) -> Session:
        session = Session(profile, self.session_timeout, owner)
        self.sessions[session.id] = session
        owner.sessions.add(session.id)
        if self.sweeper is None or self.sweeper.done():
            self.sweeper = asyncio.get_running_loop().create_task(self._sweep())
        return session

    def release(self, sid: str) -> None:
        session = self.sessions.pop(sid, None)
        if session is None:
            return
        if self.multicast is not None:
            self.multicast.leave(session)
        session.close()
        if sid in self.streaming.get(session.profile, ()):
            self.streaming[session.profile].discard(sid)
            self.connections_changed(session.profile)
        owner = session.owner
        if isinstance(owner, Connection):
            owner.sessions.discard(sid)

    def playing(self, session: Session) -> None:
        """A session's first PLAY: one more active connection of its profile."""
        if session.id not in self.streaming.setdefault(session.profile, set()):
            self.streaming[session.profile].add(session.id)
            self.connections_changed(session.profile)

    def connections_changed(self, token: str) -> None:
        """tns1:Monitoring/Profile/ActiveConnections (clause 6.13.3): a property per profile whose
        Status (tt:ProfileStatus) holds one ActiveConnections entry per playing session, with the
        profile's configured bitrate (kbit/s) and frame rate."""
        source = [("Profile", token)]
        if self.stopping:  # the camera goes away: nobody is told, the state is dropped
            self.runtime.events.forget(ACTIVE_CONNECTIONS, source)
            return
        profile = self.camera.profile(token)
        video = self.camera.profile_config(profile, "VideoEncoder") if profile else None
        audio = self.camera.profile_config(profile, "AudioEncoder") if profile else None
        bitrate = (video.bitrate if video else 0) + (audio.bitrate if audio else 0)
        fps = video.fps if video else 0.0
        entry = lambda: E(  # noqa: E731
            "tt:ActiveConnections",
            E("tt:CurrentBitrate", float(bitrate)),
            E("tt:CurrentFps", float(fps)),
        )
        status = E("tt:ProfileStatus", [entry() for _ in self.streaming.get(token, ())])
        self.runtime.events.publish(
            ACTIVE_CONNECTIONS, source, [], prop=True, elements=[("Status", status)]
        )

    def authenticate(self, req: Request) -> None:
        if not self.auth:
            return
        user, stale = self.digest.check(req.header("Authorization"), req.method)
        if user is None:
            raise RtspError(401, {"WWW-Authenticate": self.digest.challenge(stale)})
        if not self.digest.may_view(user):
            raise RtspError(403)

    def profile(self, token: str) -> Profile:
        profile = self.camera.profile(token)
        if profile is None:
            raise RtspError(404)
        return profile

    # -- sources --------------------------------------------------------------------------------
    def panorama(self, source: VideoSource) -> scene.Panorama:
        return scene.panorama(f"{self.camera.name}/{source.token}", source.width, source.height)

    def source(self, spec: sdp.TrackSpec) -> Source | None:
        """The shared source of a track (created on first use), None for the back channel."""
        if spec.kind == "backchannel":
            return None
        key = (spec.kind, spec.source_token, spec.config.token)
        src = self.sources.get(key)
        if src is None:
            vs = self.camera.video_source(spec.source_token)
            pano = lambda vs=vs: self.panorama(vs)  # noqa: E731
            if spec.kind == "video":
                src = VideoStream(self.camera, vs, spec.config, pano)  # type: ignore[arg-type]
            elif spec.kind == "audio":
                src = AudioStream(self.camera, spec.config)
            else:
                src = MetadataStream(self.camera, vs, spec.config, pano)  # type: ignore[arg-type]
            self.sources[key] = src
        return src

    def payload_type(self, spec: sdp.TrackSpec) -> int:
        if spec.kind == "video":
            return 26 if spec.config.encoding.upper() in ("JPEG", "MJPEG") else 96
        if spec.kind == "audio":
            return AudioParams.of(spec.config).payload_type
        return sdp.METADATA_PT if spec.kind == "metadata" else 0

    async def describe_video(self, spec: sdp.TrackSpec):
        stream = self.source(spec)
        return await asyncio.to_thread(stream.describe)  # type: ignore[union-attr]

    def synchronize(self, profile_token: str) -> None:
        """SetSynchronizationPoint: key frames (and a full scene description) at once."""
        profile = self.camera.profile(profile_token)
        if profile is None:
            return
        for spec in sdp.tracks(self.camera, profile):
            src = self.sources.get((spec.kind, spec.source_token, spec.config.token))
            if src is not None:
                src.request_key_frame()

    def multicast_track(self, session: Session, spec: sdp.TrackSpec, source, pt: int) -> Track:
        if self.multicast is None:
            raise RtspError(461)
        return self.multicast.join(session, spec, source, pt)

    def start_multicast(self, profile_token: str) -> None:
        """StartMulticastStreaming. Adding the token to ``runtime.multicast`` (what the Media
        services do) has the same effect within half a second."""
        self.runtime.multicast.add(profile_token)
        if self.multicast is not None:
            self.multicast.pin(profile_token, True)

    def stop_multicast(self, profile_token: str) -> None:
        self.runtime.multicast.discard(profile_token)
        if self.multicast is not None:
            self.multicast.pin(profile_token, False)

    # -- web port entry points --------------------------------------------------------------------
    async def snapshot(self, profile_token: str) -> bytes | None:
        from simulator.media.snapshot import snapshot

        return await snapshot(self, profile_token)

    async def snapshot_handler(self, request):
        from simulator.media import snapshot

        return await snapshot.handle(self, request)

    async def tunnel_handler(self, request):
        from simulator.media import tunnel

        return await tunnel.handle(self, request)

    # -- incoming RTP/RTCP ----------------------------------------------------------------------
    def interleaved(self, conn: Connection, channel: int, packet: bytes) -> None:
        for sid in conn.sessions:
            session = self.sessions.get(sid)
            for track in session.tracks.values() if session else ():
                t = track.transport
                if isinstance(t, Interleaved) and channel in t.channels:
                    if channel == t.channels[0]:
                        session.touch()  # type: ignore[union-attr]
                        self.received(track, packet)
                    else:
                        self.rtcp(track, session, packet)  # type: ignore[arg-type]
                    return

    def rtcp(self, track: Track, session: Session, packet: bytes) -> None:
        """Receiver reports keep the session alive; PLI and FIR (RFC 4585/5104) ask for a key
        frame."""
        session.touch()
        if track.source is not None and wants_key_frame(packet):
            track.source.request_key_frame()

    def udp_rtp(self, track: Track, session: Session, packet: bytes) -> None:
        session.touch()
        self.received(track, packet)

    def received(self, track: Track, packet: bytes) -> None:
        if track.spec.kind == "backchannel" and track.playing:
            sink = self.backchannel.setdefault(
                track.spec.source_token, BackchannelSink(track.spec.source_token)
            )
            sink.receive(packet)


def wants_key_frame(packet: bytes) -> bool:
    """Does an RTCP compound packet hold a Picture Loss Indication or a Full Intra Request?"""
    pos = 0
    while pos + 4 <= len(packet):
        fmt, pt = packet[pos] & 0x1F, packet[pos + 1]
        if pt == 206 and fmt in (1, 4):
            return True
        pos += (int.from_bytes(packet[pos + 2 : pos + 4], "big") + 1) * 4
    return False
