"""JPEG over RTP (RFC 2435) and the ONVIF JPEG header extension above 2040 pixels."""

from __future__ import annotations

import struct
from fractions import Fraction

import av
import numpy as np
import pytest

from simulator.media import rtp_jpeg
from simulator.media.render import Renderer
from simulator.media.scene import Panorama

from . import clients, onvif_jpeg
from .conftest import make_camera


def encode(width: int, height: int) -> bytes:
    camera = make_camera()
    pano = Panorama("test", 1280, 720)
    buf = Renderer(camera, camera.video_sources[0], lambda: pano).render(width, height)
    ctx = av.CodecContext.create("mjpeg", "w")
    ctx.width, ctx.height, ctx.pix_fmt, ctx.time_base = width, height, "yuvj420p", Fraction(1, 5)
    ctx.options = {"huffman": "default", "force_duplicated_matrix": "1"}
    frame = av.VideoFrame.from_ndarray(buf, format="yuvj420p")
    return b"".join(bytes(p) for p in ctx.encode(frame)) + b"".join(
        bytes(p) for p in ctx.encode(None)
    )


def as_rtp(payloads) -> list[bytes]:
    out = []
    for seq, (payload, marker, ext) in enumerate(payloads):
        first = 0x90 if ext else 0x80
        out.append(
            struct.pack(">BBHII", first, (0x80 if marker else 0) | 26, seq, 0, 1)
            + (ext or b"")
            + payload
        )
    return out


@pytest.fixture(scope="module")
def dht() -> bytes:
    return onvif_jpeg.standard_dht()


def test_it_sends_plain_rfc2435_up_to_2040_pixels(dht):
    jpeg = encode(640, 360)
    payloads, key = rtp_jpeg.JpegPacketizer().packetize(jpeg)
    assert key and len(payloads) > 1
    assert all(ext is None for _, _, ext in payloads)
    assert [m for _, m, _ in payloads] == [False] * (len(payloads) - 1) + [True]
    first = payloads[0][0]
    assert first[4] & 0x3F == 1  # 4:2:0 (+64 when FFmpeg's slice threads add restart markers)
    assert first[5:8] == bytes([255, 80, 45])  # Q=255 (tables inline), 640/8, 360/8
    qt_at = 12 if first[4] >= 64 else 8  # after the restart marker header, if any
    assert struct.unpack_from(">BBH", first, qt_at) == (0, 0, 128)  # two 8-bit tables
    assert all(p[4:8] == first[4:8] and p[1:4] != b"\x00\x00\x00" for p, _, _ in payloads[1:])
    rebuilt, info = onvif_jpeg.reassemble(as_rtp(payloads), dht)
    assert info["extensions"] == [] and info["header_size"] == (640, 360)
    original = onvif_jpeg.decode(jpeg)
    assert np.array_equal(onvif_jpeg.decode(rebuilt), original)


def test_it_carries_the_picture_size_in_the_onvif_extension_above_2040_pixels(dht):
    jpeg = encode(2560, 1440)
    payloads, _ = rtp_jpeg.JpegPacketizer().packetize(jpeg)
    first, _, ext = payloads[0]
    assert first[6:8] == b"\x00\x00"  # width and height unknown to RFC 2435
    assert ext is not None and ext[:2] == b"\xff\xd8"
    assert (struct.unpack_from(">H", ext, 2)[0] + 1) * 4 == len(ext)
    assert all(e is None for _, _, e in payloads[1:])
    assert all(p[1:4] != b"\x00\x00\x00" for p, _, _ in payloads[1:])  # offsets as without ext
    rebuilt, info = onvif_jpeg.reassemble(as_rtp(payloads), dht)
    assert info["extensions"] == [(0, 0xFFD8)]
    picture = onvif_jpeg.decode(rebuilt)
    assert picture.shape == (1440, 2560)
    assert np.array_equal(picture, onvif_jpeg.decode(jpeg))


def test_it_rejects_what_rfc2435_cannot_carry():
    with pytest.raises(rtp_jpeg.JpegError):
        rtp_jpeg.parse(b"\x89PNG\r\n")


async def test_it_streams_a_2560x1440_jpeg_that_decodes(open_media, dht):
    async with clients.RtspClient(open_media.port, user=None) as client:
        desc = await client.play_tcp("big")
        assert "a=x-dimensions:2560,1440" in desc.body.decode()
        frame: list[bytes] = []
        started = False
        while True:
            [(_, packet)] = await client.read_interleaved(1)
            if len(packet) < 12 or packet[1] & 0x7F != 26:
                continue  # RTCP
            started = started or bool(packet[0] & 0x10)  # the first packet of a frame
            if started:
                frame.append(packet)
                if packet[1] & 0x80:
                    break
        rebuilt, info = onvif_jpeg.reassemble(frame, dht)
        assert info["extensions"] == [(0, 0xFFD8)] and info["marker_last"]
        assert onvif_jpeg.decode(rebuilt).shape == (1440, 2560)


async def test_gstreamer_decodes_the_2560x1440_jpeg_stream(open_media):
    out = await clients.gst(clients.url(open_media.port, "big"), "tcp", "video", buffers=2)
    assert "width=(int)2560, height=(int)1440" in out
