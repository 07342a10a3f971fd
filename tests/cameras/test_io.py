"""The inputs and outputs page, service and API: relays switched by operators, settings by
admins, states from the camera's events; viewers only look."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cameras import io
from cameras.configure.errors import ConfigError
from cameras.models import ConfigurationChange, Device
from cameras.onvif.deviceio import RelayOutput
from events.models import Event
from simulator.camera import Camera
from tests.cameras.conftest import add_synced

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def talker(threaded_fleet: dict[str, Camera]) -> tuple[Camera, Device]:
    camera = threaded_fleet["audio-cam"]
    return camera, add_synced(camera)


def relay_event(device: Device, token: str, state: bool) -> None:
    Event.objects.create(
        device=device,
        topic=io.RELAY_TOPIC,
        name="Relay",
        source={"RelayToken": token},
        data={"LogicalState": "active" if state else "inactive"},
        state=state,
        received=timezone.now(),
    )


def test_the_page_shows_relays_and_inputs_with_their_reported_state(
    talker: tuple[Camera, Device], viewer: Any, client_for: Any
) -> None:
    _, device = talker
    relay_event(device, "Relay_2", False)
    relay_event(device, "Relay_2", True)
    page = io.read_io(device)
    assert [r.relay.token for r in page.relays] == ["Relay_1", "Relay_2"]
    assert [r.active for r in page.relays] == [None, True]
    assert [i.input.token for i in page.inputs] == ["Input_1", "Input_2"]
    assert page.idle_states == ("closed", "open")
    html = client_for(viewer).get(reverse("device_io", args=[device.pk])).content.decode()
    assert 'data-relay-state="Relay_2"' in html and ">active<" in html
    assert "Activate" not in html and "relay-settings" not in html  # viewers only look


def test_an_operator_switches_a_relay_and_an_admin_sets_it(
    talker: tuple[Camera, Device], operator: Any, admin: Any, client_for: Any
) -> None:
    camera, device = talker
    url = reverse("device_io", args=[device.pk])
    answer = client_for(operator).post(url, {"action": "activate", "token": "Relay_2"}, follow=True)
    assert "Relay_2 activated" in answer.content.decode() and camera.relays[1].active
    refused = client_for(operator).post(
        url,
        {"action": "relay", "token": "Relay_2", "mode": "Monostable", "delay": "3", "idle": "open"},
        follow=True,
    )
    assert "does not allow" in refused.content.decode() and camera.relays[1].mode == "Bistable"
    client_for(admin).post(
        url,
        {
            "action": "relay",
            "token": "Relay_2",
            "mode": "Monostable",
            "delay": "3",
            "idle": "closed",
        },
    )
    assert (camera.relays[1].mode, camera.relays[1].delay, camera.relays[1].idle_state) == (
        "Monostable",
        3.0,
        "closed",
    )
    client_for(admin).post(url, {"action": "input", "token": "Input_1", "idle": "open"})
    assert camera.digital_inputs[0].idle_state == "open"
    rows = list(ConfigurationChange.objects.order_by("pk").values_list("topic", "action", "ok"))
    assert rows == [
        ("Relay", "switch", True),
        ("Relay", "set", True),
        ("DigitalInput", "set", True),
    ]


def test_values_the_camera_does_not_offer_are_refused(
    talker: tuple[Camera, Device], admin: Any
) -> None:
    camera, device = talker
    with pytest.raises(ConfigError, match=r"delay must be 0\.5 to 60"):
        io.set_relay(device, admin, RelayOutput("Relay_1", "Monostable", 120.0, "open"))
    with pytest.raises(ConfigError, match="no relay output") as missing:
        io.switch_relay(device, admin, "Relay_9", True)
    assert missing.value.status == 404
    assert camera.relays[0].delay == 2.0


def test_the_api_switches_for_operators_only(
    talker: tuple[Camera, Device], operator: Any, viewer: Any, client_for: Any
) -> None:
    camera, device = talker
    base = f"/api/devices/{device.pk}/io"
    assert client_for(viewer).get(base).json()["relays"][0]["relay"]["token"] == "Relay_1"
    state = f"{base}/relays/Relay_2/state"
    assert (
        client_for(viewer).put(state, {"active": True}, content_type="application/json").status_code
        == 403
    )
    assert not camera.relays[1].active
    answer = client_for(operator).put(state, {"active": True}, content_type="application/json")
    assert answer.status_code == 202 and camera.relays[1].active
    settings = client_for(operator).put(
        f"{base}/relays/Relay_2",
        {"mode": "Bistable", "idle_state": "open"},
        content_type="application/json",
    )
    assert settings.status_code == 403


def test_a_camera_without_device_io_says_so(
    threaded_fleet: dict[str, Camera], admin: Any, client_for: Any
) -> None:
    device = add_synced(threaded_fleet["ptz-dome"])
    device.services.pop("deviceio", None)
    device.save()
    page = client_for(admin).get(reverse("device_io", args=[device.pk])).content.decode()
    assert "no Device IO service" in page


def test_an_admin_renames_a_video_output_configuration(
    threaded_fleet: dict[str, Camera], admin: Any, viewer: Any, client_for: Any
) -> None:
    camera = threaded_fleet["dual-sensor"]
    device = add_synced(camera)
    token = camera.video_outputs[0].token
    page = io.read_io(device)
    assert [o.output.token for o in page.video_outputs] == [token]
    assert page.video_outputs[0].config is not None
    url = reverse("device_io", args=[device.pk])
    html = client_for(viewer).get(url).content.decode()
    assert camera.video_output_configs[token] in html and "Rename" not in html
    client_for(admin).post(url, {"action": "output", "token": token, "name": "Guard desk"})
    assert camera.video_output_configs[token] == "Guard desk"
    with pytest.raises(ConfigError, match="1 to 64"):
        io.rename_video_output_configuration(device, admin, token, " ")
