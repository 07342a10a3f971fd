"""Audio: G.711 and AAC packets from the generated signal, time-stamped for A/V sync."""

from __future__ import annotations

import itertools
import struct

import av
import numpy as np

from simulator.camera import Configuration
from simulator.media.audio import AudioParams, aac_payload, signal
from simulator.media.backchannel import alaw_decode, ulaw_decode

from . import clients
from .rtp_receive import collect


def test_it_maps_encoder_configurations_to_rtp_formats():
    pcmu = AudioParams.of(Configuration("AudioEncoder", "a", "a", encoding="G711"))
    assert (pcmu.encoding, pcmu.sample_rate, pcmu.payload_type, pcmu.block) == (
        "PCMU",
        8000,
        0,
        160,
    )
    aac = AudioParams.of(Configuration("AudioEncoder", "b", "b", encoding="AAC", sample_rate=48))
    assert aac.rtpmap() == "a=rtpmap:97 MPEG4-GENERIC/48000/1"
    assert "config=1188" in aac.fmtp()  # AAC-LC, 48 kHz, mono
    assert aac_payload(b"\x21\x10") == struct.pack(">HH", 16, 2 << 3) + b"\x21\x10"


def test_the_signal_beeps_at_each_whole_second():
    x = signal(99.9, 1600, 8000)  # 99.9 s .. 100.1 s
    assert np.abs(x[:800]).max() <= 0.26 and np.abs(x[800:1200]).max() > 0.45


async def test_it_sends_pcmu_whose_beeps_fall_on_whole_seconds(open_media):
    async with clients.RtspClient(open_media.port, user=None) as c:
        await c.play_tcp("pcmu")
        got = await collect(c, 10, 110)  # 2 s of 20 ms packets
    packets = got.rtp[0]
    headers = [clients.rtp_header(p) for p in packets]
    assert {h[0] for h in headers} == {0} and all(h[1] for h in headers)
    assert {len(h[6]) for h in headers} == {160}
    steps = {(b[3] - a[3]) % (1 << 32) for a, b in itertools.pairwise(headers)}
    assert steps == {160}
    pcm = np.concatenate([ulaw_decode(h[6]) for h in headers]).astype(np.float32) / 32767
    loud = np.flatnonzero(np.abs(pcm) > 0.4)
    onsets = loud[np.concatenate(([True], np.diff(loud) > 800))]
    # A capture that starts inside a beep has no onset there: keep onsets after 5 ms of quiet.
    onsets = [o for o in onsets if o >= 40 and np.abs(pcm[o - 40 : o]).max() < 0.4]
    assert len(onsets) >= 1
    for onset in onsets:
        wall = got.wall(0, (headers[0][3] + int(onset)) % (1 << 32), 8000)
        assert abs(wall - round(wall)) < 0.01  # the beep starts on the second, per RTCP


async def test_it_sends_pcma_and_aac_that_decode(open_media):
    async with clients.RtspClient(open_media.port, user=None) as c:
        await c.play_tcp("pcma")
        got = await collect(c, 10, 20)
    pcm = np.concatenate([alaw_decode(clients.rtp_header(p)[6]) for p in got.rtp[0]])
    assert 0.2 < np.abs(pcm).max() / 32767 < 0.55
    async with clients.RtspClient(open_media.port, user=None) as c:
        await c.play_tcp("aac")
        got = await collect(c, 10, 30)
    decoder = av.CodecContext.create("aac", "r")
    decoder.extradata = bytes.fromhex("1408")  # AAC-LC, 16 kHz, mono (the SDP's config=)
    samples = 0
    for packet in got.rtp[0]:
        pt, marker, *_, payload = clients.rtp_header(packet)
        assert pt == 97 and marker
        header_bits, size = struct.unpack_from(">HH", payload)
        assert header_bits == 16 and size >> 3 == len(payload) - 4
        for frame in decoder.decode(av.Packet(payload[4:])):
            samples += frame.samples
    assert samples >= 1024 * 20
