"""The configuration API: the same checks, refusals and audit as the pages; admins only."""

from __future__ import annotations

from typing import Any

import pytest

from cameras.models import ConfigurationChange, Device
from simulator.camera import Camera
from tests.cameras.conftest import add_synced

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dome(threaded_fleet: dict[str, Camera]) -> tuple[Camera, Device]:
    camera = threaded_fleet["ptz-dome"]
    return camera, add_synced(camera)


def test_an_admin_builds_a_profile_and_tunes_its_encoder(
    dome: tuple[Camera, Device], admin: Any, client_for: Any
) -> None:
    camera, device = dome
    api = client_for(admin)
    base = f"/api/devices/{device.pk}/media"
    source = camera.configs("VideoSource")[0].token
    encoder = camera.configs("VideoEncoder")[-1]
    created = api.post(
        f"{base}/profiles",
        {"name": "API", "configurations": {"VideoSource": source}},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    token = created.json()["token"]
    put = api.put(
        f"{base}/profiles/{token}/configurations/VideoEncoder",
        {"token": encoder.token},
        content_type="application/json",
    )
    assert put.status_code == 204, put.content
    profiles = {p["token"]: p for p in api.get(f"{base}/profiles").json()}
    assert profiles[token]["configurations"]["VideoEncoder"]["token"] == encoder.token

    url = f"{base}/configurations/VideoEncoder/{encoder.token}"
    shown = api.get(url).json()
    assert {o["encoding"] for o in shown["options"]} >= {"H264", "H265"}
    changed = api.patch(
        url,
        {"encoding": "H265", "width": 1280, "height": 720, "fps": 15, "profile": "Main"},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["encoding"], changed.json()["fps"]) == ("H265", 15)
    assert (encoder.encoding, encoder.width, encoder.fps) == ("H265", 1280, 15)
    assert [c["action"] for c in api.get(f"{base}/changes").json()] == ["set", "add", "create"]


def test_refusals_have_their_status_and_say_why(
    dome: tuple[Camera, Device], admin: Any, client_for: Any
) -> None:
    camera, device = dome
    api = client_for(admin)
    base = f"/api/devices/{device.pk}/media"
    encoder = camera.configs("VideoEncoder")[0]
    url = f"{base}/configurations/VideoEncoder/{encoder.token}"
    out_of_range = api.patch(url, {"fps": 240}, content_type="application/json")
    assert out_of_range.status_code == 400
    assert "30, 25, 15, 10, 5, 1" in out_of_range.json()["fields"]["fps"]
    unknown = api.patch(url, {"colour": "red"}, content_type="application/json")
    assert unknown.status_code == 400 and "colour" in unknown.json()["detail"]
    missing = api.get(f"{base}/configurations/VideoEncoder/NoSuchToken")
    assert missing.status_code == 404
    fixed = next(p for p in camera.profiles if p.fixed)
    refused = api.delete(f"{base}/profiles/{fixed.token}")
    assert refused.status_code == 409 and "fixed" in refused.json()["detail"]
    assert not ConfigurationChange.objects.filter(action="set").exists()


@pytest.mark.parametrize("persona", ["viewer", "operator"])
def test_viewers_and_operators_are_refused(
    dome: tuple[Camera, Device], client_for: Any, persona: str, request: pytest.FixtureRequest
) -> None:
    camera, device = dome
    api = client_for(request.getfixturevalue(persona))
    base = f"/api/devices/{device.pk}/media"
    count = len(camera.profiles)
    assert api.get(f"{base}/profiles").status_code == 403
    assert (
        api.post(f"{base}/profiles", {"name": "x"}, content_type="application/json").status_code
        == 403
    )
    assert (
        api.patch(
            f"{base}/configurations/VideoEncoder/{camera.configs('VideoEncoder')[0].token}",
            {"fps": 5},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert len(camera.profiles) == count


def test_the_write_endpoints_are_documented_with_their_refusals(
    admin: Any, client_for: Any
) -> None:
    schema = client_for(admin).get("/api/openapi.json").json()
    patch = schema["paths"]["/api/devices/{device_id}/media/configurations/{kind}/{token}"]["patch"]
    assert {"200", "400", "404", "409"} <= set(patch["responses"])


def test_the_media_capabilities_are_those_the_sync_stored(
    dome: tuple[Camera, Device], admin: Any, viewer: Any, client_for: Any
) -> None:
    camera, device = dome
    url = f"/api/devices/{device.pk}/media/capabilities"
    answer = client_for(admin).get(url)
    assert answer.status_code == 200, answer.content
    caps = answer.json()
    assert caps["max_profiles"] == camera.max_profiles
    assert "AudioSource" not in caps["kinds"] and "VideoEncoder" in caps["kinds"]
    assert caps["mask"] and caps["osd"]
    assert client_for(viewer).get(url).status_code == 403
