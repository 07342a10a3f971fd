"""GetSnapshotUri: a JPEG of what the profile's video source shows right now."""

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


async def handle(media: CameraMedia, request: web.Request) -> web.StreamResponse:
    """aiohttp handler for GET /snapshot/{token}."""
    jpeg = await snapshot(media, request.match_info["token"])
    if jpeg is None:
        raise web.HTTPNotFound()
    return web.Response(body=jpeg, content_type="image/jpeg", headers={"Cache-Control": "no-store"})
