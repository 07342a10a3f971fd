"""RTSP 1.0 (RFC 2326) as clause 10.3 profiles it: one ``Connection`` per client byte stream
(a TCP connection or an HTTP tunnel), requests answered in order, interleaved RTP/RTCP on the side.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import struct
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from simulator.media import sdp
from simulator.media.session import Interleaved, Session, Track, Udp, udp_pair

if TYPE_CHECKING:
    from simulator.media.hub import CameraMedia

log = logging.getLogger(__name__)
SERVER = "ONVIF Simulator RTSP"
MAX_HEADER = 64 * 1024
MAX_BODY = 1 << 20
METHODS = (
    "OPTIONS",
    "DESCRIBE",
    "SETUP",
    "PLAY",
    "PAUSE",
    "TEARDOWN",
    "GET_PARAMETER",
    "SET_PARAMETER",
)
NOT_ALLOWED = ("ANNOUNCE", "RECORD", "REDIRECT")
REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    413: "Request Entity Too Large",
    405: "Method Not Allowed",
    451: "Parameter Not Understood",
    454: "Session Not Found",
    455: "Method Not Valid in This State",
    460: "Only Aggregate Operation Allowed",
    461: "Unsupported Transport",
    500: "Internal Server Error",
    501: "Not Implemented",
    503: "Service Unavailable",
    505: "RTSP Version Not Supported",
    551: "Option not supported",
}
TUNNEL_PREFIX = "rtsp-over-http"


class RtspError(Exception):
    def __init__(self, code: int, headers: dict[str, str] | None = None) -> None:
        super().__init__(REASONS.get(code, str(code)))
        self.code, self.headers = code, headers or {}


class Request:
    def __init__(self, head: str, body: bytes) -> None:
        lines = head.split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3:
            raise RtspError(400)
        self.method, self.url, self.version = parts
        self.headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if not sep:
                raise RtspError(400)
            self.headers[name.strip().lower()] = value.strip()
        self.body = body
        self.cseq = self.headers.get("cseq", "")

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)

    def target(self) -> tuple[str, str | None]:
        """(profile token, track control or None) named by the request URL."""
        path = [p for p in urlsplit(self.url).path.split("/") if p]
        if path and path[0] == TUNNEL_PREFIX:
            path = path[1:]
        if not path:
            raise RtspError(404)
        return path[0], ("/".join(path[1:]) or None)

    def base(self) -> str:
        """The request URL without query and track, for Content-Base and control URLs."""
        u = urlsplit(self.url)
        control = self.target()[1]
        path = u.path.rstrip("/")
        if control:
            path = path[: -len(control) - 1]
        return f"{u.scheme}://{u.netloc}{path}"


def response(code: int, cseq: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"RTSP/1.0 {code} {REASONS.get(code, 'Error')}"]
    if cseq:
        lines.append(f"CSeq: {cseq}")
    lines += [f"Server: {SERVER}", f"Date: {datetime.now(UTC):%a, %d %b %Y %H:%M:%S GMT}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def parse_transport(value: str) -> list[tuple[str, dict[str, str]]]:
    out = []
    for spec in value.split(","):
        parts = [p.strip() for p in spec.split(";") if p.strip()]
        if parts:
            params = dict(p.partition("=")[::2] for p in parts[1:])
            out.append((parts[0].upper(), params))
    return out


def port_pair(value: str) -> tuple[int, int]:
    """ "a-b" (or "a", meaning a-(a+1)); 461 when it is not a pair of ports or channels."""
    a, _, b = value.partition("-")
    try:
        first = int(a)
        second = int(b) if b else first + 1
    except ValueError:
        raise RtspError(461) from None
    if not (0 <= first <= 65535 and 0 <= second <= 65535):
        raise RtspError(461)
    return first, second


class Connection:
    """One RTSP client byte stream. ``write`` sends bytes back; ``buffered`` says how many wait."""

    def __init__(
        self,
        media: CameraMedia,
        write: Callable[[bytes], None],
        buffered: Callable[[], int],
        peer: str,
    ) -> None:
        self.media, self.write, self.buffered, self.peer = media, write, buffered, peer
        self.buf = bytearray()
        self.queue: asyncio.Queue[Request | RtspError] = asyncio.Queue()
        self.sessions: set[str] = set()
        self.closed = False
        self.task = asyncio.get_running_loop().create_task(self._process())

    # -- input ----------------------------------------------------------------------------------
    def feed(self, data: bytes) -> None:
        self.buf += data
        while self.buf and not self.closed:
            if self.buf[0] == 0x24:  # '$': interleaved binary data
                if len(self.buf) < 4:
                    return
                channel, size = self.buf[1], struct.unpack_from(">H", self.buf, 2)[0]
                if len(self.buf) < 4 + size:
                    return
                packet = bytes(self.buf[4 : 4 + size])
                del self.buf[: 4 + size]
                self.media.interleaved(self, channel, packet)
                continue
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buf) > MAX_HEADER:
                    self.queue.put_nowait(RtspError(400))
                    self.buf.clear()
                return
            head = bytes(self.buf[:end]).decode("utf-8", "replace")
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip()) if value.strip().isdigit() else 0
            if length > MAX_BODY:
                self.queue.put_nowait(RtspError(413))
                self.buf.clear()
                return
            if len(self.buf) < end + 4 + length:
                return
            body = bytes(self.buf[end + 4 : end + 4 + length])
            del self.buf[: end + 4 + length]
            try:
                self.queue.put_nowait(Request(head.lstrip("\r\n"), body))
            except RtspError as exc:
                self.queue.put_nowait(exc)

    def send_interleaved(self, channel: int, packet: bytes) -> None:
        if not self.closed:
            self.write(b"$" + bytes([channel]) + struct.pack(">H", len(packet)) + packet)

    async def _process(self) -> None:
        while True:
            item = await self.queue.get()
            if isinstance(item, RtspError):
                self.write(response(item.code, "", item.headers))
                continue
            try:
                data = await self.handle(item)
            except RtspError as exc:
                data = response(exc.code, item.cseq, exc.headers)
            except Exception:
                log.exception("RTSP %s %s failed", item.method, item.url)
                data = response(500, item.cseq, {})
            if not self.closed:
                self.write(data)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.task.cancel()
        for sid in list(self.sessions):
            self.media.release(sid)

    # -- requests -------------------------------------------------------------------------------
    async def handle(self, req: Request) -> bytes:
        if not req.version.startswith("RTSP/"):
            raise RtspError(400)
        if req.version != "RTSP/1.0":
            raise RtspError(505)
        if not req.cseq:
            raise RtspError(400)
        if req.method in NOT_ALLOWED:
            raise RtspError(405, {"Allow": ", ".join(METHODS)})
        if req.method not in METHODS:
            raise RtspError(501)
        if req.method != "OPTIONS":
            self.media.authenticate(req)
        session = self._session(req)
        handler = getattr(self, "do_" + req.method.lower())
        headers, body = await handler(req, session)
        if session is not None and session.state != "CLOSED" and "Session" not in headers:
            headers["Session"] = f"{session.id};timeout={int(session.timeout)}"
        return response(200, req.cseq, headers, body)

    def _session(self, req: Request) -> Session | None:
        value = req.header("Session")
        if not value:
            if req.method in ("PLAY", "PAUSE", "TEARDOWN"):
                raise RtspError(454)
            return None
        session = self.media.sessions.get(value.split(";")[0].strip())
        if session is None:
            raise RtspError(454)
        session.touch()
        return session

    def _require(self, req: Request) -> bool:
        """True if the client asks for the ONVIF back channel; 551 for any other feature."""
        tags = [t.strip() for t in req.header("Require").split(",") if t.strip()]
        unknown = [t for t in tags if t != sdp.BACKCHANNEL]
        profile = self.media.camera.profile(req.target()[0])
        if (
            tags
            and not unknown
            and (profile is None or sdp.has_backchannel(self.media.camera, profile))
        ):
            return True
        if tags:
            raise RtspError(551, {"Unsupported": ", ".join(unknown or tags)})
        return False

    async def do_options(self, req: Request, session) -> tuple[dict, bytes]:
        return {"Public": ", ".join(METHODS)}, b""

    async def do_describe(self, req: Request, session) -> tuple[dict, bytes]:
        backchannel = self._require(req)
        profile = self.media.profile(req.target()[0])
        multicast = "multicast" in urlsplit(req.url).query
        if multicast and not self.media.multicast_enabled:
            raise RtspError(461)
        media = []
        for spec in sdp.tracks(self.media.camera, profile, backchannel):
            video = await self.media.describe_video(spec) if spec.kind == "video" else None
            media.append(sdp.media_lines(spec, video, multicast))
        if not media:
            raise RtspError(404)
        host = urlsplit(req.url).hostname or self.media.camera.host
        body = sdp.session(self.media.camera, profile, host, media).encode()
        headers = {"Content-Type": "application/sdp", "Content-Base": req.base() + "/"}
        return headers, body

    async def do_setup(self, req: Request, session: Session | None) -> tuple[dict, bytes]:
        backchannel = self._require(req)
        token, control = req.target()
        profile = self.media.profile(token)
        if session is not None and session.profile != token:
            raise RtspError(455)
        backchannel = backchannel or (session is not None and session.backchannel)
        specs = {s.control: s for s in sdp.tracks(self.media.camera, profile, backchannel)}
        spec = specs.get(control or "") or (
            next(iter(specs.values())) if len(specs) == 1 and not control else None
        )
        if spec is None:
            raise RtspError(404)
        choice = self._transport(req.header("Transport"))
        if session is None:
            if len(self.media.sessions) >= self.media.max_sessions:
                raise RtspError(503)
            session = self.media.new_session(token, self)
            session.backchannel = backchannel
        if spec.control in session.tracks:
            session.tracks.pop(spec.control).close()
        try:
            track = await self._track(session, spec, *choice)
        except (RtspError, OSError) as exc:
            if not session.tracks:  # a session that never got a track does not outlive this
                self.media.release(session.id)
            raise exc if isinstance(exc, RtspError) else RtspError(503) from exc
        session.tracks[spec.control] = track
        headers = {
            "Transport": f"{track.transport.description};ssrc={track.ssrc:08X}",
            "Session": f"{session.id};timeout={int(session.timeout)}",
        }
        return headers, b""

    def _transport(self, value: str) -> tuple[str, dict[str, str]]:
        for proto, params in parse_transport(value):
            if proto in ("RTP/AVP/TCP",) and "multicast" not in params:
                return "tcp", params
            if proto in ("RTP/AVP", "RTP/AVP/UDP"):
                if "multicast" in params:
                    if self.media.multicast_enabled:
                        return "multicast", params
                    continue
                if "client_port" in params:
                    return "udp", params
        raise RtspError(461)

    async def _track(self, session: Session, spec, kind: str, params: dict) -> Track:
        source = self.media.source(spec)
        pt = self.media.payload_type(spec)
        if kind == "tcp":
            used = {
                c
                for t in session.tracks.values()
                if isinstance(t.transport, Interleaved)
                for c in t.transport.channels
            }
            if "interleaved" in params:
                channels = port_pair(params["interleaved"])
                if max(channels) > 255:
                    raise RtspError(461)
            else:
                first = next(c for c in range(0, 256, 2) if c not in used)
                channels = (first, first + 1)
            transport = Interleaved(self.send_interleaved, self.buffered, channels)
        elif kind == "multicast":
            return self.media.multicast_track(session, spec, source, pt)
        else:
            client = (self.peer, *port_pair(params["client_port"]))
            holder: list[Track] = []
            rtp, rtcp, port = await udp_pair(
                self.media.bind_host,
                lambda data, addr: self.media.udp_rtp(holder[0], session, data),
                lambda data, addr: self.media.rtcp(holder[0], session, data),
            )
            transport = Udp(rtp, rtcp, port, client)
            track = Track(spec, source, transport, pt)
            holder.append(track)
            return track
        return Track(spec, source, transport, pt)

    async def do_play(self, req: Request, session: Session) -> tuple[dict, bytes]:
        _, control = req.target()
        if not session.tracks:
            raise RtspError(455)
        if control and len(session.tracks) > 1:
            raise RtspError(460)
        session.play()
        self.media.playing(session)
        now = time.time()
        base = req.base()
        info = ",".join(
            f"url={base}/{t.spec.control};seq={t.seq};rtptime={t.rtp_time(time.monotonic())}"
            for t in session.tracks.values()
            if t.source is not None
        )
        clock = datetime.fromtimestamp(now, UTC).strftime("%Y%m%dT%H%M%S.%f")[:-3] + "Z"
        headers = {"Range": f"clock={clock}-"}
        if info:
            headers["RTP-Info"] = info
        return headers, b""

    async def do_pause(self, req: Request, session: Session) -> tuple[dict, bytes]:
        if session.state not in ("PLAYING", "READY"):
            raise RtspError(455)
        session.pause()
        return {}, b""

    async def do_teardown(self, req: Request, session: Session) -> tuple[dict, bytes]:
        self.media.release(session.id)
        return {}, b""

    async def do_get_parameter(self, req: Request, session) -> tuple[dict, bytes]:
        return self._parameters(req)

    async def do_set_parameter(self, req: Request, session) -> tuple[dict, bytes]:
        return self._parameters(req)

    def _parameters(self, req: Request) -> tuple[dict, bytes]:
        """Empty bodies are keep-alives; the simulator has no named parameters."""
        names = [n.strip() for n in req.body.decode("utf-8", "replace").splitlines() if n.strip()]
        if names:
            raise RtspError(451)
        return {}, b""


async def serve_stream(
    media: CameraMedia, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    """Serve one TCP connection of the RTSP port (plain RTSP, or an HTTP tunnel half)."""
    peer = (writer.get_extra_info("peername") or ("127.0.0.1",))[0]
    conn = None
    media.writers.add(writer)
    try:
        first = b""
        while len(first) < 4:  # enough to tell RTSP from an HTTP tunnel half
            more = await reader.read(65536)
            if not more:
                return
            first += more
        if first[:4] in (b"GET ", b"POST"):
            from simulator.media.tunnel import serve_raw

            await serve_raw(media, first, reader, writer, peer)
            return
        transport = writer.transport
        conn = Connection(media, writer.write, transport.get_write_buffer_size, peer)
        media.connections.add(conn)
        data = first
        while data:
            conn.feed(data)
            data = await reader.read(65536)
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        if conn is not None:
            conn.close()
            media.connections.discard(conn)
        media.writers.discard(writer)
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()
