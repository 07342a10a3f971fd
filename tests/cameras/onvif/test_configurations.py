"""Configuration wrappers against the simulator, over Media2 and over Media1 only."""

from __future__ import annotations

import dataclasses

import pytest

from cameras.onvif import InvalidArgument, NotSupported, OnvifClient
from cameras.onvif.config_types import (
    AudioEncoderConfig,
    AudioEncoderOptions,
    AudioOutputConfig,
    AudioOutputOptions,
    AudioSourceConfig,
    AudioSourceOptions,
    MetadataConfig,
    MetadataOptions,
    Multicast,
    VideoEncoderConfig,
    VideoEncoderOptions,
    VideoSourceConfig,
    VideoSourceOptions,
)
from cameras.onvif.configurations import (
    get_configuration,
    get_configuration_options,
    get_configurations,
    set_configuration,
)
from simulator.camera import Camera


@pytest.fixture(params=["media2", "media1"])
async def camera(request: pytest.FixtureRequest, fleet: dict[str, Camera]) -> Camera:
    """The audio camera (video, audio in and out, metadata), over either media service."""
    camera = fleet["audio-cam"]
    camera.quirks.media1_only = request.param == "media1"
    return camera


async def connected(camera: Camera) -> OnvifClient:
    onvif = OnvifClient(camera.host, camera.port, "admin", "admin")
    await onvif.connect()
    assert onvif.offers("media2") is not camera.quirks.media1_only
    return onvif


async def test_get_configurations_lists_every_kind_with_the_simulators_tokens(
    camera: Camera,
) -> None:
    onvif = await connected(camera)
    for kind in ("VideoSource", "VideoEncoder", "AudioSource", "AudioEncoder", "Metadata"):
        found = await get_configurations(onvif, kind)
        assert [c.token for c in found] == [c.token for c in camera.configs(kind)], kind
        assert all(c.kind == kind and c.name for c in found)


async def test_get_configurations_by_token_and_by_profile(camera: Camera) -> None:
    onvif = await connected(camera)
    wanted = camera.configs("VideoEncoder")[-1]
    one = await get_configurations(onvif, "VideoEncoder", configuration_token=wanted.token)
    assert [c.token for c in one] == [wanted.token]
    profile = camera.profiles[0].token
    compatible = await get_configurations(onvif, "VideoEncoder", profile_token=profile)
    assert wanted.token in {c.token for c in compatible}
    with pytest.raises(InvalidArgument):
        await get_configuration(onvif, "VideoEncoder", "NoSuchToken")


async def test_a_video_encoder_is_read_with_its_settings(camera: Camera) -> None:
    onvif = await connected(camera)
    sim = camera.configs("VideoEncoder")[0]
    config = await get_configuration(onvif, "VideoEncoder", sim.token)
    assert isinstance(config, VideoEncoderConfig)
    assert (config.width, config.height) == (sim.width, sim.height)
    assert config.fps == pytest.approx(sim.fps)
    assert config.bitrate_kbps == sim.bitrate
    assert config.gov_length == sim.gov


async def test_set_video_encoder_changes_bitrate_gop_and_rate_on_the_camera(
    camera: Camera,
) -> None:
    onvif = await connected(camera)
    sim = camera.configs("VideoEncoder")[0]
    config = await get_configuration(onvif, "VideoEncoder", sim.token)
    assert isinstance(config, VideoEncoderConfig)
    changed = dataclasses.replace(
        config, name="Changed", bitrate_kbps=1500, gov_length=15, fps=15, width=640, height=480
    )
    await set_configuration(onvif, changed)
    assert (sim.name, sim.bitrate, sim.gov, sim.fps) == ("Changed", 1500, 15, 15)
    assert (sim.width, sim.height) == (640, 480)
    again = await get_configuration(onvif, "VideoEncoder", sim.token)
    assert again == changed


async def test_set_video_encoder_to_h265_needs_media2(fleet: dict[str, Camera]) -> None:
    onvif = await connected(fleet["audio-cam"])
    sim = fleet["audio-cam"].configs("VideoEncoder")[0]
    config = await get_configuration(onvif, "VideoEncoder", sim.token)
    assert isinstance(config, VideoEncoderConfig)
    await set_configuration(onvif, dataclasses.replace(config, encoding="H265", profile="Main"))
    assert sim.encoding == "H265"


async def test_set_video_source_bounds(camera: Camera) -> None:
    onvif = await connected(camera)
    sim = camera.configs("VideoSource")[0]
    config = await get_configuration(onvif, "VideoSource", sim.token)
    assert isinstance(config, VideoSourceConfig)
    assert config.source_token == sim.source
    await set_configuration(onvif, dataclasses.replace(config, bounds=(10, 20, 640, 360)))
    assert list(sim.bounds) == [10, 20, 640, 360]


