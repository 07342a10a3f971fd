"""ffprobe, GStreamer's rtspsrc and PyAV open every stream kind over UDP, TCP and the HTTP
tunnel, with and without authentication."""

from __future__ import annotations

import asyncio

import pytest

from . import clients

STREAMS = {
    "h264": "video",
    "h265": "video",
    "jpeg": "video",
    "pcmu": "audio",
    "pcma": "audio",
    "aac": "audio",
    "meta": "metadata",
}
CODECS = {
    "h264": "h264",
    "h265": "hevc",
    "jpeg": "mjpeg",
    "pcmu": "pcm_mulaw",
    "pcma": "pcm_alaw",
    "aac": "aac",
}
TRANSPORTS = ("udp", "tcp", "http")


def target(port: int, web: int, token: str, transport: str, auth: bool) -> str:
    """HTTP tunnel over the web port (``rtsp-over-http/<token>``); the rest on the RTSP port."""
    if transport == "http":
        return clients.url(web, token, auth, path="rtsp-over-http/")
    return clients.url(port, token, auth)


async def check_ffprobe(port, web, transport, auth) -> None:
    async def one(token: str) -> None:
        streams = await clients.ffprobe(target(port, web, token, transport, auth), transport)
        assert len(streams) == 1, streams
        s = streams[0]
        if token == "meta":
            assert s["codec_type"] == "data"
        else:
            assert s["codec_name"] == CODECS[token]
        assert int(s["nb_read_packets"]) > 0, s
        if STREAMS[token] == "video":
            assert (s["width"], s["height"]) == (640, 360)

    await asyncio.gather(*(one(t) for t in STREAMS))


GST_CAPS = {
    "h264": "video/x-raw, format=(string)I420, width=(int)640, height=(int)360",
    "h265": "video/x-raw, format=(string)I420, width=(int)640, height=(int)360",
    "jpeg": "width=(int)640, height=(int)360",
    "pcmu": "audio/x-raw",
    "pcma": "audio/x-raw",
    "aac": "audio/x-raw",
    "meta": "encoding-name=(string)VND.ONVIF.METADATA",
}


async def check_gst(port, web, transport, auth) -> None:
    async def one(token: str) -> None:
        out = await clients.gst(
            target(port, web, token, transport, auth), transport, STREAMS[token]
        )
        assert GST_CAPS[token] in out, out[-2000:]

    await asyncio.gather(*(one(t) for t in STREAMS))


async def check_pyav(port, web, transport, auth) -> None:
    async def one(token: str) -> None:
        info, frames = await clients.pyav(target(port, web, token, transport, auth), transport)
        assert len(frames) >= 3
        if token == "meta":
            assert next(iter(info.values()))[0] == "data"
            assert b"tt:MetadataStream" in b"".join(frames)
        else:
            assert next(iter(info.values()))[1] == CODECS[token]

    await asyncio.gather(*(one(t) for t in STREAMS))


CHECKS = {"ffprobe": check_ffprobe, "gst": check_gst, "pyav": check_pyav}


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("client", CHECKS)
async def test_it_streams_everything_with_digest_auth(media, web_port, client, transport):
    await CHECKS[client](media.port, web_port, transport, True)


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("client", CHECKS)
async def test_it_streams_everything_without_auth(open_media, open_web_port, client, transport):
    await CHECKS[client](open_media.port, open_web_port, transport, False)
