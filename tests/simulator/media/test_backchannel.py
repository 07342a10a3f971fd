"""The ONVIF audio back channel: Require tag, SDP, and G.711 received over TCP and UDP."""

from __future__ import annotations

import asyncio
import re
import socket
import struct

import numpy as np

from simulator.media.backchannel import alaw_decode, rtp_payload, ulaw_decode

from . import clients

REQUIRE = {"Require": "www.onvif.org/ver20/backchannel"}


def ulaw_encode(x: np.ndarray) -> bytes:
    """Reference G.711 mu-law encoder (for the test's client side)."""
    s = np.clip(x.astype(np.int32), -32635, 32635)
    sign = np.where(s < 0, 0x80, 0)
    s = np.abs(s) + 0x84
    exp = np.floor(np.log2(s)).astype(np.int32) - 7
    mant = (s >> (exp + 3)) & 0x0F
    return (~(sign | (exp << 4) | mant) & 0xFF).astype(np.uint8).tobytes()


def tone(n: int, start: int = 0) -> np.ndarray:
    return 8000 * np.sin(2 * np.pi * 1000 * (np.arange(n) + start) / 8000)


def test_g711_decoders_invert_the_encoder():
    x = tone(800)
    assert np.abs(ulaw_decode(ulaw_encode(x)) - x).max() < 300
    assert alaw_decode(bytes([0xD5]))[0] == 8 and alaw_decode(bytes([0x55]))[0] == -8
    packet = struct.pack(">BBHII", 0x80, 0, 1, 2, 3) + b"abc"
    assert rtp_payload(packet) == (0, b"abc") and rtp_payload(b"\x00") is None


def rtp(seq: int, payload: bytes) -> bytes:
    return struct.pack(">BBHII", 0x80, 0, seq, seq * 160, 0x1234) + payload


async def test_it_receives_pcmu_from_the_client_over_tcp(open_media):
    async with clients.RtspClient(open_media.port, user=None) as c:
        desc = await c.play_tcp("full", REQUIRE)
        sdp = desc.body.decode()
        section = sdp[sdp.index("m=audio 0 RTP/AVP 0 8") :]
        assert "a=rtpmap:8 PCMA/8000" in section and "a=sendonly" in section
        assert "a=control:trackID=4" in section
        channel = 6  # the fourth track: interleaved 6-7
        for seq in range(50):
            payload = ulaw_encode(tone(160, seq * 160))
            c.writer.write(b"$" + bytes([channel]) + struct.pack(">H", 172) + rtp(seq, payload))
        await c.writer.drain()
        for _ in range(50):
            sink = open_media.backchannel.get("AO1")
            if sink is not None and sink.packets == 50:
                break
            await asyncio.sleep(0.05)
        assert (await c.request("TEARDOWN", "full", REQUIRE)).code == 200
    assert sink.payload_type == 0 and sink.octets == 50 * 160
    audio = sink.audio().astype(np.float32)
    spectrum = np.abs(np.fft.rfft(audio[:4000]))
    assert abs(np.argmax(spectrum) * 8000 / 4000 - 1000) < 5


async def test_it_receives_pcmu_over_udp(open_media):
    async with clients.RtspClient(open_media.port, user=None) as c:
        desc = await c.request("DESCRIBE", "full", REQUIRE)
        assert desc.code == 200
        reply = await c.request(
            "SETUP",
            "full/trackID=4",
            {"Transport": "RTP/AVP;unicast;client_port=41000-41001", **REQUIRE},
        )
        assert reply.code == 200
        c.session = reply.header("Session").split(";")[0]
        server_port = int(re.search(r"server_port=(\d+)", reply.header("Transport")).group(1))
        assert (await c.request("PLAY", "full", REQUIRE)).code == 200
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            for seq in range(10):
                s.sendto(rtp(seq, ulaw_encode(tone(160))), ("127.0.0.1", server_port))
        for _ in range(50):
            sink = open_media.backchannel.get("AO1")
            if sink is not None and sink.packets == 10:
                break
            await asyncio.sleep(0.05)
        assert sink.packets == 10


async def test_it_refuses_the_back_channel_without_an_audio_output(open_media):
    async with clients.RtspClient(open_media.port, user=None) as c:
        reply = await c.request("DESCRIBE", "h264", REQUIRE)
    assert reply.code == 551 and reply.header("Unsupported") == REQUIRE["Require"]
