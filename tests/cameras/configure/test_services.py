"""Configuration services against the simulator: checked, sent, re-read, audited."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from cameras.configure import services
from cameras.configure.errors import ConfigError
from cameras.models import ConfigurationChange, Device
from cameras.onvif.config_types import VideoEncoderConfig
from simulator.camera import Camera
from tests.cameras.conftest import add_synced

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dome(threaded_fleet: dict[str, Camera]) -> tuple[Camera, Device]:
    camera = threaded_fleet["ptz-dome"]
    return camera, add_synced(camera)


def encoder_of(device: Device, token: str) -> VideoEncoderConfig:
    config = services.read_configuration(device, "VideoEncoder", token).config
    assert isinstance(config, VideoEncoderConfig)
    return config


def test_a_new_profile_is_on_the_camera_stored_and_audited(
    dome: tuple[Camera, Device], admin: Any
) -> None:
    camera, device = dome
    source = camera.configs("VideoSource")[0].token
    encoder = camera.configs("VideoEncoder")[-1].token
    token = services.create_profile(
        device, admin, "Made here", {"VideoSource": source, "VideoEncoder": encoder}
    )
    assert any(p.token == token and p.name == "Made here" for p in camera.profiles)
    stored = device.profiles.get(token=token)
    assert stored.video_source_token == camera.configs("VideoSource")[0].source
    assert stored.stream_uri.startswith("rtsp://")
    row = ConfigurationChange.objects.get(action="create")
    assert (row.user, row.username, row.device, row.target, row.ok) == (
        admin,
        admin.username,
        device,
        token,
        True,
    )
    assert row.after == {
        "name": "Made here",
        "configurations": {"VideoSource": source, "VideoEncoder": encoder},
    }


def test_an_encoder_change_is_sent_re_read_and_audited_with_before_and_after(
    dome: tuple[Camera, Device], admin: Any
) -> None:
    camera, device = dome
    sim = camera.configs("VideoEncoder")[0]
    before = encoder_of(device, sim.token)
    saved = services.set_configuration(
        device, admin, dataclasses.replace(before, bitrate_kbps=2500, gov_length=20)
    )
    assert (sim.bitrate, sim.gov) == (2500, 20)
    assert isinstance(saved, VideoEncoderConfig) and saved.bitrate_kbps == 2500
    profile = next(p for p in camera.profiles if p.configs.get("VideoEncoder") == sim.token)
    stored = device.profiles.get(token=profile.token)
    assert (stored.bitrate_kbps, stored.gov_length) == (2500, 20)
    row = ConfigurationChange.objects.get(action="set", topic="VideoEncoder")
    assert row.before["bitrate_kbps"] == before.bitrate_kbps
    assert row.after["bitrate_kbps"] == 2500 and row.after["gov_length"] == 20


def test_values_outside_the_options_are_refused_before_anything_is_sent(
    dome: tuple[Camera, Device], admin: Any
) -> None:
    camera, device = dome
    sim = camera.configs("VideoEncoder")[0]
    config = encoder_of(device, sim.token)
    fps_before = sim.fps
    with pytest.raises(ConfigError) as caught:
        services.set_configuration(device, admin, dataclasses.replace(config, fps=240))
    assert caught.value.status == 400
    assert "240" in caught.value.fields["fps"] and "30, 25, 15" in caught.value.fields["fps"]
    assert sim.fps == fps_before
    assert not ConfigurationChange.objects.exists()


def test_a_refusal_by_the_camera_is_explained_and_audited(
    dome: tuple[Camera, Device], admin: Any
) -> None:
    camera, device = dome
    fixed = next(p for p in camera.profiles if p.fixed)
    device.profiles.filter(token=fixed.token).update(fixed=False)  # stored state is stale
    with pytest.raises(ConfigError) as caught:
        services.delete_profile(device, admin, fixed.token)
    assert caught.value.status == 409 and "fixed by the camera" in caught.value.message
    row = ConfigurationChange.objects.get(action="delete")
    assert not row.ok and "fixed" in row.error
    assert fixed in camera.profiles


def test_an_encoder_added_without_its_source_is_a_conflict_in_words(
    dome: tuple[Camera, Device], admin: Any
) -> None:
    camera, device = dome
    token = services.create_profile(device, admin, "Empty", {})
    with pytest.raises(ConfigError) as caught:
        services.add_configuration(
            device, admin, token, "VideoEncoder", camera.configs("VideoEncoder")[0].token
        )
    assert caught.value.status == 409 and "Add the source first" in caught.value.message


def test_add_and_remove_record_what_the_profile_held(
    dome: tuple[Camera, Device], admin: Any
) -> None:
    camera, device = dome
    source = camera.configs("VideoSource")[0].token
    token = services.create_profile(device, admin, "Growing", {})
    services.add_configuration(device, admin, token, "VideoSource", source)
    services.remove_configuration(device, admin, token, "VideoSource")
    added, removed = ConfigurationChange.objects.filter(target=token).order_by("pk")[1:]
    assert (added.action, added.before, added.after) == (
        "add",
        {"configuration": None},
        {"configuration": source},
    )
    assert (removed.action, removed.before) == ("remove", {"configuration": source})


def test_an_unreachable_camera_is_said_and_nothing_is_stored(
    dome: tuple[Camera, Device], admin: Any
) -> None:
    _, device = dome
    device.host = "127.0.0.2"  # nothing listens there
    with pytest.raises(ConfigError) as caught:
        services.rename_profile(device, admin, "Profile_1", "Elsewhere")
    assert caught.value.status == 502 and "try again" in caught.value.message
    assert ConfigurationChange.objects.get().ok is False


def test_a_video_source_mode_switch_is_audited_with_the_mode_before(
    threaded_fleet: dict[str, Camera], admin: Any
) -> None:
    camera = threaded_fleet["dual-sensor"]
    device = add_synced(camera)
    source = camera.video_sources[0]
    current = source.mode
    other = next(m.token for m in source.modes if m.token != current)
    services.set_video_source_mode(device, admin, source.token, other)
    assert source.mode == other
    row = ConfigurationChange.objects.get(topic="VideoSourceMode")
    assert row.before == {"mode": current} and row.after == {"mode": other}
    with pytest.raises(ConfigError) as caught:
        services.set_video_source_mode(device, admin, source.token, "NoSuchMode")
    assert caught.value.status == 404 and other in caught.value.message
