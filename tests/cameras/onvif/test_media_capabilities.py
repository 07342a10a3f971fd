"""GetServiceCapabilities of the media service against the simulator (Media2 and Media1
only), and what is made of answers that lie."""

from __future__ import annotations

from types import SimpleNamespace

from cameras.onvif import OnvifClient
from cameras.onvif.media_capabilities import (
    MediaCapabilities,
    get_service_capabilities,
    read_capabilities,
)
from simulator.camera import Camera


async def capabilities_of(camera: Camera) -> MediaCapabilities:
    onvif = OnvifClient(camera.host, camera.port, "admin", "admin")
    await onvif.connect()
    return await get_service_capabilities(onvif)


async def test_media2_lists_the_configuration_kinds_the_camera_has(
    fleet: dict[str, Camera],
) -> None:
    dome, talker = fleet["ptz-dome"], fleet["audio-cam"]
    caps = await capabilities_of(dome)
    assert caps.max_profiles == dome.max_profiles
    assert "VideoEncoder" in caps.configurations and "PTZ" in caps.configurations
    assert "AudioSource" not in caps.configurations  # the dome has no microphone
    assert (caps.osd, caps.mask, caps.video_source_mode, caps.rtp_multicast) == (
        True,
        True,
        True,
        True,
    )
    assert {"AudioSource", "AudioOutput"} <= set((await capabilities_of(talker)).configurations)


async def test_media1_says_nothing_of_kinds_or_masks(fleet: dict[str, Camera]) -> None:
    camera = fleet["ptz-dome"]
    camera.quirks.media1_only = True
    caps = await capabilities_of(camera)
    assert caps.configurations == ()  # Media1 does not say: every kind may be there
    assert caps.max_profiles == camera.max_profiles
    assert caps.osd and not caps.mask


def test_answers_that_lie_are_read_as_nothing_said() -> None:
    lying = SimpleNamespace(
        ProfileCapabilities=SimpleNamespace(
            MaximumNumberOfProfiles="-4", ConfigurationsSupported=["VideoEncoder Bogus", None]
        ),
        StreamingCapabilities=None,
        OSD="maybe",
        Mask="true",
    )
    caps = read_capabilities(lying)
    assert caps.max_profiles is None
    assert caps.configurations == ("VideoEncoder",)
    assert not caps.osd and caps.mask and not caps.rtp_multicast
    assert read_capabilities(None) == MediaCapabilities()


def test_stored_capabilities_round_trip_and_ignore_unknown_keys() -> None:
    caps = MediaCapabilities(max_profiles=8, configurations=("VideoSource",), osd=True)
    assert MediaCapabilities.from_json(caps.as_json()) == caps
    assert MediaCapabilities.from_json({"future": 1, "mask": True}) == MediaCapabilities(mask=True)
