"""Video encoding: GOP length, SetSynchronizationPoint, configuration changes while streaming."""

from __future__ import annotations

import asyncio
import itertools
import struct

import av

from simulator.media.encoder import VideoParams, open_encoder

from . import clients
from .rtp_receive import access_units


def nal_type(payload: bytes) -> int:
    kind = payload[0] & 0x1F
    return payload[1] & 0x1F if kind == 28 else kind  # FU-A: the fragmented unit's type


async def read_units(client, seconds: float) -> list[tuple[float, bool]]:
    """(arrival time, is IDR) of each access unit received for ``seconds``."""
    loop = asyncio.get_running_loop()
    out, key, end = [], False, loop.time() + seconds
    while loop.time() < end:
        [(channel, packet)] = await client.read_interleaved(1)
        if channel == 0:
            key = key or nal_type(packet[12:]) == 5
            if packet[1] & 0x80:  # marker: the access unit is complete
                out.append((loop.time(), key))
                key = False
    return out


async def test_it_keeps_the_gop_and_forces_a_key_frame_on_synchronization(open_media):
    cfg = open_media.camera.config("VideoEncoder", "H264")
    cfg.gov = 1000  # no periodic key frame within the test
    async with clients.RtspClient(open_media.port, user=None) as c:
        await c.play_tcp("h264")
        units = await read_units(c, 1.2)
        assert units[0][1] and not any(key for _, key in units[1:])
        asyncio.get_running_loop().call_later(0.3, open_media.synchronize, "h264")
        units = await read_units(c, 1.0)
        keys = [i for i, (_, key) in enumerate(units) if key]
        assert len(keys) == 1 and 2 <= keys[0] <= 8  # 15 fps: within a few frames of 0.3 s
        cfg.gov = 5  # a short GOP, picked up by the running encoder
        units = await read_units(c, 1.5)
        keys = [i for i, (_, key) in enumerate(units) if key]
        assert len(keys) >= 3 and {b - a for a, b in itertools.pairwise(keys)} == {5}


async def test_it_follows_a_new_resolution_and_encoding(open_media):
    cfg = open_media.camera.config("VideoEncoder", "H264")
    async with clients.RtspClient(open_media.port, user=None) as c:
        await c.play_tcp("h264")
        await c.read_interleaved(5)
        cfg.width, cfg.height = 320, 180
        await asyncio.sleep(0.5)
        got = [p for ch, p in await c.read_interleaved(80) if ch == 0]
    decoder = av.CodecContext.create("h264", "r")
    sizes = set()
    for _, nals in access_units(got)[1:]:
        data = b"".join(b"\x00\x00\x00\x01" + n for n in nals)
        sizes |= {(f.width, f.height) for f in decoder.decode(av.Packet(data))}
    assert (320, 180) in sizes
    _, info = await clients.pyav(clients.url(open_media.port, "h264"), "tcp", 1)
    assert (info[0].width, info[0].height) == (320, 180)


def test_it_maps_configuration_values_to_encoder_settings():
    p = VideoParams("H264", 1280, 720, 25.0, 2048, 50, "High", 5.0)
    ctx = open_encoder(p)
    assert ctx.name == "libx264" and ctx.gop_size == 50 and ctx.bit_rate == 2048000
    assert ctx.options["profile"] == "high" and "keyint=50" in ctx.options["x264-params"]
    jpeg = open_encoder(VideoParams("JPEG", 640, 360, 10.0, 0, 1, "", 10.0))
    assert jpeg.name == "mjpeg" and jpeg.options["huffman"] == "default"


async def test_it_sends_a_key_frame_when_the_client_reports_picture_loss(open_media):
    open_media.camera.config("VideoEncoder", "H264").gov = 1000
    async with clients.RtspClient(open_media.port, user=None) as c:
        await c.play_tcp("h264")
        units = await read_units(c, 1.0)
        assert units[0][1] and not any(key for _, key in units[1:])
        pli = struct.pack(">BBHII", 0x81, 206, 2, 0x1234, 0)  # RTCP PSFB, FMT 1 (PLI)
        c.writer.write(b"$\x01" + struct.pack(">H", len(pli)) + pli)
        units = await read_units(c, 0.8)
        keys = [i for i, (_, key) in enumerate(units) if key]
        assert len(keys) == 1 and keys[0] <= 4
