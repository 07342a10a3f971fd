"""RTP multicast (clause 10.3.5): one sender per (profile, track) shared by every RTSP session
that asked for multicast, and started without RTSP by StartMulticastStreaming (the runtime's
``multicast`` set) or the configuration's AutoStart flag.

Sockets send with IP_MULTICAST_IF set to the camera's host address (loopback for the simulator)
and the configured TTL. Only enabled with ``CameraMedia(multicast=True)``.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import TYPE_CHECKING

from simulator.media import sdp
from simulator.media.session import Session, Track, Transport
from simulator.media.stream import Source

if TYPE_CHECKING:
    from simulator.media.hub import CameraMedia

log = logging.getLogger(__name__)
WATCH_INTERVAL = 0.5


class MulticastTransport(Transport):
    def __init__(self, host: str, address: str, port: int, ttl: int) -> None:
        self.address, self.port = address, port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, max(1, ttl))
        self.sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(host))
        self.sock.setblocking(False)
        self.description = (
            f"RTP/AVP;multicast;destination={address};port={port}-{port + 1};ttl={ttl}"
        )

    def _send(self, packet: bytes, port: int) -> bool:
        try:
            self.sock.sendto(packet, (self.address, port))
        except OSError as exc:  # buffer full or no route: drop, like UDP does
            log.debug("multicast send failed: %s", exc)
        return True

    def send_rtp(self, packet: bytes) -> bool:
        return self._send(packet, self.port)

    def send_rtcp(self, packet: bytes) -> None:
        self._send(packet, self.port + 1)

    def close(self) -> None:
        self.sock.close()


class Group:
    """One multicast RTP stream and who keeps it going."""

    def __init__(self, track: Track) -> None:
        self.track = track
        self.sessions: set[str] = set()
        self.pinned = False  # StartMulticastStreaming / AutoStart

    def update(self) -> None:
        if self.sessions or self.pinned:
            self.track.play()
        else:
            self.track.pause()


class SessionMember(Track):
    """What an RTSP session holds for a multicast track: a reference to the shared group."""

    def __init__(self, group: Group, session: Session) -> None:
        self.group, self.session_id = group, session.id
        t = group.track
        super().__init__(t.spec, None, t.transport, t.pt)
        self.ssrc, self.seq, self.offset, self.clock = t.ssrc, t.seq, t.offset, t.clock
        self.source = t.source

    def rtp_time(self, mono: float) -> int:
        return self.group.track.rtp_time(mono)

    def play(self) -> None:
        self.playing = True
        self.group.sessions.add(self.session_id)
        self.group.update()
        self.seq = self.group.track.seq

    def pause(self) -> None:
        self.playing = False
        self.group.sessions.discard(self.session_id)
        self.group.update()

    def close(self) -> None:
        self.pause()  # the transport belongs to the group


class Multicast:
    def __init__(self, media: CameraMedia) -> None:
        self.media = media
        self.groups: dict[tuple[str, str], Group] = {}
        self.task: asyncio.Task | None = None

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self._watch())

    def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
        for group in self.groups.values():
            group.track.close()
        self.groups.clear()

    def group(self, profile: str, spec: sdp.TrackSpec, source: Source | None, pt: int) -> Group:
        key = (profile, spec.control)
        if key not in self.groups:
            m = spec.multicast
            transport = MulticastTransport(self.media.bind_host, m.address, m.port, m.ttl)
            self.groups[key] = Group(Track(spec, source, transport, pt))
        return self.groups[key]

    def join(self, session: Session, spec: sdp.TrackSpec, source, pt: int) -> Track:
        return SessionMember(self.group(session.profile, spec, source, pt), session)

    def leave(self, session: Session) -> None:
        for group in self.groups.values():
            if session.id in group.sessions:
                group.sessions.discard(session.id)
                group.update()

    def pin(self, profile_token: str, on: bool) -> None:
        """StartMulticastStreaming (on) / StopMulticastStreaming (off) for a profile."""
        profile = self.media.camera.profile(profile_token)
        if profile is None:
            return
        for spec in sdp.tracks(self.media.camera, profile):
            if on or (profile_token, spec.control) in self.groups:
                pt = self.media.payload_type(spec)
                group = self.group(profile_token, spec, self.media.source(spec), pt)
                group.pinned = on
                group.update()

    async def _watch(self) -> None:
        """Follow the runtime's multicast set and the AutoStart flags."""
        while True:
            camera = self.media.camera
            wanted = set(getattr(camera.runtime, "multicast", set()) or set())
            for profile in camera.profiles:
                if any(s.multicast.auto_start for s in sdp.tracks(camera, profile)):
                    wanted.add(profile.token)
            pinned = {p for (p, _), g in self.groups.items() if g.pinned}
            for token in wanted - pinned:
                self.pin(token, True)
            for token in pinned - wanted:
                self.pin(token, False)
            await asyncio.sleep(WATCH_INTERVAL)
