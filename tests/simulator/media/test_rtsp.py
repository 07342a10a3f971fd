"""The RTSP server with a raw client on a real socket: methods, status codes, sessions, RTCP."""

from __future__ import annotations

import asyncio
import socket
import struct
import time

import pytest

from simulator.media import stream

from . import clients
from .conftest import started

NTP_EPOCH = 2208988800


async def test_it_answers_options_without_credentials(media):
    async with clients.RtspClient(media.port, user=None) as c:
        reply = await c.request("OPTIONS", "h264")
    assert reply.code == 200
    assert set(reply.header("Public").split(", ")) >= {
        "OPTIONS",
        "DESCRIBE",
        "SETUP",
        "PLAY",
        "PAUSE",
        "TEARDOWN",
        "GET_PARAMETER",
        "SET_PARAMETER",
    }


async def test_it_challenges_then_describes_with_digest(media):
    async with clients.RtspClient(media.port, user=None) as c:
        reply = await c.request("DESCRIBE", "h264")
        assert reply.code == 401
        assert reply.header("WWW-Authenticate").startswith("Digest realm=")
    async with clients.RtspClient(media.port, password="wrong") as c:
        assert (await c.request("DESCRIBE", "h264")).code == 401
    async with clients.RtspClient(media.port) as c:
        reply = await c.request("DESCRIBE", "h264")
    assert reply.code == 200
    assert reply.header("Content-Type") == "application/sdp"
    assert reply.header("Content-Base") == f"rtsp://127.0.0.1:{media.port}/h264/"
    sdp = reply.body.decode()
    assert "m=video 0 RTP/AVP 96" in sdp and "a=rtpmap:96 H264/90000" in sdp
    assert "packetization-mode=1;profile-level-id=4D" in sdp and "sprop-parameter-sets=Z" in sdp
    assert "a=control:trackID=1" in sdp


async def test_it_describes_each_stream_kind(open_media):
    async with clients.RtspClient(open_media.port, user=None) as c:
        full = (await c.request("DESCRIBE", "full")).body.decode()
        h265 = (await c.request("DESCRIBE", "h265")).body.decode()
        aac = (await c.request("DESCRIBE", "aac")).body.decode()
    assert "m=video 0 RTP/AVP 96" in full and "m=audio 0 RTP/AVP 0" in full
    assert "a=rtpmap:0 PCMU/8000" in full
    assert "m=application 0 RTP/AVP 107" in full
    assert "a=rtpmap:107 vnd.onvif.metadata/90000" in full
    assert "sendonly" not in full  # no back channel unless required
    assert "a=rtpmap:96 H265/90000" in h265 and "sprop-vps=" in h265 and "sprop-pps=" in h265
    assert "a=rtpmap:97 MPEG4-GENERIC/16000/1" in aac
    assert "mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;config=1408" in aac


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"DESCRIBE rtsp://127.0.0.1/h264 RTSP/1.0\r\n\r\n", 400),  # no CSeq
        (b"GARBAGE\r\nCSeq: 1\r\n\r\n", 400),
        (b"DESCRIBE rtsp://127.0.0.1/h264 RTSP/2.0\r\nCSeq: 1\r\n\r\n", 505),
        (b"RECORD rtsp://127.0.0.1/h264 RTSP/1.0\r\nCSeq: 1\r\n\r\n", 405),
        (b"ANNOUNCE rtsp://127.0.0.1/h264 RTSP/1.0\r\nCSeq: 1\r\n\r\n", 405),
        (b"BREW rtsp://127.0.0.1/h264 RTSP/1.0\r\nCSeq: 1\r\n\r\n", 501),
        (b"DESCRIBE rtsp://127.0.0.1/nosuch RTSP/1.0\r\nCSeq: 1\r\n\r\n", 404),
        (b"DESCRIBE rtsp://127.0.0.1/ RTSP/1.0\r\nCSeq: 1\r\n\r\n", 404),
        (
            b"SET_PARAMETER rtsp://127.0.0.1/h264 RTSP/1.0\r\nCSeq: 1\r\n"
            b"Content-Length: 99999999\r\n\r\n",
            413,
        ),
        (b"PLAY rtsp://127.0.0.1/h264 RTSP/1.0\r\nCSeq: 1\r\n\r\n", 454),
        (b"PLAY rtsp://127.0.0.1/h264 RTSP/1.0\r\nCSeq: 1\r\nSession: 1234\r\n\r\n", 454),
        (b"TEARDOWN rtsp://127.0.0.1/h264 RTSP/1.0\r\nCSeq: 1\r\nSession: 99\r\n\r\n", 454),
        (
            b"SETUP rtsp://127.0.0.1/h264/trackID=1 RTSP/1.0\r\nCSeq: 1\r\n"
            b"Transport: RTP/SAVP;unicast;client_port=5000-5001\r\n\r\n",
            461,
        ),
        (
            b"SETUP rtsp://127.0.0.1/h264/trackID=1 RTSP/1.0\r\nCSeq: 1\r\n"
            b"Transport: RTP/AVP;multicast\r\n\r\n",
            461,
        ),
        (
            b"SETUP rtsp://127.0.0.1/h264/trackID=9 RTSP/1.0\r\nCSeq: 1\r\n"
            b"Transport: RTP/AVP/TCP;unicast\r\n\r\n",
            404,
        ),
        (
            b"DESCRIBE rtsp://127.0.0.1/h264 RTSP/1.0\r\nCSeq: 1\r\nRequire: com.example.x\r\n\r\n",
            551,
        ),
        (
            b"DESCRIBE rtsp://127.0.0.1/h264 RTSP/1.0\r\nCSeq: 1\r\n"
            b"Require: www.onvif.org/ver20/backchannel\r\n\r\n",
            551,
        ),  # h264 has no audio output
    ],
)
async def test_it_answers_bad_requests_with_status_codes(open_media, raw, code):
    async with clients.RtspClient(open_media.port, user=None) as c:
        reply = await c.request("X", "h264", raw=raw)
        assert reply.code == code
        if code == 405:
            assert "DESCRIBE" in reply.header("Allow")
        if code == 551:
            assert reply.header("Unsupported")
        assert (await c.request("OPTIONS", "h264")).code == 200  # the connection survives


