"""The gateway's RTSP pull against a virtual camera served in this test's event loop."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from fractions import Fraction

import pytest
import pytest_asyncio

from cameras.media.h264 import IDR, SPS, nal_types
from cameras.media.rtsp_backchannel import BackchannelError
from cameras.media.source import RtspSource, State
from simulator import config
from simulator.camera import Camera
from simulator.server import Simulator


@pytest_asyncio.fixture
async def audio_cam() -> AsyncIterator[Camera]:
    """audio-cam with its main stream switched to H.265 (the sub one stays H.264)."""
    cameras = config.load(base_port=0)
    camera = next(c for c in cameras if c.name == "audio-cam")
    for encoder in camera.configs("VideoEncoder"):
        if encoder.token.endswith("_main"):
            encoder.encoding = "H265"
    simulator = Simulator([camera])
    await simulator.start()
    yield camera
    await simulator.stop()


def url(camera: Camera, profile: str) -> str:
    return f"rtsp://admin:admin@127.0.0.1:{camera.rtsp_port}/{profile}"


async def until(condition: object, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline
        await asyncio.sleep(0.05)


async def test_h264_passes_through_with_parameter_sets_on_key_frames(audio_cam: Camera) -> None:
    source = RtspSource("sub", url(audio_cam, "Profile_1_sub"))
    subscriber = source.subscribe()
    documents: list[bytes] = []
    source.metadata_listeners.add(documents.append)
    source.start()
    try:
        await until(lambda: source.stats.keyframes >= 1 and len(subscriber.queue) > 5)
        first = subscriber.queue[0]
        assert first.keyframe and {SPS, IDR} <= nal_types(first.data)
        assert source.state == State.LIVE
        assert source.audio_codec == "pcm_mulaw"  # G.711: passed through as it is
        await until(lambda: bool(documents))
        assert b"MetadataStream" in documents[0]
    finally:
        source.stop()
        await source.wait_stopped()


async def test_h265_becomes_h264_once_for_all_viewers(audio_cam: Camera) -> None:
    source = RtspSource("main", url(audio_cam, "Profile_1_main"))
    viewers = [source.subscribe(), source.subscribe()]
    source.start()
    try:
        await until(lambda: all(len(v.queue) > 3 for v in viewers))
        assert {SPS, IDR} <= nal_types(viewers[0].queue[0].data)
        assert viewers[0].queue[0] is viewers[1].queue[0]  # encoded once, shared
    finally:
        source.stop()
        await source.wait_stopped()


async def test_a_camera_that_goes_away_is_reconnected(audio_cam: Camera) -> None:
    source = RtspSource("sub", url(audio_cam, "Profile_1_sub"), read_timeout=1.0)
    subscriber = source.subscribe()
    source.start()
    media = audio_cam.runtime.server.media
    try:
        await until(lambda: source.state == State.LIVE)
        await media.stop()
        await until(lambda: source.state == State.RECONNECTING)
        assert not subscriber.queue or subscriber.waiting_for_keyframe
        await media.start()
        before = source.stats.reconnects
        await until(lambda: source.state == State.LIVE and source.stats.packets > 0, 15)
        assert before >= 1
    finally:
        source.stop()
        await source.wait_stopped()


async def test_picture_loss_asks_the_camera_for_a_key_frame_at_most_every_two_seconds(
    audio_cam: Camera,
) -> None:
    from aiortc import RTCPeerConnection

    from cameras.media.gateway import Gateway

    asked: list[str] = []
    gateway = Gateway(ice_servers=[], notify=lambda s, m: None, request_key_frame=asked.append)
    browser = RTCPeerConnection()
    browser.addTransceiver("video", direction="recvonly")
    await browser.setLocalDescription(await browser.createOffer())
    try:
        await gateway.offer(
            "s1", "k", url(audio_cam, "Profile_1_sub"), browser.localDescription.sdp
        )
        await until(lambda: asked == ["k"])  # the pull went live: one request
        sender = gateway.viewers["s1"].pc.getSenders()[0]
        sender._send_keyframe()  # what aiortc does on a PLI from the browser
        assert asked == ["k"]  # within 2 s of the last request: not repeated
        gateway._key_frame_asked["k"] -= 2.1
        sender._send_keyframe()
        assert asked == ["k", "k"]
    finally:
        await browser.close()
        await gateway.shutdown()


async def test_the_microphone_reaches_the_cameras_loudspeaker(audio_cam: Camera) -> None:
    from aiortc import RTCPeerConnection, RTCSessionDescription
    from aiortc.mediastreams import AudioStreamTrack

    from cameras.media.gateway import Gateway, use_host_addresses

    use_host_addresses(["127.0.0.1"])  # both peers in this process, over loopback
    gateway = Gateway(ice_servers=[], notify=lambda s, m: None)
    browser = RTCPeerConnection()
    browser.addTrack(AudioStreamTrack())  # 20 ms frames, as a microphone would give
    await browser.setLocalDescription(await browser.createOffer())
    sink = audio_cam.runtime.server.media.backchannel
    try:
        answer = await gateway.talk(
            "t1", url(audio_cam, "Profile_1_main"), browser.localDescription.sdp
        )
        await browser.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
        await until(lambda: sum(s.packets for s in sink.values()) >= 25)  # half a second
        assert {s.payload_type for s in sink.values()} <= {0, 8}
    finally:
        await browser.close()
        await gateway.shutdown()


async def test_a_camera_without_a_loudspeaker_is_refused_in_words() -> None:
    import pytest

    from cameras.media.gateway import Gateway
    from cameras.media.rtsp_backchannel import BackchannelError

    dome = next(c for c in config.load(base_port=0) if c.name == "ptz-dome")
    simulator = Simulator([dome])
    await simulator.start()
    gateway = Gateway(ice_servers=[], notify=lambda s, m: None)
    try:
        with pytest.raises(BackchannelError, match=r"no G\.711 audio back channel"):
            await gateway.talk("t2", url(dome, "Profile_1_main"), "v=0")
        assert not gateway.talks
    finally:
        await simulator.stop()


async def test_aac_audio_becomes_opus_once_per_stream() -> None:
    from cameras.media.audio import webrtc_codec

    camera = next(c for c in config.load(base_port=0) if c.name == "audio-cam")
    for encoder in camera.configs("AudioEncoder"):
        encoder.encoding, encoder.sample_rate, encoder.bitrate = "AAC", 16, 32
    simulator = Simulator([camera])
    await simulator.start()
    source = RtspSource("sub", url(camera, "Profile_1_sub"))
    listener = source.subscribe_audio()
    source.start()
    try:
        await until(lambda: len(listener.queue) > 10)
        assert source.audio_codec == "aac"
        assert webrtc_codec(source.audio_codec) == "audio/opus"
        assert listener.queue[0].time_base == Fraction(1, 48000)  # Opus at 48 kHz
    finally:
        source.stop()
        await source.wait_stopped()
        await simulator.stop()


async def test_a_pull_nobody_watches_stops_after_the_idle_time(audio_cam: Camera) -> None:
    from aiortc import RTCPeerConnection

    from cameras.media.gateway import Gateway

    gateway = Gateway(ice_servers=[], notify=lambda s, m: None, idle_seconds=0.5)
    browser = RTCPeerConnection()
    browser.addTransceiver("video", direction="recvonly")
    await browser.setLocalDescription(await browser.createOffer())
    try:
        await gateway.offer(
            "v1", "k", url(audio_cam, "Profile_1_sub"), browser.localDescription.sdp
        )
        await gateway.reap_idle()
        assert "k" in gateway.sources  # watched
        await gateway.close("v1")
        await asyncio.sleep(0.6)
        await gateway.reap_idle()
        assert "k" not in gateway.sources
    finally:
        await browser.close()
        await gateway.shutdown()


async def test_a_new_viewer_cuts_the_reconnect_back_off_short(
    audio_cam: Camera, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aiortc import RTCPeerConnection

    from cameras.media import source as source_module
    from cameras.media.gateway import Gateway

    monkeypatch.setattr(source_module, "BACKOFF", (30.0,))  # a source deep in its back-off
    gateway = Gateway(ice_servers=[], notify=lambda s, m: None)
    browser = RTCPeerConnection()
    browser.addTransceiver("video", direction="recvonly")
    await browser.setLocalDescription(await browser.createOffer())
    media = audio_cam.runtime.server.media
    try:
        sdp = browser.localDescription.sdp
        await gateway.offer("v1", "k", url(audio_cam, "Profile_1_sub"), sdp)
        source = gateway.sources["k"]
        source.read_timeout = 1.0
        await until(lambda: source.state == State.LIVE)
        await media.stop()
        await until(lambda: source.state == State.RECONNECTING)
        await media.start()
        await asyncio.sleep(1.0)
        assert source.state == State.RECONNECTING  # 30 s to wait: nobody asked again yet
        asked = time.monotonic()
        await gateway.offer("v2", "k", url(audio_cam, "Profile_1_sub"), sdp)
        assert gateway.sources["k"] is source  # the same pull, tried again at once
        await until(lambda: source.state == State.LIVE, 5)
        assert time.monotonic() - asked < 5
    finally:
        await browser.close()
        await gateway.shutdown()


SECRET = "Wr0ngSecret"


def plain(camera: Camera, profile: str) -> str:
    return f"rtsp://127.0.0.1:{camera.rtsp_port}/{profile}"


async def test_a_refused_password_is_said_in_words_and_kept_nowhere(
    audio_cam: Camera, caplog: pytest.LogCaptureFixture
) -> None:
    from cameras.media.rtsp_auth import Credentials

    caplog.set_level(logging.DEBUG)
    source = RtspSource("9:sub", plain(audio_cam, "Profile_1_sub"),
                        credentials=Credentials("admin", SECRET))  # fmt: skip
    source.start()
    try:
        await until(lambda: source.stats.reconnects >= 1)
        assert source.state == State.RECONNECTING
        assert source.stats.last_error == (
            "The camera refused the username or password for its stream (RTSP 401): check "
            "the device's credentials."
        )
    finally:
        source.stop()
        await source.wait_stopped()
    assert SECRET not in caplog.text and "reconnecting" in caplog.text
    assert SECRET not in source.url


async def test_a_url_with_credentials_keeps_them_out_of_its_errors(audio_cam: Camera) -> None:
    source = RtspSource("9:sub", f"rtsp://admin:{SECRET}@127.0.0.1:1/Profile_1_sub")
    source.start()
    try:
        await until(lambda: source.stats.reconnects >= 1)
        assert source.stats.last_error == (
            "Cannot connect to the camera's RTSP port (127.0.0.1:1): the camera is off, "
            "rebooting, or streams on another port."
        )
    finally:
        source.stop()
        await source.wait_stopped()
    assert source.url == "rtsp://127.0.0.1:1/Profile_1_sub"


async def test_a_basic_only_camera_is_refused_in_words_until_plain_text_is_allowed(
    audio_cam: Camera,
) -> None:
    from aiortc import RTCPeerConnection

    from cameras.media.gateway import Gateway
    from cameras.media.rtsp_auth import PLAINTEXT_REFUSED, Credentials, StreamRefused

    audio_cam.quirks.rtsp_basic_only = True
    notes: list[dict[str, object]] = []
    gateway = Gateway(ice_servers=[], notify=lambda s, m: notes.append(m))
    browser = RTCPeerConnection()
    browser.addTransceiver("video", direction="recvonly")
    await browser.setLocalDescription(await browser.createOffer())
    offer = browser.localDescription.sdp
    stream = plain(audio_cam, "Profile_1_sub")
    try:
        with pytest.raises(StreamRefused) as refused:
            await gateway.offer("v1", "k", stream, offer, Credentials("admin", "admin"))
        assert str(refused.value) == PLAINTEXT_REFUSED
        assert "v1" not in gateway.viewers
        assert not audio_cam.runtime.server.media.sessions  # the camera got no password
        allowed = Credentials("admin", "admin", allow_plaintext=True)
        await gateway.offer("v1", "k", stream, offer, allowed)
        await until(lambda: gateway.sources["k"].state == State.LIVE)
    finally:
        await browser.close()
        await gateway.shutdown()


async def test_talk_to_a_basic_only_camera_is_refused_until_plain_text_is_allowed(
    audio_cam: Camera,
) -> None:
    from aiortc import RTCPeerConnection, RTCSessionDescription
    from aiortc.mediastreams import AudioStreamTrack

    from cameras.media.gateway import Gateway, use_host_addresses
    from cameras.media.rtsp_auth import PLAINTEXT_REFUSED, Credentials

    audio_cam.quirks.rtsp_basic_only = True
    use_host_addresses(["127.0.0.1"])
    gateway = Gateway(ice_servers=[], notify=lambda s, m: None)
    browser = RTCPeerConnection()
    browser.addTrack(AudioStreamTrack())
    await browser.setLocalDescription(await browser.createOffer())
    sink = audio_cam.runtime.server.media.backchannel
    stream = plain(audio_cam, "Profile_1_main")
    try:
        with pytest.raises(BackchannelError) as refused:
            await gateway.talk("t1", stream, browser.localDescription.sdp,
                               Credentials("admin", "admin"))  # fmt: skip
        assert str(refused.value) == PLAINTEXT_REFUSED
        assert not gateway.talks
        allowed = Credentials("admin", "admin", allow_plaintext=True)
        answer = await gateway.talk("t1", stream, browser.localDescription.sdp, allowed)
        await browser.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
        await until(lambda: sum(s.packets for s in sink.values()) >= 25)
    finally:
        await browser.close()
        await gateway.shutdown()
