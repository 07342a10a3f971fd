"""The ONVIF audio back channel (Require: www.onvif.org/ver20/backchannel): a small RTSP
client that sets up the camera's receive-only audio track over TCP and sends G.711 RTP.

FFmpeg does not speak the back channel, so this is done here: DESCRIBE (with Digest),
SETUP interleaved, PLAY, RTP in `$`-framed packets, GET_PARAMETER keep-alives, TEARDOWN.
The first DESCRIBE goes without credentials; the camera's challenge says how to answer:
Digest, or Basic (the password in clear) only when the device allows plain-text passwords.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import os
import re
import struct
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from cameras.media.rtsp_auth import (
    DEFAULT_PORT,
    Credentials,
    Scheme,
    StreamRefused,
    choose,
    offered,
    split_credentials,
)

REQUIRE = "www.onvif.org/ver20/backchannel"
TIMEOUT = 5.0
KEEPALIVE = 20.0
MAX_BODY = 1 << 20  # an SDP is a few KiB; more is not read
NO_BACKCHANNEL = "The camera has no G.711 audio back channel (loudspeaker) on this stream."


class BackchannelError(Exception):
    """The camera has no back channel on this stream, or refused it; the message says why."""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    challenges: list[str]  # every WWW-Authenticate value


def _digest(challenge: str, method: str, uri: str, user: str, password: str, count: int) -> str:
    fields = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge))
    realm, nonce = fields.get("realm", ""), fields.get("nonce", "")
    ha1 = hashlib.md5(f"{user}:{realm}:{password}".encode()).hexdigest()
    ha2 = hashlib.md5(f"{method}:{uri}".encode()).hexdigest()
    if "auth" in fields.get("qop", ""):
        cnonce = os.urandom(8).hex()
        nc = f"{count:08x}"
        answer = hashlib.md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}".encode()).hexdigest()
        extra = f', qop=auth, nc={nc}, cnonce="{cnonce}"'
    else:
        answer = hashlib.md5(f"{ha1}:{nonce}:{ha2}".encode()).hexdigest()
        extra = ""
    return (
        f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
        f'response="{answer}"{extra}'
    )


class Backchannel:
    def __init__(self, url: str, credentials: Credentials | None = None) -> None:
        url, in_url = split_credentials(url)
        self.credentials = credentials or in_url or Credentials("", "")
        self.user, self.password = self.credentials.username, self.credentials.password
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "", parts.port or DEFAULT_PORT
        self.where = (
            f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"
        )
        self.url = urlunsplit((parts.scheme, self.where, parts.path, parts.query, ""))
        self.cseq = 0
        self.session = ""
        self.challenge = ""
        self.scheme = Scheme.NONE
        self.nonce_count = 0
        self.payload_type = 0
        self.seq, self.timestamp, self.ssrc = 0, 0, struct.unpack(">I", os.urandom(4))[0]
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.keepalive: asyncio.Task[None] | None = None
        self.lock = asyncio.Lock()

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.wait_for(
            asyncio.open_connection(self.host, self.port), TIMEOUT
        )
        described = await self.request("DESCRIBE", self.url, {"Accept": "application/sdp"})
        control, self.payload_type = self._backchannel_track(described.body)
        base = described.headers.get("content-base", self.url)
        track = (
            control if control.startswith("rtsp://") else urljoin(base.rstrip("/") + "/", control)
        )
        transport = "RTP/AVP/TCP;unicast;interleaved=0-1"
        setup = await self.request("SETUP", track, {"Transport": transport})
        self.session = setup.headers.get("session", "").split(";")[0]
        await self.request("PLAY", self.url, {"Range": "npt=0-"})
        self.keepalive = asyncio.create_task(self._keep_alive())

    def _backchannel_track(self, sdp: str) -> tuple[str, int]:
        # Directions are the client's (ONVIF Streaming 5.3): the back channel is "sendonly".
        for section in sdp.split("m=")[1:]:
            if section.startswith("audio") and "a=sendonly" in section:
                control = re.search(r"a=control:(\S+)", section)
                payload = int(section.split()[3]) if len(section.split()) > 3 else 0
                if control and payload in (0, 8):
                    return control.group(1), payload
        raise BackchannelError(NO_BACKCHANNEL)

    async def request(self, method: str, uri: str, headers: dict[str, str]) -> Response:
        async with self.lock:
            for _ in range(2):
                response = await self._send(method, uri, headers)
                if response.status == 401 and self.user and not self.challenge:
                    challenges = response.challenges
                    try:
                        self.scheme = choose(offered(challenges), self.credentials)
                    except StreamRefused as exc:
                        raise BackchannelError(str(exc)) from None
                    wanted = self.scheme.value
                    self.challenge = next(
                        (c for c in challenges if c.lower().startswith(wanted)), challenges[0]
                    )
                    continue
                if response.status == 551:  # Option not supported: no back channel here
                    raise BackchannelError(NO_BACKCHANNEL)
                if response.status != 200:
                    raise BackchannelError(
                        f"The camera answered {method} with RTSP {response.status}."
                    )
                return response
            raise BackchannelError("The camera refused the credentials for its back channel.")

    async def _send(self, method: str, uri: str, headers: dict[str, str]) -> Response:
        assert self.reader is not None and self.writer is not None
        self.cseq += 1
        lines = [f"{method} {uri} RTSP/1.0", f"CSeq: {self.cseq}", f"Require: {REQUIRE}",
                 "User-Agent: VMS gateway"]  # fmt: skip
        if self.session:
            lines.append(f"Session: {self.session}")
        if self.scheme == Scheme.BASIC:
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            lines.append(f"Authorization: Basic {token}")
        elif self.scheme == Scheme.DIGEST:
            self.nonce_count += 1
            count = self.nonce_count
            lines.append(
                "Authorization: "
                + _digest(self.challenge, method, uri, self.user, self.password, count)
            )
        lines += [f"{k}: {v}" for k, v in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await self.writer.drain()
        return await asyncio.wait_for(self._read_response(), TIMEOUT)

    async def _read_response(self) -> Response:
        assert self.reader is not None
        while True:
            first = await self.reader.readexactly(1)
            if first == b"$":  # an interleaved RTCP packet from the camera: skip it
                header = await self.reader.readexactly(3)
                await self.reader.readexactly(struct.unpack(">H", header[1:])[0])
                continue
            status_line = (first + await self.reader.readline()).decode(errors="replace")
            break
        headers: dict[str, str] = {}
        challenges: list[str] = []
        while line := (await self.reader.readline()).decode(errors="replace").strip():
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
            if name.strip().lower() == "www-authenticate":
                challenges.append(value.strip())
        length_text = headers.get("content-length", "0") or "0"
        length = int(length_text) if length_text.isdigit() else -1
        if not 0 <= length <= MAX_BODY:
            raise BackchannelError("The camera's RTSP answer is too large for an SDP.")
        body = (await self.reader.readexactly(length)).decode(errors="replace") if length else ""
        fields = status_line.split()
        if len(fields) < 2 or not fields[1].isdigit():
            raise BackchannelError("The camera's RTSP port does not answer in RTSP.")
        return Response(int(fields[1]), headers, body, challenges)

    def send(self, payload: bytes) -> None:
        """One RTP packet of G.711 samples (8 kHz: the timestamp advances by the byte count)."""
        if self.writer is None or self.writer.is_closing():
            return
        header = struct.pack(">BBHII", 0x80, self.payload_type, self.seq & 0xFFFF,
                             self.timestamp & 0xFFFFFFFF, self.ssrc)  # fmt: skip
        self.seq += 1
        self.timestamp += len(payload)
        rtp = header + payload
        self.writer.write(b"$\x00" + struct.pack(">H", len(rtp)) + rtp)

    async def _keep_alive(self) -> None:
        with contextlib.suppress(
            BackchannelError, OSError, asyncio.IncompleteReadError, TimeoutError
        ):
            while True:
                await asyncio.sleep(KEEPALIVE)
                await self.request("GET_PARAMETER", self.url, {})

    async def close(self) -> None:
        if self.keepalive is not None:
            self.keepalive.cancel()
        if self.writer is not None and not self.writer.is_closing():
            with contextlib.suppress(
                BackchannelError, OSError, asyncio.IncompleteReadError, TimeoutError
            ):
                await self.request("TEARDOWN", self.url, {})
            self.writer.close()