async def test_it_refuses_to_mix_profiles_in_one_session(open_media):
    async with clients.RtspClient(open_media.port, user=None) as c:
        await c.play_tcp("h264")
        reply = await c.request("SETUP", "pcmu/trackID=2", {"Transport": "RTP/AVP/TCP;unicast"})
        assert reply.code == 455


async def test_it_only_plays_aggregate_for_several_tracks(open_media):
    async with clients.RtspClient(open_media.port, user=None) as c:
        await c.play_tcp("full")
        assert (await c.request("PLAY", "full/trackID=1")).code == 460


def rtp_only(packets, channel=0):
    return [p for ch, p in packets if ch == channel]


async def test_it_streams_udp_with_sender_reports_and_rtp_info(open_media):
    rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rtcp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rtp.bind(("127.0.0.1", 0))
    port = rtp.getsockname()[1]
    rtcp.bind(("127.0.0.1", port + 1))
    rtp.setblocking(False)
    rtcp.setblocking(False)
    loop = asyncio.get_running_loop()
    try:
        async with clients.RtspClient(open_media.port, user=None) as c:
            await c.request("DESCRIBE", "h264")
            reply = await c.request(
                "SETUP",
                "h264/trackID=1",
                {"Transport": f"RTP/AVP;unicast;client_port={port}-{port + 1}"},
            )
            assert reply.code == 200
            transport = reply.header("Transport")
            assert f"client_port={port}-{port + 1}" in transport and "server_port=" in transport
            session, timeout = reply.header("Session").split(";")
            assert timeout == "timeout=60"
            c.session = session
            play = await c.request("PLAY", "h264")
            assert play.code == 200
            assert play.header("Range").startswith("clock=") and play.header("Range").endswith("-")
            info = dict(kv.split("=", 1) for kv in play.header("RTP-Info").split(";")[1:])
            sr = await asyncio.wait_for(loop.sock_recv(rtcp, 2048), 5)
            packet = await asyncio.wait_for(loop.sock_recv(rtp, 2048), 5)
    finally:
        rtp.close()
        rtcp.close()
    pt, _, seq, ts, ssrc, _, _ = clients.rtp_header(packet)
    assert pt == 96 and seq == int(info["seq"])
    assert abs(signed(ts - int(info["rtptime"]))) < 90000  # within a second of PLAY
    assert sr[1] == 200 and struct.unpack_from(">I", sr, 4)[0] == ssrc
    msw, lsw, sr_ts = struct.unpack_from(">III", sr, 8)
    assert abs(msw - NTP_EPOCH + lsw / 2**32 - time.time()) < 2
    assert abs(signed(ts - sr_ts)) < 90000


def signed(delta: int) -> int:
    return (delta + (1 << 31)) % (1 << 32) - (1 << 31)


async def test_it_encodes_once_for_many_sessions(open_media):
    async with (
        clients.RtspClient(open_media.port, user=None) as a,
        clients.RtspClient(open_media.port, user=None) as b,
    ):
        await a.play_tcp("h264")
        await b.play_tcp("h264")
        pa, pb = await a.read_interleaved(20), await b.read_interleaved(20)
        video = [s for k, s in open_media.sources.items() if k[0] == "video"]
        assert len(video) == 1 and video[0].starts == 1
        ssrc_a = {clients.rtp_header(p)[4] for p in rtp_only(pa)}
        ssrc_b = {clients.rtp_header(p)[4] for p in rtp_only(pb)}
        assert len(ssrc_a) == len(ssrc_b) == 1 and ssrc_a != ssrc_b


