"""GetSnapshotUri: a JPEG of what the profile's video source shows right now.

The ``snapshot_bytes`` quirk pads the JPEG with comment segments (COM, which decoders skip)
right after its start marker until the answer has at least that many bytes, like a camera
whose snapshots are far too large. The padding is written in chunks, never held whole.
"""

from __future__ import annotations

import asyncio
import time
from fractions import Fraction
from typing import TYPE_CHECKING

import av
from aiohttp import web

from simulator.media.render import Renderer

if TYPE_CHECKING:
    from simulator.media.hub import CameraMedia


def encode_jpeg(buf, width: int, height: int, quality: int = 4) -> bytes:
    ctx = av.CodecContext.create("mjpeg", "w")
    ctx.width, ctx.height, ctx.pix_fmt = width, height, "yuvj420p"
    ctx.time_base = Fraction(1, 25)
    ctx.qmin = ctx.qmax = quality
    frame = av.VideoFrame.from_ndarray(buf, format="yuvj420p")
    frame.pts = 0
    return b"".join(bytes(p) for p in ctx.encode(frame)) + b"".join(
        bytes(p) for p in ctx.encode(None)
    )


async def snapshot(media: CameraMedia, profile_token: str) -> bytes | None:
    """The JPEG, at the video encoder configuration's resolution; None if there is no video."""
    camera = media.camera
    profile = camera.profile(profile_token)
    if profile is None:
        return None
    vsc = camera.profile_config(profile, "VideoSource")
    enc = camera.profile_config(profile, "VideoEncoder")
    source = camera.video_source(vsc.source) if vsc is not None else None
    if source is None:
        return None
    width = (enc.width if enc is not None and enc.width else source.width) // 2 * 2
    height = (enc.height if enc is not None and enc.height else source.height) // 2 * 2
    renderer = Renderer(camera, source, lambda: media.panorama(source))

    def work() -> bytes:
        return encode_jpeg(renderer.render(width, height, time.time()), width, height)

    return await asyncio.to_thread(work)


COMMENT = b"\xff\xfe\xff\xff" + bytes(0xFFFF - 2)  # one COM segment of the largest size
CHUNK_SEGMENTS = 16  # COM segments per write (about 1 MiB)


def padding_segments(jpeg_size: int, wanted: int) -> int:
    """How many COM segments make a JPEG of `jpeg_size` bytes at least `wanted` bytes long."""
    missing = wanted - jpeg_size
    return max(0, -(-missing // len(COMMENT)))


async def handle(media: CameraMedia, request: web.Request) -> web.StreamResponse:
    """aiohttp handler for GET /snapshot/{token}."""
    jpeg = await snapshot(media, request.match_info["token"])
    if jpeg is None:
        raise web.HTTPNotFound()
    headers = {"Cache-Control": "no-store"}
    segments = padding_segments(len(jpeg), media.camera.quirks.snapshot_bytes)
    if not segments:
        return web.Response(body=jpeg, content_type="image/jpeg", headers=headers)
    response = web.StreamResponse(headers={**headers, "Content-Type": "image/jpeg"})
    response.content_length = len(jpeg) + segments * len(COMMENT)
    await response.prepare(request)
    chunk = COMMENT * CHUNK_SEGMENTS
    try:
        await response.write(jpeg[:2])  # SOI
        while segments:
            count = min(segments, CHUNK_SEGMENTS)
            await response.write(chunk if count == CHUNK_SEGMENTS else COMMENT * count)
            segments -= count
        await response.write(jpeg[2:])
        await response.write_eof()
    except ConnectionError:  # the client stopped reading (as it should, at its limit)
        pass
    return response
