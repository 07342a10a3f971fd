from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from cameras.models import Device
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def device() -> Device:
    d = Device(host="192.0.2.30", port=80, username="admin", name="Gate", status="online")
    d.password = "pw"
    d.save()
    d.profiles.create(
        token="main",
        name="Main",
        encoding="H264",
        width=1920,
        height=1080,
        stream_uri="rtsp://192.0.2.30/main",
    )
    return d


def test_anonymous_api_calls_get_a_json_401() -> None:
    response = Client().get("/api/devices")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_viewer_lists_devices_and_reads_profiles(viewer: Any, client_for: Any) -> None:
    d = device()
    client = client_for(viewer)
    listing = client.get("/api/devices").json()
    assert [(x["name"], x["status"]) for x in listing] == [("Gate", "online")]
    assert "password" not in json.dumps(listing)
    detail = client.get(f"/api/devices/{d.pk}").json()
    assert detail["profiles"][0]["stream_uri"] == "rtsp://192.0.2.30/main"
    assert client.get("/api/devices/999999").status_code == 404


def test_only_admins_add_devices_and_bad_values_are_explained(
    client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    body = {"host": "192.0.2.40", "port": 80, "username": "admin", "password": "pw"}
    operator = client_for(UserFactory(role="operator"))
    assert operator.post("/api/devices", body, content_type="application/json").status_code == 403
    admin = client_for(UserFactory(role="admin"))
    bad = admin.post("/api/devices", body | {"port": 70000}, content_type="application/json")
    assert bad.status_code == 422
    assert "port" in json.dumps(bad.json())
    with django_capture_on_commit_callbacks() as callbacks:
        created = admin.post("/api/devices", body, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["status"] == "pending"
    assert len(callbacks) == 1
    again = admin.post("/api/devices", body, content_type="application/json")
    assert again.status_code == 409
    assert Device.objects.count() == 1


def test_session_writes_need_the_csrf_token(admin: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    body = {"host": "192.0.2.41", "port": 80, "username": "admin", "password": "pw"}
    response = client.post("/api/devices", body, content_type="application/json")
    assert response.status_code == 403
    assert not Device.objects.exists()


def test_the_openapi_schema_describes_the_device_api(viewer: Any, client_for: Any) -> None:
    schema = client_for(viewer).get("/api/openapi.json").json()
    assert {"/api/devices", "/api/devices/{device_id}", "/api/devices/{device_id}/sync"} <= set(
        schema["paths"]
    )
    assert Client().get("/api/openapi.json").status_code == 302  # login first


@pytest.mark.parametrize("device_id", ["99999999999999999999", "0", "-1"])
def test_out_of_range_device_ids_are_not_found_or_refused(
    device_id: str, admin: Any, client_for: Any
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    for answer in (
        client.get(f"/api/devices/{device_id}"),
        client.post(f"/api/devices/{device_id}/sync"),
    ):
        assert answer.status_code in (404, 422), answer.content
        assert "detail" in answer.json()
