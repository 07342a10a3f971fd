"""Preset tours through the API and the Configure page, against the simulator's dome: created,
changed and removed within the camera's tour options, refusals in words with nothing sent,
audited; operators read them, only admins change them."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from cameras.models import ConfigurationChange
from simulator.camera import Camera
from tests.cameras.conftest import add_synced, threaded_fleet

__all__ = ["threaded_fleet"]

pytestmark = pytest.mark.django_db(transaction=True)


def tour_body(presets: list[str], **changes: Any) -> dict[str, Any]:
    body = {
        "name": "Night round",
        "direction": "Forward",
        "recurring_time": 2,
        "spots": [{"preset": token, "stay": 3, "speed": 0.5} for token in presets],
    }
    return body | changes


def test_an_admin_creates_changes_and_removes_a_tour(
    threaded_fleet: dict[str, Camera], admin: Any, client_for: Any
) -> None:
    camera = threaded_fleet["ptz-dome"]
    device = add_synced(camera)
    node = camera.ptz_nodes[0]
    presets = [p.token for p in node.presets][:3]
    api = f"/api/devices/{device.pk}/ptz/tours"
    client = client_for(admin)

    read = client.get(api).json()
    assert read["max_tours"] == node.max_tours
    (demo,) = read["tours"]  # the dome's own tour, as the camera keeps it
    assert (demo["name"], demo["state"], demo["direction"]) == ("Perimeter", "Idle", "Forward")
    assert [s["label"] for s in demo["spots"]] == [p.name for p in node.presets[:3]]
    assert [p["token"] for p in read["presets"]] == [p.token for p in node.presets]
    assert read["options"]["directions"] == ["Forward", "Backward"]

    created = client.post(api, tour_body(presets), content_type="application/json")
    assert created.status_code == 201, created.content
    tour = created.json()["tours"][1]
    assert (tour["name"], tour["state"], tour["recurring_time"]) == ("Night round", "Idle", 2)
    assert [s["preset"] for s in tour["spots"]] == presets
    held = node.tours[1]
    assert [s.preset for s in held.spots] == presets and [s.stay for s in held.spots] == [3.0] * 3

    changed = tour_body(
        list(reversed(presets)), name="Gate sweep", direction="Backward", recurring_time=None
    ) | {"spots": [{"preset": presets[0], "stay": 1}, {"home": True, "stay": 2}]}
    answer = client.put(f"{api}/{held.token}", changed, content_type="application/json")
    assert answer.status_code == 200, answer.content
    tour = answer.json()["tours"][1]
    assert (tour["name"], tour["direction"], tour["recurring_time"]) == (
        "Gate sweep",
        "Backward",
        None,
    )
    assert [s["label"] for s in tour["spots"]] == [node.presets[0].name, "home"]
    assert (held.name, held.direction, held.spots[1].home) == ("Gate sweep", "Backward", True)

    assert [t["name"] for t in client.delete(f"{api}/{held.token}").json()["tours"]] == [
        "Perimeter"
    ]
    assert held not in node.tours
    rows = ConfigurationChange.objects.order_by("pk")
    assert [(r.topic, r.action, r.target, r.ok) for r in rows] == [
        ("PresetTour", "create", held.token, True),
        ("PresetTour", "modify", held.token, True),
        ("PresetTour", "remove", held.token, True),
    ]
    assert rows[1].before["name"] == "Night round" and rows[1].after["name"] == "Gate sweep"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"spots": []}, "spots", "at least one spot"),
        ({"spots": [{"preset": "NoSuchPreset"}]}, "spot-1", "no preset 'NoSuchPreset'"),
        (
            {"spots": [{"preset": "Preset_1", "stay": 7200}]},
            "spot-1",
            "stay time must be 0 to 3600",
        ),
        ({"spots": [{"preset": "Preset_1", "speed": 4}]}, "spot-1", "speed must be above 0"),
        ({"recurring_time": 500}, "recurring_time", "Rounds must be 1 to 100"),
        ({"recurring_duration": 5}, "recurring_duration", "duration must be 10 to 86400"),
    ],
)
def test_what_the_tour_options_refuse_is_said_and_nothing_is_sent(
    threaded_fleet: dict[str, Camera],
    admin: Any,
    client_for: Any,
    changes: dict[str, Any],
    field: str,
    words: str,
) -> None:
    camera = threaded_fleet["ptz-dome"]
    device = add_synced(camera)
    answer = client_for(admin).post(
        f"/api/devices/{device.pk}/ptz/tours",
        tour_body(["Preset_1"], **changes),
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert words in answer.json()["detail"] and field in answer.json()["fields"]
    assert len(camera.ptz_nodes[0].tours) == 1  # not even an empty tour was created
    assert ConfigurationChange.objects.get().ok is False


def test_a_camera_full_of_tours_is_said_so(
    threaded_fleet: dict[str, Camera], admin: Any, client_for: Any
) -> None:
    camera = threaded_fleet["ptz-dome"]
    camera.ptz_nodes[0].max_tours = 2  # its own tour and one more
    device = add_synced(camera)
    client = client_for(admin)
    api = f"/api/devices/{device.pk}/ptz/tours"
    body = tour_body(["Preset_1"])
    assert client.post(api, body, content_type="application/json").status_code == 201
    refused = client.post(api, tour_body(["Preset_2"]), content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "The camera keeps at most 2 preset tours."
    assert len(camera.ptz_nodes[0].tours) == 2


def test_operators_read_tours_and_only_admins_change_them(
    threaded_fleet: dict[str, Camera], operator: Any, viewer: Any, client_for: Any
) -> None:
    camera = threaded_fleet["ptz-dome"]
    device = add_synced(camera)
    api = f"/api/devices/{device.pk}/ptz/tours"
    as_operator, as_viewer = client_for(operator), client_for(viewer)
    assert as_operator.get(api).status_code == 200
    body = tour_body(["Preset_1"])
    assert as_operator.post(api, body, content_type="application/json").status_code == 403
    assert as_viewer.get(api).status_code == 403
    assert len(camera.ptz_nodes[0].tours) == 1
    assert as_operator.get(reverse("configure_tours", args=[device.pk])).status_code == 403


def test_the_page_lists_the_tours_and_a_camera_without_tours_is_told_apart(
    threaded_fleet: dict[str, Camera], admin: Any, client_for: Any
) -> None:
    dome = add_synced(threaded_fleet["ptz-dome"])
    client = client_for(admin)
    client.post(
        f"/api/devices/{dome.pk}/ptz/tours",
        tour_body(["Preset_1", "Preset_2"]),
        content_type="application/json",
    )
    page = client.get(reverse("configure_tours", args=[dome.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert '"name": "Night round"' in text and "Preset tours" in text

    threaded_fleet["bullet-analytics"].ptz_nodes.clear()
    bullet = add_synced(threaded_fleet["bullet-analytics"])
    assert not bullet.has_preset_tours
    refused = client.get(reverse("configure_tours", args=[bullet.pk]))
    assert "This camera has no PTZ profile" in refused.content.decode()
    answer = client.get(f"/api/devices/{bullet.pk}/ptz/tours")
    assert answer.status_code == 409
