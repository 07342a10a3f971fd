"""The ``soap_bytes`` quirk: SOAP answers padded to at least that many bytes, like a camera
that answers with megabytes (a firmware fault, or worse), so clients can be tested for caps.

The padding is one XML comment after the XML declaration: the answer stays the same
document to any parser that reads it whole. It is written in chunks, never held whole, so a
padded answer of any size costs the simulator little memory.
"""

from __future__ import annotations

from aiohttp import web

from simulator.camera import Camera

OPEN, CLOSE = b"<!--", b"-->"
CHUNK = b" " * (1 << 20)


def split(payload: bytes, wanted: int) -> tuple[bytes, int, bytes]:
    """(what goes before the comment, the comment's filler size, what goes after it) for a
    `payload` padded to at least `wanted` bytes; filler 0 and no comment if it is that big."""
    missing = wanted - len(payload)
    if missing <= 0:
        return payload, 0, b""
    declaration = payload.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml")
    end = payload.find(b"?>") + 2 if declaration else 0
    return payload[:end], max(0, missing - len(OPEN) - len(CLOSE)), payload[end:]


async def padded(
    request: web.Request, camera: Camera, response: web.StreamResponse, *, chunked: bool = False
) -> web.StreamResponse:
    """`response` (a SOAP answer), streamed with its padding if the quirk asks for it;
    `chunked`: without a Content-Length, so a client learns the size only by reading."""
    body = response.body if isinstance(response, web.Response) else None
    wanted = camera.quirks.soap_bytes
    if not isinstance(body, bytes) or len(body) >= wanted:
        return response
    head, filler, tail = split(body, wanted)
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    stream = web.StreamResponse(status=response.status, headers=headers)
    if chunked:
        stream.enable_chunked_encoding()
    else:
        stream.content_length = len(head) + len(OPEN) + filler + len(CLOSE) + len(tail)
    await stream.prepare(request)
    try:
        await stream.write(head + OPEN)
        while filler:
            size = min(filler, len(CHUNK))
            await stream.write(CHUNK if size == len(CHUNK) else CHUNK[:size])
            filler -= size
        await stream.write(CLOSE + tail)
        await stream.write_eof()
    except ConnectionError:  # the client stopped reading (as it should, at its limit)
        pass
    return stream