async def test_set_audio_encoder_source_and_output(camera: Camera) -> None:
    onvif = await connected(camera)
    encoder = (await get_configurations(onvif, "AudioEncoder"))[0]
    assert isinstance(encoder, AudioEncoderConfig)
    await set_configuration(
        onvif, dataclasses.replace(encoder, encoding="PCMU", bitrate=64, sample_rate=8)
    )
    sim = camera.config("AudioEncoder", encoder.token)
    assert (sim.encoding, sim.bitrate, sim.sample_rate) == ("PCMU", 64, 8)

    source = (await get_configurations(onvif, "AudioSource"))[0]
    assert isinstance(source, AudioSourceConfig)
    await set_configuration(onvif, dataclasses.replace(source, name="Mic"))
    assert camera.config("AudioSource", source.token).name == "Mic"

    output = (await get_configurations(onvif, "AudioOutput"))[0]
    assert isinstance(output, AudioOutputConfig)
    await set_configuration(onvif, dataclasses.replace(output, level=30))
    assert camera.config("AudioOutput", output.token).level == 30


async def test_set_metadata_flags_and_multicast(camera: Camera) -> None:
    onvif = await connected(camera)
    metadata = (await get_configurations(onvif, "Metadata"))[0]
    assert isinstance(metadata, MetadataConfig)
    changed = dataclasses.replace(
        metadata,
        events=not metadata.events,
        analytics=True,
        multicast=Multicast(address="239.1.2.3", port=5004, ttl=2),
    )
    await set_configuration(onvif, changed)
    sim = camera.config("Metadata", metadata.token)
    assert (sim.events, sim.analytics) == (changed.events, True)
    assert (sim.multicast.address, sim.multicast.port, sim.multicast.ttl) == ("239.1.2.3", 5004, 2)
    again = await get_configuration(onvif, "Metadata", metadata.token)
    assert isinstance(again, MetadataConfig) and again.multicast is not None
    assert again.multicast.address == "239.1.2.3"


async def test_a_value_the_camera_refuses_is_an_invalid_argument(camera: Camera) -> None:
    onvif = await connected(camera)
    source = (await get_configurations(onvif, "VideoSource"))[0]
    assert isinstance(source, VideoSourceConfig)
    with pytest.raises(InvalidArgument):
        await set_configuration(onvif, dataclasses.replace(source, bounds=(0, 0, 99999, 99999)))


async def test_ptz_and_analytics_configurations_are_listed_not_set(
    fleet: dict[str, Camera],
) -> None:
    onvif = await connected(fleet["ptz-dome"])
    ptz = await get_configurations(onvif, "PTZ")
    assert ptz and ptz[0].kind == "PTZ"
    with pytest.raises(NotSupported):
        await set_configuration(onvif, ptz[0])


async def test_options_of_every_kind(camera: Camera) -> None:
    onvif = await connected(camera)
    source = await get_configuration_options(onvif, "VideoSource")
    assert isinstance(source, VideoSourceOptions)
    assert source.width is not None and source.width.max >= 1280
    encoders = await get_configuration_options(onvif, "VideoEncoder")
    assert isinstance(encoders, tuple)
    by_encoding = {o.encoding: o for o in encoders if isinstance(o, VideoEncoderOptions)}
    assert "H264" in by_encoding and "JPEG" in by_encoding
    h264 = by_encoding["H264"]
    assert (1280, 720) in h264.resolutions
    assert h264.frame_rate_ok(15) and not h264.frame_rate_ok(1000)
    assert h264.gov_length is not None
    if not camera.quirks.media1_only:
        assert "H265" in by_encoding and h264.frame_rates[0] == 30
        assert h264.bitrate is not None
    audio = await get_configuration_options(onvif, "AudioEncoder")
    assert isinstance(audio, tuple) and all(isinstance(o, AudioEncoderOptions) for o in audio)
    assert audio and all(o.bitrates and o.sample_rates for o in audio)
    assert isinstance(await get_configuration_options(onvif, "AudioSource"), AudioSourceOptions)
    output = await get_configuration_options(onvif, "AudioOutput")
    assert isinstance(output, AudioOutputOptions) and output.level is not None
    assert isinstance(await get_configuration_options(onvif, "Metadata"), MetadataOptions)
    decoders = await get_configuration_options(onvif, "AudioDecoder")
    assert isinstance(decoders, tuple)


async def test_options_scoped_by_an_unknown_profile_are_refused(camera: Camera) -> None:
    onvif = await connected(camera)
    with pytest.raises(InvalidArgument):
        await get_configuration_options(onvif, "VideoEncoder", profile_token="NoSuchProfile")
