from __future__ import annotations

from typing import Any

import pytest

from cameras.models import Device
from cameras.services import add_device
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def new_device(**fields: Any) -> Device:
    device = Device(host="192.0.2.10", port=80, username="admin", **fields)
    device.password = "s3cret-pass"
    device.save()
    return device


def test_an_admin_adds_a_camera_and_its_sync_is_queued(
    admin: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(admin).post(
            "/devices/add/",
            {"host": "192.0.2.10", "port": "8080", "username": "admin", "password": "pw"},
        )
    device = Device.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/devices/{device.pk}/"
    assert (device.host, device.port, device.status, device.syncing) == (
        "192.0.2.10",
        8080,
        "pending",
        True,
    )
    assert device.password == "pw"
    assert len(callbacks) == 1  # the sync task, enqueued after commit


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("port", "70000", "less than or equal to 65535"),
        ("port", "0", "greater than or equal to 1"),
        ("host", "http://192.0.2.10/onvif", "without http://"),
        ("username", "", "This field is required"),
    ],
)
def test_a_bad_form_says_what_is_wrong_and_adds_nothing(
    admin: Any, client_for: Any, field: str, value: str, message: str
) -> None:
    data = {"host": "192.0.2.10", "port": "80", "username": "admin", "password": "pw"} | {
        field: value
    }
    response = client_for(admin).post("/devices/add/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="192.0.2.10"' in response.content.decode() or field == "host"
    assert not Device.objects.exists()


def test_a_camera_cannot_be_added_twice(admin: Any, client_for: Any) -> None:
    new_device(name="Lobby")
    response = client_for(admin).post(
        "/devices/add/", {"host": "192.0.2.10", "port": "80", "username": "a", "password": "b"}
    )
    assert "already added as “Lobby”" in response.content.decode()
    assert Device.objects.count() == 1


def test_the_password_is_never_shown(admin: Any, client_for: Any) -> None:
    device = new_device()
    client = client_for(admin)
    for path in (f"/devices/{device.pk}/", f"/devices/{device.pk}/credentials/", "/devices/"):
        assert "s3cret-pass" not in client.get(path).content.decode()


def test_a_device_that_needs_credentials_says_so_and_links_to_the_fix(
    admin: Any, client_for: Any
) -> None:
    device = new_device(
        status=Device.Status.NEEDS_CREDENTIALS,
        last_error="The camera refused the username or password.",
    )
    page = client_for(admin).get(f"/devices/{device.pk}/").content.decode()
    assert "Needs credentials" in page
    assert "The camera refused the username or password." in page
    assert f"/devices/{device.pk}/credentials/" in page


def test_new_credentials_trigger_a_resync(
    admin: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    device = new_device(status=Device.Status.NEEDS_CREDENTIALS)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(admin).post(
            f"/devices/{device.pk}/credentials/", {"username": "root", "password": "new-pass"}
        )
    assert response.status_code == 302
    device.refresh_from_db()
    assert (device.username, device.password, device.status) == ("root", "new-pass", "pending")
    assert len(callbacks) == 1


def test_viewers_and_operators_see_devices_but_cannot_change_them(client_for: Any) -> None:
    device = new_device()
    for role in ("viewer", "operator"):
        client = client_for(UserFactory(role=role))
        assert client.get("/devices/").status_code == 200
        assert client.get(f"/devices/{device.pk}/").status_code == 200
        assert "Add camera" not in client.get("/devices/").content.decode()
        assert client.get("/devices/add/").status_code == 403
        assert client.post(f"/devices/{device.pk}/delete/").status_code == 403
    assert Device.objects.filter(pk=device.pk).exists()


def test_the_list_partial_refreshes_statuses(viewer: Any, client_for: Any) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("cameras.services.transaction.on_commit", lambda fn: None)
        add_device(host="192.0.2.20", port=80, username="a", password="b")
    response = client_for(viewer).get("/devices/", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="device-table"')
    assert "Syncing" in body
