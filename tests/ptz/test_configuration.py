"""PTZ configurations through the service and the page: checked against the camera's options
and the node's ranges before anything is sent, sent, audited; put in a media profile (only a
compatible one); admins only."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import lxml.html
import pytest
from django.urls import reverse

from cameras.configure import services
from cameras.configure.errors import ConfigError
from cameras.models import ConfigurationChange
from ptz import configuration
from simulator.camera import Camera, Configuration, Profile
from tests.cameras.conftest import add_synced, threaded_fleet

__all__ = ["threaded_fleet"]

pytestmark = pytest.mark.django_db(transaction=True)


def test_values_outside_the_cameras_ranges_are_refused(
    threaded_fleet: dict[str, Camera], admin: Any
) -> None:
    camera = threaded_fleet["ptz-dome"]
    device = add_synced(camera)
    page = configuration.read_ptz_configurations(device)
    (config,) = page.configurations
    assert page.space(config.token, "PanTiltSpeedSpace") is not None
    for changed, words in (
        (replace(config, pan_limits=(-2.0, 0.5)), "Pan limits must lie within -1 to 1"),
        (replace(config, tilt_limits=(0.5, 0.2)), "lower limit must be below"),
        (replace(config, pan_tilt_speed=3.0), "speed must be 0 to 1"),
        (replace(config, timeout=7200.0), "timeout must be 0.1 to 3600 s"),
        (replace(config, reverse="SIDEWAYS"), "Reverse: the camera offers OFF, ON"),
    ):
        with pytest.raises(ConfigError, match=words):
            configuration.set_ptz_configuration(device, admin, changed)
    assert camera.config("PTZ", config.token).limits == []  # nothing was sent
    configuration.set_ptz_configuration(device, admin, replace(config, zoom_limits=(0.0, 0.5)))
    assert camera.config("PTZ", config.token).limits[4:] == [0.0, 0.5]
    assert list(ConfigurationChange.objects.values_list("ok", flat=True).order_by("pk")) == [
        False,
        False,
        False,
        False,
        False,
        True,
    ]


def test_the_page_is_for_admins(
    threaded_fleet: dict[str, Camera], admin: Any, operator: Any, client_for: Any
) -> None:
    camera = threaded_fleet["ptz-dome"]
    device = add_synced(camera)
    url = reverse("configure_ptz", args=[device.pk])
    assert client_for(operator).get(url).status_code == 403
    page = client_for(admin).get(url).content.decode()
    assert "PTZConfig_1" in page and "Reverse" in page
    answer = client_for(admin).post(
        url, {"token": "PTZConfig_1", "name": "Dome", "timeout": "x"}, follow=True
    )
    assert "is not a number" in answer.content.decode()


def _profiles(html: str) -> dict[str, tuple[str, list[str]]]:
    """Profile token -> (the PTZ configuration it holds, the tokens offered), as shown."""
    rows = lxml.html.fromstring(html).xpath("//*[@data-testid='ptz-profile']")
    return {
        row.get("data-profile"): (
            " ".join(row.xpath("string(.//*[@data-testid='ptz-held'])").split()),
            row.xpath(".//select[@data-testid='ptz-compatible']/option/@value"),
        )
        for row in rows
    }


def test_the_page_lists_the_compatible_configurations_of_each_profile(
    threaded_fleet: dict[str, Camera], admin: Any, client_for: Any
) -> None:
    camera = threaded_fleet["ptz-dome"]
    device = add_synced(camera)
    camera.configurations.append(Configuration("PTZ", "PTZConfig_2", "Tele", source="PTZNode_1"))
    page = client_for(admin).get(reverse("configure_ptz", args=[device.pk]))
    assert page.status_code == 200
    offered = ["PTZConfig_1", "PTZConfig_2"]
    assert _profiles(page.content.decode()) == {
        "Profile_1_main": ("PTZ 1 (PTZConfig_1)", offered),
        "Profile_1_sub": ("PTZ 1 (PTZConfig_1)", offered),
    }


def test_attaching_a_configuration_puts_it_in_the_profile(
    threaded_fleet: dict[str, Camera], admin: Any, client_for: Any
) -> None:
    camera = threaded_fleet["ptz-dome"]
    device = add_synced(camera)
    sources = {"VideoSource": "VideoSourceConfig_1", "VideoEncoder": "VideoEncoder_1_sub"}
    token = services.create_profile(device, admin, "Patrol", sources)
    assert device.profiles.get(token=token).ptz_node_token == ""
    url = reverse("configure_ptz", args=[device.pk])
    browser = client_for(admin)
    assert _profiles(browser.get(url).content.decode())[token] == ("none", ["PTZConfig_1"])

    sent = {"action": "attach", "profile": token, "configuration": "PTZConfig_1"}
    answer = browser.post(url, sent)
    assert answer.status_code == 302 and answer["Location"] == url
    page = browser.get(url).content.decode()
    assert f"PTZ configuration PTZConfig_1 put in profile {token}." in page
    assert _profiles(page)[token] == ("PTZ 1 (PTZConfig_1)", ["PTZConfig_1"])
    profile = camera.profile(token)
    assert profile is not None and profile.configs["PTZ"] == "PTZConfig_1"
    assert device.profiles.get(token=token).ptz_node_token == "PTZNode_1"
    change = ConfigurationChange.objects.latest("pk")
    assert (change.topic, change.action, change.target, change.username, change.ok) == (
        "PTZ",
        "add",
        token,
        "admin",
        True,
    )
    assert (change.before, change.after) == (
        {"configuration": None},
        {"configuration": "PTZConfig_1"},
    )


def test_a_configuration_the_camera_does_not_list_is_refused(
    threaded_fleet: dict[str, Camera], admin: Any, client_for: Any
) -> None:
    camera = threaded_fleet["ptz-dome"]
    device = add_synced(camera)
    url = reverse("configure_ptz", args=[device.pk])
    sent = {"action": "attach", "profile": "Profile_1_main", "configuration": "PTZConfig_9"}
    answer = client_for(admin).post(url, sent)
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "does not list PTZ configuration &#x27;PTZConfig_9&#x27; as compatible" in page
    assert "it offers: PTZConfig_1" in page and "Traceback" not in page
    profile = camera.profile("Profile_1_main")
    assert profile is not None and profile.configs["PTZ"] == "PTZConfig_1"  # nothing was sent
    change = ConfigurationChange.objects.get()
    assert (change.topic, change.action, change.ok) == ("PTZ", "add", False)
    assert "does not list" in change.error
    with pytest.raises(ConfigError, match="no profile 'Profile_9'") as missing:
        configuration.attach_ptz_configuration(device, admin, "Profile_9", "PTZConfig_1")
    assert missing.value.status == 404
    empty = client_for(admin).post(url, sent | {"configuration": ""})
    assert empty.status_code == 400 and "Choose a PTZ configuration" in empty.content.decode()


def test_only_admins_attach(
    threaded_fleet: dict[str, Camera], operator: Any, client_for: Any
) -> None:
    camera = threaded_fleet["ptz-dome"]
    device = add_synced(camera)
    sources = {"VideoSource": "VideoSourceConfig_1", "VideoEncoder": "VideoEncoder_1_sub"}
    camera.profiles.append(Profile("Profile_bare", "Bare", configs=sources))
    sent = {"action": "attach", "profile": "Profile_bare", "configuration": "PTZConfig_1"}
    answer = client_for(operator).post(reverse("configure_ptz", args=[device.pk]), sent)
    assert answer.status_code == 403
    assert "PTZ" not in camera.profiles[-1].configs
    assert not ConfigurationChange.objects.exists()
