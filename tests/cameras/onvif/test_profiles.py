"""Profile management, multicast, encoder instances and source modes against the simulator,
over Media2 and over Media1 only."""

from __future__ import annotations

import pytest

from cameras.onvif import CameraFault, InvalidArgument, NotSupported, OnvifError
from cameras.onvif.media import set_synchronization_point
from cameras.onvif.profiles import (
    add_configurations,
    create_profile,
    delete_profile,
    get_profile_configurations,
    get_video_encoder_instances,
    get_video_source_modes,
    remove_configurations,
    rename_profile,
    set_video_source_mode,
    start_multicast_streaming,
    stop_multicast_streaming,
)
from simulator.camera import Camera
from tests.cameras.conftest import connected


@pytest.fixture(params=["media2", "media1"])
async def camera(request: pytest.FixtureRequest, fleet: dict[str, Camera]) -> Camera:
    camera = fleet["dual-sensor"]
    camera.quirks.media1_only = request.param == "media1"
    return camera


def sim_profile(camera: Camera, token: str) -> dict[str, str]:
    return next(p.configs for p in camera.profiles if p.token == token)


async def test_profiles_are_read_with_every_configuration(camera: Camera) -> None:
    onvif = await connected(camera)
    profiles = await get_profile_configurations(onvif)
    assert [p.token for p in profiles] == [p.token for p in camera.profiles]
    for read, sim in zip(profiles, camera.profiles, strict=True):
        assert {k: c.token for k, c in read.configurations.items()} == sim.configs
        assert read.fixed == sim.fixed and read.name == sim.name


async def test_create_add_remove_and_delete_a_profile(camera: Camera) -> None:
    onvif = await connected(camera)
    source = camera.configs("VideoSource")[0].token
    encoder = camera.configs("VideoEncoder")[-1].token
    token = await create_profile(onvif, "Made here", {"VideoSource": source})
    assert sim_profile(camera, token) == {"VideoSource": source}

    await add_configurations(onvif, token, {"VideoEncoder": encoder})
    assert sim_profile(camera, token) == {"VideoSource": source, "VideoEncoder": encoder}
    read = {p.token: p for p in await get_profile_configurations(onvif)}[token]
    assert read.configurations["VideoEncoder"].token == encoder and not read.fixed

    await remove_configurations(onvif, token, ["VideoSource", "VideoEncoder"])
    assert sim_profile(camera, token) == {}
    await delete_profile(onvif, token)
    assert token not in {p.token for p in camera.profiles}


async def test_an_encoder_without_its_source_is_a_configuration_conflict(camera: Camera) -> None:
    onvif = await connected(camera)
    token = await create_profile(onvif, "Encoder only")
    with pytest.raises(CameraFault) as caught:
        await add_configurations(
            onvif, token, {"VideoEncoder": camera.configs("VideoEncoder")[0].token}
        )
    assert "ConfigurationConflict" in caught.value.detail


async def test_a_fixed_profile_cannot_be_deleted(camera: Camera) -> None:
    onvif = await connected(camera)
    fixed = next(p for p in camera.profiles if p.fixed)
    with pytest.raises(OnvifError) as caught:
        await delete_profile(onvif, fixed.token)
    assert "DeletionOfFixedProfile" in caught.value.detail
    assert fixed in camera.profiles


async def test_rename_is_media2_only(camera: Camera) -> None:
    onvif = await connected(camera)
    token = await create_profile(onvif, "Old name")
    if camera.quirks.media1_only:
        with pytest.raises(NotSupported):
            await rename_profile(onvif, token, "New name")
        return
    await rename_profile(onvif, token, "New name")
    assert next(p.name for p in camera.profiles if p.token == token) == "New name"


async def test_encoder_instances_give_a_total_per_source_configuration(camera: Camera) -> None:
    onvif = await connected(camera)
    instances = await get_video_encoder_instances(onvif, camera.configs("VideoSource")[0].token)
    assert instances.total > 0
    assert instances.by_encoding.get("H264", 0) > 0
    with pytest.raises(InvalidArgument):
        await get_video_encoder_instances(onvif, "NoSuchConfiguration")


async def test_multicast_starts_and_stops_on_the_camera(camera: Camera) -> None:
    onvif = await connected(camera)
    profile = camera.profiles[0]
    await start_multicast_streaming(onvif, profile.token)
    encoder = camera.config("VideoEncoder", profile.configs["VideoEncoder"])
    assert encoder.multicast.auto_start
    await stop_multicast_streaming(onvif, profile.token)
    assert not encoder.multicast.auto_start
    await set_synchronization_point(onvif, profile.token)


async def test_video_source_modes_are_listed_and_switched(camera: Camera) -> None:
    onvif = await connected(camera)
    source = camera.video_sources[0].token
    modes = await get_video_source_modes(onvif, source)
    assert modes and sum(m.enabled for m in modes) == 1
    assert all(m.width > 0 and m.height > 0 and m.max_fps for m in modes)
    other = next(m for m in modes if not m.enabled)
    reboot = await set_video_source_mode(onvif, source, other.token)
    assert reboot == other.reboot
    now = await get_video_source_modes(onvif, source)
    assert next(m for m in now if m.token == other.token).enabled
