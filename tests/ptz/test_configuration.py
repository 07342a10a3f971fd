"""PTZ configurations through the service and the page: checked against the camera's options
and the node's ranges before anything is sent, sent, audited; admins only."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from django.urls import reverse

from cameras.configure.errors import ConfigError
from cameras.models import ConfigurationChange
from ptz import configuration
from simulator.camera import Camera
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
