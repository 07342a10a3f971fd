"""RTSP over HTTP on the RTSP port itself (the web port is covered in test_interop)."""

from __future__ import annotations

import asyncio
import base64

from . import clients


async def test_ffmpeg_and_gstreamer_tunnel_through_the_rtsp_port(media):
    streams = await clients.ffprobe(clients.url(media.port, "h264", auth=True), "http")
    assert streams[0]["codec_name"] == "h264" and int(streams[0]["nb_read_packets"]) > 0
    out = await clients.gst(clients.url(media.port, "pcmu", auth=True), "http", "audio")
    assert "audio/x-raw" in out


async def test_it_tunnels_split_base64_and_rejects_orphan_posts(open_media):
    reader, writer = await asyncio.open_connection("127.0.0.1", open_media.port)
    writer.write(
        b"GET /h264 HTTP/1.0\r\nx-sessioncookie: abc123\r\n"
        b"Accept: application/x-rtsp-tunnelled\r\n\r\n"
    )
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    assert head.startswith(b"HTTP/1.0 200") and b"application/x-rtsp-tunnelled" in head
    _, post = await asyncio.open_connection("127.0.0.1", open_media.port)
    post.write(
        b"POST /h264 HTTP/1.0\r\nx-sessioncookie: abc123\r\n"
        b"Content-Type: application/x-rtsp-tunnelled\r\nContent-Length: 32767\r\n\r\n"
    )
    request = base64.b64encode(b"OPTIONS rtsp://127.0.0.1/h264 RTSP/1.0\r\nCSeq: 7\r\n\r\n")
    for i in range(0, len(request), 5):  # base64 split at arbitrary places
        post.write(request[i : i + 5])
        await post.drain()
    reply = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    assert reply.startswith(b"RTSP/1.0 200 OK") and b"CSeq: 7" in reply
    post.close()
    writer.close()
    r2, w2 = await asyncio.open_connection("127.0.0.1", open_media.port)
    w2.write(b"POST /h264 HTTP/1.0\r\nx-sessioncookie: nosuch\r\n\r\n")
    assert (await asyncio.wait_for(r2.read(100), 5)).startswith(b"HTTP/1.0 404")
    w2.close()


async def test_the_post_body_may_come_after_the_headers(open_media):
    reader, writer = await asyncio.open_connection("127.0.0.1", open_media.port)
    writer.write(b"GET /h264 HTTP/1.0\r\nx-sessioncookie: late\r\n\r\n")
    await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    _, post = await asyncio.open_connection("127.0.0.1", open_media.port)
    post.write(b"POST /h264 HTTP/1.0\r\nx-sessioncookie: late\r\nContent-Length: 32767\r\n\r\n")
    await post.drain()
    await asyncio.sleep(0.2)  # the headers alone first
    post.write(base64.b64encode(b"OPTIONS rtsp://127.0.0.1/h264 RTSP/1.0\r\nCSeq: 3\r\n\r\n"))
    reply = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    assert reply.startswith(b"RTSP/1.0 200 OK") and b"CSeq: 3" in reply
    post.close()
    writer.close()
