"""A profile built on the Configure side is what the gateway then streams: an H.265 encoder
at 1280x720/15 fps put in a new profile reaches a WebRTC viewer (transcoded to H.264) at
that size."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import pytest
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamTrack
from django.contrib.auth.models import User
from django.db import connection

from cameras.configure import services
from cameras.models import Device
from cameras.onvif.config_types import VideoEncoderConfig
from simulator.camera import Camera
from tests.cameras.test_gateway import added, logged_gateway, receive_until, viewer

pytestmark = pytest.mark.django_db(transaction=True)


def build_profile(device: Device, camera: Camera, user: User) -> str:
    """What the admin does on the pages: a profile with a source and an H.265 encoder."""
    try:
        encoder = camera.configs("VideoEncoder")[-1]
        config = services.read_configuration(device, "VideoEncoder", encoder.token).config
        assert isinstance(config, VideoEncoderConfig)
        h265 = dataclasses.replace(
            config, encoding="H265", width=1280, height=720, fps=15.0, profile="Main"
        )
        services.set_configuration(device, user, h265)
        source = camera.configs("VideoSource")[0].token
        return services.create_profile(
            device,
            user,
            "Lobby 720p",
            {"VideoSource": source, "VideoEncoder": encoder.token},
        )
    finally:
        connection.close()


async def test_the_gateway_streams_a_profile_made_here_at_its_new_size(
    fleet: dict[str, Camera], admin: User, tmp_path: Path
) -> None:
    camera = fleet["ptz-dome"]
    device = await asyncio.to_thread(added, camera)
    token = await asyncio.to_thread(build_profile, device, camera, admin)
    assert (
        camera.config("VideoEncoder", camera.configs("VideoEncoder")[-1].token).encoding == "H265"
    )
    async with logged_gateway("gw-configure", tmp_path / "gateway.log"):
        socket = await viewer()
        browser = RTCPeerConnection()
        browser.addTransceiver("video", direction="recvonly")
        tracks: asyncio.Queue[MediaStreamTrack] = asyncio.Queue()
        browser.on("track", tracks.put_nowait)
        await browser.setLocalDescription(await browser.createOffer())
        await socket.send_json_to(
            {
                "type": "offer",
                "device": device.pk,
                "profile": token,
                "sdp": browser.localDescription.sdp,
            }
        )
        answer = (await receive_until(socket, lambda m: m["type"] == "answer", 30))[-1]
        await browser.setRemoteDescription(RTCSessionDescription(answer["sdp"], "answer"))
        track = await asyncio.wait_for(tracks.get(), 20)
        frame = await asyncio.wait_for(track.recv(), 30)
        for _ in range(5):  # past the first frames, the stream's steady size
            frame = await asyncio.wait_for(track.recv(), 10)
        assert (frame.width, frame.height) == (1280, 720)
        await browser.close()
        await socket.disconnect()
