"""RTSP over HTTP (clause 10.3.7, the Apple scheme): a GET connection carries the server's
RTSP responses and RTP, a POST connection with the same x-sessioncookie carries the client's
base64-encoded RTSP requests. Served on the RTSP port (raw) and through aiohttp on the web port.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
from typing import TYPE_CHECKING

from aiohttp import web

from simulator.media.rtsp import Connection

if TYPE_CHECKING:
    from simulator.media.hub import CameraMedia

CONTENT_TYPE = "application/x-rtsp-tunnelled"
HEADERS = {"Cache-Control": "no-store", "Pragma": "no-cache", "Content-Type": CONTENT_TYPE}
READ_TIMEOUT = 300.0


class TunnelResponse(web.StreamResponse):
    """A response body of unknown length sent as is (no chunking), like WebSocketResponse does:
    RTSP clients read the GET body as a raw byte stream."""

    _length_check = False


class Base64Feeder:
    """Decodes a base64 stream that may be split anywhere and feeds the RTSP connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn, self.rest = conn, b""

    def feed(self, data: bytes) -> bool:
        data = self.rest + b"".join(data.split())
        cut = len(data) - len(data) % 4
        self.rest = data[cut:]
        try:
            decoded = base64.b64decode(data[:cut], validate=True)
        except binascii.Error:
            return False
        if decoded:
            self.conn.feed(decoded)
        return True


def _parse_head(data: bytes) -> tuple[str, dict[str, str], bytes]:
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return lines[0].split(" ")[0], headers, rest


async def serve_raw(media: CameraMedia, first: bytes, reader: asyncio.StreamReader,
                    writer: asyncio.StreamWriter, peer: str) -> None:  # fmt: skip
    """One half of a tunnel arriving on the RTSP port."""
    data = first
    while b"\r\n\r\n" not in data:
        more = await asyncio.wait_for(reader.read(4096), READ_TIMEOUT)
        if not more or len(data) > 65536:
            return
        data += more
    method, headers, rest = _parse_head(data)
    cookie = headers.get("x-sessioncookie", "")
    if not cookie:
        writer.write(b"HTTP/1.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        return
    if method == "GET":
        head = "".join(f"{k}: {v}\r\n" for k, v in HEADERS.items())
        writer.write(f"HTTP/1.0 200 OK\r\nConnection: close\r\n{head}\r\n".encode())
        conn = Connection(media, writer.write, writer.transport.get_write_buffer_size, peer)
        media.tunnels[cookie] = conn
        media.connections.add(conn)
        try:
            while await reader.read(4096):
                pass
        finally:
            conn.close()
            media.connections.discard(conn)
            if media.tunnels.get(cookie) is conn:
                del media.tunnels[cookie]
        return
    conn = media.tunnels.get(cookie)
    if method != "POST" or conn is None:
        writer.write(b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        return
    feeder = Base64Feeder(conn)
    while True:  # the body may or may not have come with the headers
        if rest and not feeder.feed(rest):
            return
        rest = await reader.read(4096)
        if not rest:
            return


async def handle(media: CameraMedia, request: web.Request) -> web.StreamResponse:
    """aiohttp handler for GET and POST /rtsp-over-http/{token} on the camera's web port."""
    cookie = request.headers.get("x-sessioncookie", "")
    if not cookie:
        raise web.HTTPBadRequest(text="x-sessioncookie missing")
    if request.method == "POST":
        conn = media.tunnels.get(cookie)
        if conn is None:
            raise web.HTTPNotFound()
        feeder = Base64Feeder(conn)
        async for chunk in request.content.iter_any():
            if not feeder.feed(chunk):
                raise web.HTTPBadRequest(text="bad base64")
        return web.Response(status=200)
    if request.method != "GET":
        raise web.HTTPMethodNotAllowed(request.method, ["GET", "POST"])
    resp = TunnelResponse(status=200, headers=HEADERS)
    resp.force_close()
    await resp.prepare(request)
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    pending = [0]

    def write(data: bytes) -> None:
        pending[0] += len(data)
        queue.put_nowait(data)

    peer = request.remote or "127.0.0.1"
    conn = Connection(media, write, lambda: pending[0], peer)
    media.tunnels[cookie] = conn
    media.connections.add(conn)
    try:
        while request.transport is not None and not request.transport.is_closing():
            with contextlib.suppress(TimeoutError):
                data = await asyncio.wait_for(queue.get(), 0.5)
                pending[0] -= len(data)
                await resp.write(data)
    except (ConnectionError, RuntimeError):
        pass
    finally:
        conn.close()
        media.connections.discard(conn)
        if media.tunnels.get(cookie) is conn:
            del media.tunnels[cookie]
    return resp
