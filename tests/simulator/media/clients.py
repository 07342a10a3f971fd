"""Real RTSP clients for the tests: ffprobe, gst-launch-1.0 (rtspsrc), PyAV, and a raw client.

The server runs on the test's event loop, so blocking clients run in subprocesses or threads.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re
import struct
from dataclasses import dataclass, field

import av
import numpy as np

TIMEOUT = 30.0
USER, PASSWORD = "admin", "admin"


def url(port: int, token: str, auth: bool = False, path: str = "", query: str = "") -> str:
    cred = f"{USER}:{PASSWORD}@" if auth else ""
    return f"rtsp://{cred}127.0.0.1:{port}/{path}{token}{query}"


async def run(*argv: str, timeout: float = TIMEOUT) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")


async def ffprobe(rtsp_url: str, transport: str) -> list[dict]:
    """The streams ffprobe finds, after reading a few packets of each."""
    code, out, err = await run(
        "ffprobe",
        "-v",
        "error",
        "-rtsp_transport",
        transport,
        "-timeout",
        "10000000",
        "-analyzeduration",
        "2000000",
        "-show_streams",
        "-count_packets",
        "-read_intervals",
        "%+2",
        "-of",
        "json",
        rtsp_url,
    )
    assert code == 0, err
    return json.loads(out)["streams"]


GST_DECODERS = {
    "video": "decodebin ! fakesink",
    "audio": "decodebin ! fakesink",
    "metadata": "fakesink",
}


async def gst(rtsp_url: str, protocols: str, kind: str, buffers: int = 5) -> str:
    """Run rtspsrc until ``buffers`` buffers reached the sink; returns how many did.

    gst-launch sometimes reports an error while it shuts the pipeline down at EOS (rtspsrc's
    PAUSE races with its own connection flush), so success is judged on the buffers and the EOS.
    Returns gst-launch's verbose output (negotiated caps included).
    """
    location = rtsp_url
    creds: list[str] = []
    m = re.match(r"rtsp://([^:]+):([^@]+)@(.*)", rtsp_url)
    if m:
        location, creds = "rtsp://" + m.group(3), [f"user-id={m.group(1)}", f"user-pw={m.group(2)}"]
    if protocols == "http":
        location = location.replace("rtsp://", "rtsph://", 1)
        protocols = "tcp"
    sink = GST_DECODERS[kind].replace("fakesink", f"fakesink silent=false num-buffers={buffers}")
    code, out, err = await run(
        "gst-launch-1.0",
        "-v",
        "rtspsrc",
        f"location={location}",
        f"protocols={protocols}",
        "latency=0",
        "timeout=10000000",
        *creds,
        "!",
        *sink.split(),
    )
    chained = len(re.findall(r"last-message = chain", out))
    assert chained >= buffers and "Got EOS from element" in out, (code, out[-3000:], err)
    return out


def _pyav(rtsp_url: str, transport: str, count: int) -> tuple[dict, list]:
    with av.open(
        rtsp_url, options={"rtsp_transport": transport, "timeout": "10000000"}, timeout=10
    ) as container:
        info = {
            s.index: (s.type, s.codec_context and s.codec_context.name) for s in container.streams
        }
        frames: list = []
        for packet in container.demux():
            if packet.stream.type in ("video", "audio"):
                frames += packet.decode()
            elif packet.stream.type == "data" and packet.size:
                frames.append(bytes(packet))
            if len(frames) >= count:
                break
        return info, frames


async def pyav(rtsp_url: str, transport: str = "tcp", count: int = 3) -> tuple[dict, list]:
    return await asyncio.wait_for(asyncio.to_thread(_pyav, rtsp_url, transport, count), TIMEOUT)


async def picture(rtsp_url: str, skip: int = 2) -> np.ndarray:
    """The Y plane of a decoded frame (after ``skip`` frames) of a live H.264 stream."""
    _, frames = await pyav(rtsp_url, "tcp", skip + 1)
    frame = frames[-1]
    return frame.to_ndarray(format="gray")


# -- raw client -----------------------------------------------------------------------------------
@dataclass
class Reply:
    code: int
    headers: dict[str, str]
    body: bytes = b""
    interleaved: list[tuple[int, bytes]] = field(default_factory=list)

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


class RtspClient:
    """A minimal RTSP client on a real socket, with Digest authentication."""

    def __init__(self, port: int, user: str | None = USER, password: str = PASSWORD) -> None:
        self.port, self.user, self.password = port, user, password
        self.cseq = 0
        self.challenge: dict[str, str] | None = None
        self.nc = 0
        self.session = ""
        self.packets: list[tuple[int, bytes]] = []

    async def __aenter__(self) -> RtspClient:
        self.reader, self.writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", self.port), 5
        )
        return self

    async def __aexit__(self, *exc) -> None:
        self.writer.close()

    def url(self, path: str) -> str:
        return f"rtsp://127.0.0.1:{self.port}/{path}"

    def _authorization(self, method: str, uri: str) -> str:
        ch = self.challenge or {}
        self.nc += 1
        nc, cnonce = f"{self.nc:08x}", "0a4f113b"
        ha1 = hashlib.md5(f"{self.user}:{ch['realm']}:{self.password}".encode()).hexdigest()
        ha2 = hashlib.md5(f"{method}:{uri}".encode()).hexdigest()
        resp = hashlib.md5(f"{ha1}:{ch['nonce']}:{nc}:{cnonce}:auth:{ha2}".encode()).hexdigest()
        return (
            f'Digest username="{self.user}", realm="{ch["realm"]}", nonce="{ch["nonce"]}", '
            f'uri="{uri}", response="{resp}", qop=auth, nc={nc}, cnonce="{cnonce}"'
        )

    async def request(
        self,
        method: str,
        path: str,
        headers: dict | None = None,
        body: bytes = b"",
        raw: bytes | None = None,
    ) -> Reply:
        uri = path if path.startswith("rtsp://") else self.url(path)
        for _ in range(2):
            self.cseq += 1
            h = {"CSeq": str(self.cseq), **(headers or {})}
            if self.session and "Session" not in h:
                h["Session"] = self.session
            if self.challenge and self.user:
                h["Authorization"] = self._authorization(method, uri)
            if body:
                h["Content-Length"] = str(len(body))
            head = f"{method} {uri} RTSP/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items())
            self.writer.write(raw if raw is not None else head.encode() + b"\r\n" + body)
            reply = await self.read_reply()
            if reply.code == 401 and self.user and self.challenge is None and raw is None:
                fields = re.findall(r'(\w+)="([^"]*)"', reply.header("WWW-Authenticate"))
                self.challenge = dict(fields)
                continue
            return reply
        return reply

    async def read_reply(self, timeout: float = 10.0) -> Reply:
        async def read() -> Reply:
            interleaved = []
            while True:
                first = await self.reader.readexactly(1)
                if first == b"$":
                    ch, size = struct.unpack(">BH", await self.reader.readexactly(3))
                    interleaved.append((ch, await self.reader.readexactly(size)))
                    continue
                head = first + await self.reader.readuntil(b"\r\n\r\n")
                lines = head.decode().split("\r\n")
                headers = {}
                for line in lines[1:]:
                    k, _, v = line.partition(":")
                    if k:
                        headers[k.strip().lower()] = v.strip()
                body = await self.reader.readexactly(int(headers.get("content-length", 0)))
                self.packets += interleaved
                return Reply(int(lines[0].split(" ")[1]), headers, body, interleaved)

        return await asyncio.wait_for(read(), timeout)

    async def read_interleaved(self, count: int, timeout: float = 10.0) -> list[tuple[int, bytes]]:
        async def read() -> list[tuple[int, bytes]]:
            out = []
            while len(out) < count:
                assert await self.reader.readexactly(1) == b"$"
                ch, size = struct.unpack(">BH", await self.reader.readexactly(3))
                out.append((ch, await self.reader.readexactly(size)))
            return out

        return await asyncio.wait_for(read(), timeout)

    async def play_tcp(self, token: str, headers: dict | None = None) -> Reply:
        """DESCRIBE, SETUP every track interleaved, PLAY; returns the DESCRIBE reply."""
        desc = await self.request(
            "DESCRIBE", token, {"Accept": "application/sdp", **(headers or {})}
        )
        assert desc.code == 200, desc
        controls = re.findall(r"a=control:(trackID=\d+)", desc.body.decode())
        for i, control in enumerate(controls):
            reply = await self.request(
                "SETUP",
                f"{token}/{control}",
                {
                    "Transport": f"RTP/AVP/TCP;unicast;interleaved={2 * i}-{2 * i + 1}",
                    **(headers or {}),
                },
            )
            assert reply.code == 200, reply
            self.session = reply.header("Session").split(";")[0]
        reply = await self.request("PLAY", token, {"Range": "npt=0.000-", **(headers or {})})
        assert reply.code == 200, reply
        return desc


def rtp_header(packet: bytes) -> tuple[int, bool, int, int, int, bytes, bytes]:
    """(payload type, marker, sequence, timestamp, ssrc, extension, payload) of an RTP packet."""
    pt, marker = packet[1] & 0x7F, bool(packet[1] & 0x80)
    seq, ts, ssrc = struct.unpack_from(">HII", packet, 2)
    pos, ext = 12 + 4 * (packet[0] & 0x0F), b""
    if packet[0] & 0x10:
        words = struct.unpack_from(">H", packet, pos + 2)[0]
        ext = packet[pos : pos + 4 + 4 * words]
        pos += 4 + 4 * words
    return pt, marker, seq, ts, ssrc, ext, packet[pos:]


def b64(data: bytes) -> bytes:
    return base64.b64encode(data)
