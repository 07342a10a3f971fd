"""RTSP sessions and their RTP tracks: RTP headers, RTCP sender reports, and the transports
(UDP unicast, TCP interleaved, UDP multicast)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import secrets
import struct
import time
from abc import ABC, abstractmethod
from collections.abc import Callable

from simulator.media.sdp import TrackSpec
from simulator.media.stream import Source, Unit

log = logging.getLogger(__name__)
NTP_EPOCH = 2208988800
MAX_TCP_BUFFER = 4 << 20  # bytes queued on a TCP connection before video skips to a key frame
PORT_RANGE = (30000, 60000)


def ntp(utc: float) -> tuple[int, int]:
    whole = int(utc)
    return (whole + NTP_EPOCH) & 0xFFFFFFFF, int((utc - whole) * (1 << 32)) & 0xFFFFFFFF


class Datagram(asyncio.DatagramProtocol):
    def __init__(self, on_packet: Callable[[bytes, tuple], None]) -> None:
        self.on_packet = on_packet
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr) -> None:
        self.on_packet(data, addr)

    def error_received(self, exc: Exception) -> None:  # ICMP port unreachable: client gone
        log.debug("UDP error: %s", exc)


async def udp_pair(host: str, on_rtp, on_rtcp) -> tuple[Datagram, Datagram, int]:
    """Two UDP sockets on consecutive ports (RTP even, RTCP odd)."""
    loop = asyncio.get_running_loop()
    for _ in range(100):
        port = random.randrange(*PORT_RANGE) & ~1
        try:
            _, rtp = await loop.create_datagram_endpoint(lambda: Datagram(on_rtp), (host, port))
        except OSError:
            continue
        try:
            _, rtcp = await loop.create_datagram_endpoint(
                lambda: Datagram(on_rtcp), (host, port + 1)
            )
        except OSError:
            rtp.transport.close()  # type: ignore[union-attr]
            continue
        return rtp, rtcp, port
    raise OSError("no free UDP port pair")


class Transport(ABC):
    """Where a track's packets go. Subclasses: Interleaved, Udp; Multicast in multicast.py."""

    description = ""

    @abstractmethod
    def send_rtp(self, packet: bytes) -> bool:
        """Send one RTP packet; False when the receiver cannot take more now."""

    @abstractmethod
    def send_rtcp(self, packet: bytes) -> None:
        """Send one RTCP packet."""

    def congested(self) -> bool:
        return False

    def close(self) -> None:  # noqa: B027  (most transports have nothing to release)
        """Release what the transport holds (a UDP socket pair)."""


class Interleaved(Transport):
    def __init__(self, send: Callable[[int, bytes], None], buffered, channels: tuple[int, int]):
        self.send, self.buffered, self.channels = send, buffered, channels
        self.description = f"RTP/AVP/TCP;unicast;interleaved={channels[0]}-{channels[1]}"

    def send_rtp(self, packet: bytes) -> bool:
        self.send(self.channels[0], packet)
        return True

    def send_rtcp(self, packet: bytes) -> None:
        self.send(self.channels[1], packet)

    def congested(self) -> bool:
        return self.buffered() > MAX_TCP_BUFFER


class Udp(Transport):
    def __init__(self, rtp: Datagram, rtcp: Datagram, port: int, client: tuple[str, int, int]):
        self.rtp, self.rtcp, self.port, self.client = rtp, rtcp, port, client
        self.description = (
            f"RTP/AVP;unicast;client_port={client[1]}-{client[2]};server_port={port}-{port + 1}"
        )

    def send_rtp(self, packet: bytes) -> bool:
        if self.rtp.transport is None or self.rtp.transport.is_closing():
            return False
        self.rtp.transport.sendto(packet, (self.client[0], self.client[1]))
        return True

    def send_rtcp(self, packet: bytes) -> None:
        if self.rtcp.transport is not None and not self.rtcp.transport.is_closing():
            self.rtcp.transport.sendto(packet, (self.client[0], self.client[2]))

    def close(self) -> None:
        for d in (self.rtp, self.rtcp):
            if d.transport is not None:
                d.transport.close()


