"""Imaging through the service, the API and the no-JavaScript form: checked against the
camera's options before anything is sent, sent, re-read, audited; admins only."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from cameras.configure import imaging
from cameras.configure.errors import ConfigError
from cameras.models import ConfigurationChange, Device
from simulator.camera import Camera
from tests.cameras.conftest import add_synced

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dome(threaded_fleet: dict[str, Camera]) -> tuple[Camera, Device]:
    camera = threaded_fleet["ptz-dome"]
    return camera, add_synced(camera)


def test_the_page_offers_what_the_camera_offers(dome: tuple[Camera, Device]) -> None:
    camera, device = dome
    page = imaging.read_imaging(device)
    assert page.source == camera.video_sources[0].token
    groups = dict(page.groups())
    assert [f.key for f in groups["Picture"]] == [
        "brightness",
        "contrast",
        "saturation",
        "sharpness",
    ]
    assert "Enhancements" not in groups  # the simulator offers none of them
    assert [p.name for p in page.presets] == ["Daylight", "Night", "Indoor"]
    assert page.status is not None and page.profile_token == camera.profiles[0].token
    with pytest.raises(ConfigError) as missing:
        imaging.read_imaging(device, "NoSuchSource")
    assert missing.value.status == 404


def test_a_change_is_checked_sent_and_audited(dome: tuple[Camera, Device], admin: Any) -> None:
    camera, device = dome
    source = camera.video_sources[0]  # its imaging is replaced by every change
    page = imaging.set_imaging(device, admin, None, {"brightness": 30.0, "wdr_mode": "ON"})
    assert page.settings["brightness"] == 30.0 and source.imaging.wdr_mode == "ON"
    for changes, words in (
        ({"brightness": 130.0}, "Brightness must be 0 to 100"),
        ({"ir_cut_filter": "SOMETIMES"}, "the camera offers ON, OFF, AUTO"),
        ({"defogging_mode": "ON"}, "does not offer this setting"),
    ):
        with pytest.raises(ConfigError, match=words):
            imaging.set_imaging(device, admin, None, changes)
    assert source.imaging.brightness == 30.0
    rows = list(ConfigurationChange.objects.order_by("pk").values_list("topic", "ok"))
    assert rows == [("Imaging", True)] + [("Imaging", False)] * 3
    first = ConfigurationChange.objects.order_by("pk").first()
    assert first is not None and first.before == {"brightness": 50.0, "wdr_mode": "OFF"}


def test_a_preset_is_applied_and_an_unknown_one_refused(
    dome: tuple[Camera, Device], admin: Any
) -> None:
    camera, device = dome
    night = imaging.read_imaging(device).presets[1]
    page = imaging.set_preset(device, admin, None, night.token)
    assert page.current_preset is not None and page.current_preset.token == night.token
    assert camera.video_sources[0].imaging.ircut == "OFF"
    with pytest.raises(ConfigError, match="no imaging preset") as gone:
        imaging.set_preset(device, admin, None, "Nope")
    assert gone.value.status == 404


def test_the_api_and_the_form_change_it_and_refuse_others(
    dome: tuple[Camera, Device], admin: Any, operator: Any, client_for: Any
) -> None:
    camera, device = dome
    source = camera.video_sources[0]
    api = client_for(admin)
    url = f"/api/devices/{device.pk}/imaging/{source.token}"
    state = api.get(url).json()
    assert {
        "key": "brightness",
        "label": "Brightness",
        "group": "Picture",
        "min": 0,
        "max": 100,
    } in (state["fields"])
    answer = api.patch(url, {"contrast": 70}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["settings"]["contrast"] == 70
    wrong = api.patch(url, {"contrast": True}, content_type="application/json")
    assert wrong.status_code == 400 and source.imaging.contrast == 70
    far = api.patch(url, {"contrast": 1e9}, content_type="application/json")
    assert far.status_code == 400 and "contrast" in far.json()["fields"]
    page = reverse("configure_imaging", args=[device.pk])
    posted = api.post(page, {"brightness": "40", "ir_cut_filter": "ON"}, follow=True)
    assert "Imaging settings saved" in posted.content.decode()
    assert (source.imaging.brightness, source.imaging.ircut) == (40.0, "ON")
    other = client_for(operator)
    assert other.patch(url, {"contrast": 10}, content_type="application/json").status_code == 403
    assert other.get(page).status_code == 403 and source.imaging.contrast == 70


def test_focus_moves_within_the_move_options(
    dome: tuple[Camera, Device], admin: Any, client_for: Any
) -> None:
    camera, device = dome
    page = imaging.read_imaging(device)
    assert page.moves is not None and page.moves.absolute_position == (0.0, 1.0)
    with pytest.raises(ConfigError, match="must be 0 to 1"):
        imaging.focus_move(device, admin, None, "absolute", 3.0, None)
    imaging.focus_move(device, admin, None, "absolute", 0.8, 1.0)
    assert camera.video_sources[0].imaging.focus_mode == "MANUAL"  # a manual move ends auto
    url = f"/api/devices/{device.pk}/imaging/{camera.video_sources[0].token}/focus"
    answer = client_for(admin).post(
        url, {"move": "relative", "value": -0.1}, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["moves"]["relative_distance"] == [-1.0, 1.0]
    rows = ConfigurationChange.objects.filter(action__startswith="focus")
    assert sorted(rows.values_list("action", "ok")) == [
        ("focus absolute", False),
        ("focus absolute", True),
        ("focus relative", True),
    ]
    posted = client_for(admin).post(
        reverse("configure_imaging", args=[device.pk]),
        {"move": "absolute", "value": "x"},
        follow=True,
    )
    assert "is not a number" in posted.content.decode()
