"""The Configure pages: forms from the camera's options, changes sent and re-read, roles."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from cameras.models import ConfigurationChange, Device
from simulator.camera import Camera
from tests.cameras.conftest import add_synced

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dome(threaded_fleet: dict[str, Camera]) -> tuple[Camera, Device]:
    camera = threaded_fleet["ptz-dome"]
    return camera, add_synced(camera)


def test_the_profiles_page_lists_the_cameras_profiles_and_creates_one(
    dome: tuple[Camera, Device], admin: Any, client_for: Any
) -> None:
    camera, device = dome
    client = client_for(admin)
    url = reverse("configure_profiles", args=[device.pk])
    page = client.get(url)
    assert page.status_code == 200
    for profile in camera.profiles:
        assert profile.token in page.content.decode()
    source = camera.configs("VideoSource")[0].token
    answer = client.post(url, {"name": "Lobby low", "VideoSource": source})
    created = next(p for p in camera.profiles if p.name == "Lobby low")
    assert answer.status_code == 302
    assert answer["Location"] == reverse("configure_profile", args=[device.pk, created.token])
    assert created.configs == {"VideoSource": source}
    assert device.profiles.filter(token=created.token, name="Lobby low").exists()


def test_a_profile_with_an_encoder_but_no_source_is_refused_in_words(
    dome: tuple[Camera, Device], admin: Any, client_for: Any
) -> None:
    camera, device = dome
    count = len(camera.profiles)
    page = client_for(admin).post(
        reverse("configure_profiles", args=[device.pk]),
        {"name": "Broken", "VideoEncoder": camera.configs("VideoEncoder")[0].token},
    )
    assert page.status_code == 400
    assert "needs a video source in the same profile" in page.content.decode()
    assert len(camera.profiles) == count


def test_the_encoder_form_offers_the_cameras_choices_and_refuses_out_of_range(
    dome: tuple[Camera, Device], admin: Any, client_for: Any
) -> None:
    camera, device = dome
    sim = camera.configs("VideoEncoder")[0]
    url = reverse("configure_configuration", args=[device.pk, "VideoEncoder", sim.token])
    client = client_for(admin)
    page = client.get(url).content.decode()
    assert 'value="H265"' in page and 'value="1280x720"' in page
    assert "H264: 30, 25, 15, 10, 5, 1" in page
    fields = {
        "name": sim.name,
        "encoding": "H264",
        "resolution": "1280x720",
        "fps": "240",
        "bitrate_kbps": "2000",
        "gov_length": "30",
        "profile": "Main",
        "quality": "5",
        "multicast_address": "",
        "multicast_port": "0",
        "multicast_ttl": "1",
    }
    refused = client.post(url, fields)
    assert refused.status_code == 400
    assert (
        "The frame rate 240 is outside what the camera offers for H264: 30, 25, 15, 10, 5, 1"
        in (refused.content.decode())
    )
    assert sim.fps != 240 and not ConfigurationChange.objects.exists()

    saved = client.post(url, fields | {"fps": "15", "bitrate_kbps": "1800", "gov_length": "12"})
    assert saved.status_code == 302
    assert (sim.fps, sim.bitrate, sim.gov, sim.width) == (15, 1800, 12, 1280)
    assert "the camera now reports: H264, 1280x720, 15 fps, 1800 kbit/s, GOP 12" in (
        client.get(url).content.decode()
    )


@pytest.mark.parametrize(
    "kind", ["VideoSource", "AudioSource", "AudioEncoder", "Metadata", "AudioOutput"]
)
def test_every_configuration_page_renders_and_saves_unchanged_values(
    threaded_fleet: dict[str, Camera], admin: Any, client_for: Any, kind: str
) -> None:
    camera = threaded_fleet["audio-cam"]
    device = add_synced(camera)
    client = client_for(admin)
    listing = client.get(reverse("configure_kind", args=[device.pk, kind]))
    assert listing.status_code == 200
    token = camera.configs(kind)[0].token
    assert token in listing.content.decode()
    url = reverse("configure_configuration", args=[device.pk, kind, token])
    form = client.get(url).context["form"]
    data = {
        name: value
        for name, value in ((n, form[n].value()) for n in form.fields)
        if value is not None and value is not False
    }
    answer = client.post(url, data | {"name": "Renamed here"})
    assert answer.status_code == 302, answer.context["form"].errors
    assert camera.config(kind, token).name == "Renamed here"


def test_the_change_log_shows_who_changed_what(
    dome: tuple[Camera, Device], admin: Any, client_for: Any
) -> None:
    _, device = dome
    client = client_for(admin)
    client.post(
        reverse("configure_profile", args=[device.pk, "Profile_1"]),
        {"action": "rename", "name": "Main stream"},
    )
    log = client.get(reverse("configure_changes", args=[device.pk])).content.decode()
    assert admin.username in log and "rename Profile" in log and "Main stream" in log


@pytest.mark.parametrize("persona", ["viewer", "operator"])
def test_viewers_and_operators_get_no_configuration(
    dome: tuple[Camera, Device], client_for: Any, persona: str, request: pytest.FixtureRequest
) -> None:
    _, device = dome
    client = client_for(request.getfixturevalue(persona))
    detail = client.get(reverse("device_detail", args=[device.pk])).content.decode()
    assert 'data-testid="configure"' not in detail
    for url in (
        reverse("configure_profiles", args=[device.pk]),
        reverse("configure_profile", args=[device.pk, "Profile_1"]),
        reverse("configure_kind", args=[device.pk, "VideoEncoder"]),
        reverse("configure_configuration", args=[device.pk, "VideoEncoder", "x"]),
        reverse("configure_changes", args=[device.pk]),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"action": "delete"}).status_code == 403, url


def test_the_topics_are_those_the_camera_says_it_supports(
    threaded_fleet: dict[str, Camera], admin: Any, client_for: Any
) -> None:
    client = client_for(admin)
    dome = add_synced(threaded_fleet["ptz-dome"])
    talker = add_synced(threaded_fleet["audio-cam"])
    assert "AudioSource" not in dome.media.configurations  # stored by the sync
    page = client.get(reverse("configure_profiles", args=[dome.pk])).content.decode()
    assert "Video encoder</a>" in page and "Audio source</a>" not in page
    assert f"of the {threaded_fleet['ptz-dome'].max_profiles} profiles" in page
    page = client.get(reverse("configure_profiles", args=[talker.pk])).content.decode()
    assert "Audio source</a>" in page and "Audio output</a>" in page
    # A kind the camera lacks is refused in words, before anything is sent.
    answer = client.post(
        reverse("configure_profile", args=[dome.pk, threaded_fleet["ptz-dome"].profiles[0].token]),
        {"action": "add", "kind": "AudioSource", "configuration": "x"},
        follow=True,
    )
    assert "&#x27;AudioSource&#x27; is not a configuration type of this camera" in (
        answer.content.decode()
    )