class Track:
    """The sending side of one RTP stream: its SSRC, sequence numbers and timestamps."""

    def __init__(self, spec: TrackSpec, source: Source | None, transport: Transport, pt: int):
        self.spec, self.source, self.transport, self.pt = spec, source, transport, pt
        self.ssrc = secrets.randbits(32)
        self.seq = secrets.randbits(16)
        self.offset = secrets.randbits(32)
        self.clock = source.clock_rate if source is not None else 8000
        self.packets = self.octets = 0
        self.playing = False
        self.waiting_key = True
        self.last_ts = 0

    def rtp_time(self, mono: float) -> int:
        return (self.offset + round(mono * self.clock)) & 0xFFFFFFFF

    def play(self) -> None:
        if self.source is None or self.playing:  # a back channel only receives
            self.playing = True
            return
        self.playing, self.waiting_key = True, True
        if self.source.running:  # a fresh encoder starts with a key frame anyway
            self.source.request_key_frame()
        self.source.subscribe(self.on_unit)
        self.transport.send_rtcp(self.report())

    def pause(self) -> None:
        if self.source is not None and self.playing:
            self.source.unsubscribe(self.on_unit)
        self.playing = False

    def on_unit(self, unit: Unit) -> None:
        if self.waiting_key and not unit.key:
            return
        if self.transport.congested():
            self.waiting_key = True
            return
        self.waiting_key = False
        ts = self.rtp_time(unit.time)
        self.last_ts = ts
        for payload, marker, ext in unit.payloads:
            first = 0x90 if ext else 0x80
            header = struct.pack(
                ">BBHII", first, (0x80 if marker else 0) | self.pt, self.seq, ts, self.ssrc
            )
            packet = header + (ext or b"") + payload
            if not self.transport.send_rtp(packet):
                return
            self.seq = (self.seq + 1) & 0xFFFF
            self.packets += 1
            self.octets += len(payload)

    def report(self) -> bytes:
        """RTCP compound packet: sender report (NTP <-> RTP time) and SDES CNAME."""
        mono, utc = time.monotonic(), time.time()
        msw, lsw = ntp(utc)
        sr = struct.pack(
            ">BBHIIIIII",
            0x80,
            200,
            6,
            self.ssrc,
            msw,
            lsw,
            self.rtp_time(mono),
            self.packets & 0xFFFFFFFF,
            self.octets & 0xFFFFFFFF,
        )
        cname = b"onvif-simulator"
        item = bytes([1, len(cname)]) + cname + b"\x00"
        item += b"\x00" * ((-len(item)) % 4)
        sdes = struct.pack(">BBHI", 0x81, 202, (len(item) + 4) // 4, self.ssrc) + item
        return sr + sdes

    def close(self) -> None:
        self.pause()
        self.transport.close()


class Session:
    def __init__(self, profile: str, timeout: float, owner: object) -> None:
        self.id = secrets.token_hex(8).upper()
        self.profile, self.timeout, self.owner = profile, timeout, owner
        self.tracks: dict[str, Track] = {}
        self.state = "READY"
        self.last_seen = time.monotonic()
        self.backchannel = False
        self.sr_task: asyncio.Task | None = None

    def touch(self) -> None:
        self.last_seen = time.monotonic()

    def expired(self, now: float) -> bool:
        return now - self.last_seen > self.timeout

    def play(self) -> None:
        for track in self.tracks.values():
            track.play()
        self.state = "PLAYING"
        if self.sr_task is None:
            self.sr_task = asyncio.get_running_loop().create_task(self._reports())

    def pause(self) -> None:
        for track in self.tracks.values():
            track.pause()
        self.state = "READY"

    async def _reports(self, interval: float = 2.0) -> None:
        while True:
            await asyncio.sleep(interval)
            for track in list(self.tracks.values()):
                if track.playing:
                    with contextlib.suppress(OSError):
                        track.transport.send_rtcp(track.report())

    def close(self) -> None:
        if self.sr_task is not None:
            self.sr_task.cancel()
        for track in self.tracks.values():
            track.close()
        self.tracks.clear()
        self.state = "CLOSED"
