from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from cameras.onvif import CameraFault
from cameras.onvif.media import (
    get_profiles,
    get_snapshot_uri,
    get_stream_uri,
    get_video_source_configurations,
    get_video_sources,
)
from simulator.camera import Camera
from tests.cameras.conftest import connected


async def test_media2_profiles_carry_their_encoders_and_ptz(fleet: dict[str, Camera]) -> None:
    onvif = await connected(fleet["ptz-dome"])
    assert onvif.offers("media2")
    profiles = await get_profiles(onvif)
    main = profiles[0]
    assert main.video_source_token == "VideoSource_1"
    assert main.video_encoder is not None
    assert main.video_encoder.encoding in {"H264", "H265", "JPEG"}
    assert main.video_encoder.width > 0 and main.video_encoder.height > 0
    assert main.ptz_node_token == "PTZNode_1"
    sim_tokens = [p.token for p in fleet["ptz-dome"].profiles]
    assert [p.token for p in profiles] == sim_tokens


async def test_a_media1_only_camera_gives_the_same_picture(fleet: dict[str, Camera]) -> None:
    camera = fleet["dual-sensor"]
    camera.quirks.media1_only = True
    onvif = await connected(camera)
    assert not onvif.offers("media2")
    profiles = await get_profiles(onvif)
    assert {p.video_source_token for p in profiles} == {"VideoSource_1", "VideoSource_2"}
    assert all(p.video_encoder is not None for p in profiles)
    sources = await get_video_sources(onvif)
    assert {(s.token, s.width) for s in sources} == {
        ("VideoSource_1", 1920),
        ("VideoSource_2", 1280),
    }
    uri = await get_stream_uri(onvif, profiles[0].token)
    assert uri.startswith("rtsp://127.0.0.1:")


async def test_stream_and_snapshot_uris_use_the_address_the_admin_entered(
    fleet: dict[str, Camera],
) -> None:
    camera = fleet["audio-cam"]
    camera.quirks.advertised_host = "198.51.100.9"
    onvif = await connected(camera)
    token = (await get_profiles(onvif))[0].token
    stream = urlsplit(await get_stream_uri(onvif, token))
    snapshot = urlsplit(await get_snapshot_uri(onvif, token))
    assert (stream.scheme, stream.hostname, stream.path) == ("rtsp", "127.0.0.1", f"/{token}")
    assert stream.port == camera.rtsp_port
    assert (snapshot.scheme, snapshot.hostname) == ("http", "127.0.0.1")
    assert snapshot.path == f"/snapshot/{token}"


@pytest.mark.parametrize("media1_only", [False, True], ids=["media2", "media1-only"])
async def test_sources_are_named_by_their_configurations_when_get_video_sources_faults(
    fleet: dict[str, Camera], media1_only: bool
) -> None:
    camera = fleet["dual-sensor"]
    camera.quirks.video_sources_fault = True  # a Receiver fault without subcode
    camera.quirks.media1_only = media1_only
    onvif = await connected(camera)
    with pytest.raises(CameraFault) as fault:
        await get_video_sources(onvif)
    assert not fault.value.permanent and "GetVideoSources" in str(fault.value)
    sources = await get_video_source_configurations(onvif)
    assert {(s.token, s.width, s.height) for s in sources} == {
        ("VideoSource_1", 1920, 1080),
        ("VideoSource_2", 1280, 720),
    }
