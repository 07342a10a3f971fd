"""The snapshot URI: a JPEG of the current picture."""

from __future__ import annotations

import time

import aiohttp
import av

from simulator.media import overlay


async def test_it_serves_a_jpeg_of_the_current_picture(media, web_port):
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as http:
        async with http.get(f"http://127.0.0.1:{web_port}/snapshot/h264") as resp:
            assert resp.status == 200 and resp.content_type == "image/jpeg"
            jpeg = await resp.read()
        async with http.get(f"http://127.0.0.1:{web_port}/snapshot/nosuch") as resp:
            assert resp.status == 404
        async with http.get(f"http://127.0.0.1:{web_port}/snapshot/pcmu") as resp:
            assert resp.status == 404  # an audio-only profile has no picture
    frame = av.CodecContext.create("mjpeg", "r").decode(av.Packet(jpeg))[0]
    assert (frame.width, frame.height) == (640, 360)
    stamp = overlay.read_timecode(frame.to_ndarray(format="gray"))
    assert abs(overlay.unwrap_ms(stamp) - time.time() * 1000) < 5000


async def test_a_padded_snapshot_is_at_least_the_size_asked_and_still_a_jpeg(media, web_port):
    media.camera.quirks.snapshot_bytes = 3_000_000
    url = f"http://127.0.0.1:{web_port}/snapshot/h264"
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as http,
        http.get(url) as resp,
    ):
        assert resp.status == 200 and resp.content_type == "image/jpeg"
        assert resp.content_length is not None and resp.content_length >= 3_000_000
        jpeg = await resp.read()
    assert len(jpeg) == resp.content_length
    assert jpeg.startswith(b"\xff\xd8\xff\xfe") and jpeg.endswith(b"\xff\xd9")  # SOI, comments
    frame = av.CodecContext.create("mjpeg", "r").decode(av.Packet(jpeg))[0]
    assert (frame.width, frame.height) == (640, 360)
