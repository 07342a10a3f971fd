"""H.264 and H.265 over RTP: fragmentation, in-band parameter sets, A/V timing via RTCP."""

from __future__ import annotations

import av

from simulator.media import overlay
from simulator.media.rtp_h264 import H264Packetizer, split_annexb
from simulator.media.rtp_h265 import H265Packetizer

from . import clients
from .rtp_receive import access_units, annexb, collect


def test_it_splits_annexb_and_fragments_large_nal_units():
    big = bytes([0x65]) + bytes(range(256)) * 20  # an IDR slice of 5121 bytes
    stream = b"\x00\x00\x00\x01\x67\x4d\x00\x1f\x00\x00\x01\x68\xee\x3c\x80\x00\x00\x01" + big
    assert split_annexb(stream) == [b"\x67\x4d\x00\x1f", b"\x68\xee\x3c\x80", big]
    payloads, key = H264Packetizer().packetize(stream)
    assert key
    assert [p[0] for p in payloads[:2]] == [b"\x67\x4d\x00\x1f", b"\x68\xee\x3c\x80"]
    fus = [p for p, _, _ in payloads[2:]]
    assert len(fus) == 4 and all(len(p) <= 1400 and p[0] == 0x7C for p in fus)  # FU-A, NRI 3
    assert [p[1] & 0xC0 for p in fus] == [0x80, 0, 0, 0x40] and fus[0][1] & 0x1F == 5
    assert b"".join(p[2:] for p in fus) == big[1:]
    assert [m for _, m, _ in payloads] == [False] * 5 + [True]


def test_it_puts_parameter_sets_before_an_idr_that_lacks_them():
    pk = H264Packetizer()
    pk.packetize(b"\x00\x00\x01\x67\x42\x00\x1e\x00\x00\x01\x68\xce\x00\x00\x01\x65\x88")
    payloads, key = pk.packetize(b"\x00\x00\x01\x09\xf0\x00\x00\x01\x65\x88\x84")
    assert key and [p for p, _, _ in payloads] == [
        b"\x67\x42\x00\x1e",
        b"\x68\xce",
        b"\x65\x88\x84",
    ]
    assert "profile-level-id=42001E;sprop-parameter-sets=Z0IAHg==,aM4=" in pk.fmtp(96)
    payloads, key = pk.packetize(b"\x00\x00\x01\x41\x9a")  # a P slice: no parameter sets
    assert not key and [p for p, _, _ in payloads] == [b"\x41\x9a"]


def test_it_fragments_h265_with_two_byte_headers():
    vps, sps, pps = b"\x40\x01\x0c", b"\x42\x01\x01", b"\x44\x01\xc1"
    idr = b"\x26\x01" + bytes(range(1, 256)) * 12
    pk = H265Packetizer()
    payloads, key = pk.packetize(b"".join(b"\x00\x00\x00\x01" + n for n in (vps, sps, pps, idr)))
    assert key and pk.ready and "sprop-vps=QAEM;sprop-sps=QgEB;sprop-pps=RAHB" in pk.fmtp(96)
    fus = [p for p, _, _ in payloads[3:]]
    assert all(p[0] >> 1 & 0x3F == 49 and p[1] == 0x01 for p in fus)
    assert fus[0][2] == 0x80 | 19 and fus[-1][2] == 0x40 | 19
    assert b"".join(p[3:] for p in fus) == idr[2:]


async def play_and_decode(port: int, token: str, codec: str):
    async with clients.RtspClient(port, user=None) as c:
        await c.play_tcp(token)
        got = await collect(c, 20, 150)
    units = access_units(got.rtp[0], hevc=codec == "hevc")
    decoder = av.CodecContext.create(codec, "r")
    frames = []
    for ts, nals in units:
        for frame in decoder.decode(av.Packet(annexb(nals))):
            frames.append((ts, frame))
    return got, units, frames


async def test_it_streams_h264_that_decodes_from_the_first_packet(open_media):
    got, units, frames = await play_and_decode(open_media.port, "h264", "h264")
    first_types = [n[0] & 0x1F for n in units[0][1]]
    assert first_types[:2] == [7, 8] and 5 in first_types  # SPS, PPS, IDR in-band
    assert len(frames) >= len(units) - 1 and frames[0][1].width == 640
    # the RTP timestamp, through the RTCP sender report, gives the capture time drawn in the frame
    for ts, frame in frames[:10]:
        drawn = overlay.unwrap_ms(overlay.read_timecode(frame.to_ndarray(format="gray")))
        assert abs(got.wall(0, ts, 90000) * 1000 - drawn) < 10


async def test_it_streams_h265_with_parameter_sets_in_band(open_media):
    _, units, frames = await play_and_decode(open_media.port, "h265", "hevc")
    first_types = [(n[0] >> 1) & 0x3F for n in units[0][1]]
    assert first_types[:3] == [32, 33, 34] and (19 in first_types or 20 in first_types)
    assert frames and frames[0][1].height == 360
    assert overlay.read_timecode(frames[-1][1].to_ndarray(format="gray")) is not None