async def test_it_pauses_resumes_and_tears_down(open_media, monkeypatch):
    monkeypatch.setattr(stream, "LINGER", 0.3)
    async with clients.RtspClient(open_media.port, user=None) as c:
        await c.play_tcp("h264")
        await c.read_interleaved(5)
        assert (await c.request("PAUSE", "h264")).code == 200
        await asyncio.sleep(0.3)
        with pytest.raises(TimeoutError):
            while True:  # drain what was in flight, then nothing comes
                await c.read_interleaved(1, timeout=1.0)
        assert (await c.request("PLAY", "h264")).code == 200
        assert len(await c.read_interleaved(5)) == 5
        source = next(iter(open_media.sources.values()))
        assert source.running
        reply = await c.request("TEARDOWN", "h264")
        assert reply.code == 200 and not open_media.sessions
        await asyncio.sleep(0.8)
        assert not source.running  # nobody watches: the encoder stopped


async def test_it_keeps_alive_with_get_parameter_and_times_out_without(monkeypatch):
    media = await started(auth=False, session_timeout=1.5)
    try:
        async with clients.RtspClient(media.port, user=None) as c:
            desc = await c.request("DESCRIBE", "meta")
            assert desc.code == 200
            reply = await c.request(
                "SETUP", "meta/trackID=3", {"Transport": "RTP/AVP;unicast;client_port=40000-40001"}
            )
            c.session = reply.header("Session").split(";")[0]
            assert reply.header("Session").endswith(";timeout=1")
            await c.request("PLAY", "meta")
            for _ in range(5):  # 2.5 s, kept alive
                await asyncio.sleep(0.5)
                assert (await c.request("GET_PARAMETER", "meta")).code == 200
            assert (await c.request("SET_PARAMETER", "meta")).code == 200
            reply = await c.request("GET_PARAMETER", "meta", body=b"position\r\n")
            assert reply.code == 451
            await asyncio.sleep(2.5)  # no keep-alive: the session expires
            assert not media.sessions
            assert (await c.request("GET_PARAMETER", "meta")).code == 454
    finally:
        await media.stop()


async def test_it_releases_the_session_of_a_client_that_disappears(open_media):
    async with clients.RtspClient(open_media.port, user=None) as c:
        await c.play_tcp("h264")
        await c.read_interleaved(3)
        assert len(open_media.sessions) == 1
    for _ in range(50):
        if not open_media.sessions:
            break
        await asyncio.sleep(0.05)
    assert not open_media.sessions


@pytest.mark.parametrize(
    "junk",
    [
        b"\x00\x01\x02garbage without end of headers\r\n\r\n",
        b"SETUP rtsp://127.0.0.1/h264/trackID=1 RTSP/1.0\r\nCSeq: 2\r\n"
        b"Transport: RTP/AVP;unicast;client_port=abc-def\r\n\r\n",
        b"SETUP rtsp://127.0.0.1/h264/trackID=1 RTSP/1.0\r\nCSeq: 3\r\n"
        b"Transport: RTP/AVP/TCP;unicast;interleaved=1-99999\r\n\r\n",
        b"DESCRIBE rtsp://127.0.0.1/h264 RTSP/1.0\r\nCSeq: 4\r\nContent-Length: x\r\n\r\n",
        b"$\x05\x00\x03abc" + b"OPTIONS * RTSP/1.0\r\nCSeq: 5\r\n\r\n",
    ],
    ids=["binary", "bad-client-port", "bad-channel", "bad-length", "stray-interleaved"],
)
async def test_malformed_input_gets_status_codes_not_tracebacks(open_media, caplog, junk):
    async with clients.RtspClient(open_media.port, user=None) as c:
        c.writer.write(junk)
        reply = await c.read_reply()
        assert reply.code in (200, 400, 461)
        assert (await c.request("OPTIONS", "h264")).code == 200
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]


async def test_a_basic_only_camera_challenges_with_basic_and_streams_to_basic_clients(media):
    import base64

    media.camera.quirks.rtsp_basic_only = True
    async with clients.RtspClient(media.port, user=None) as c:
        reply = await c.request("DESCRIBE", "h264")
        assert reply.code == 401
        assert reply.header("WWW-Authenticate") == 'Basic realm="ONVIF Simulator"'
        credentials = base64.b64encode(b"admin:admin").decode()
        reply = await c.request("DESCRIBE", "h264", {"Authorization": f"Basic {credentials}"})
        assert reply.code == 200
    _, packets = await clients.pyav(clients.url(media.port, "h264", auth=True), count=2)
    assert packets  # FFmpeg answers the Basic challenge and gets the stream
