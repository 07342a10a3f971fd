"""The discovery panel: a scan runs on a real worker and lists the virtual cameras."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from cameras.models import Device
from simulator.discovery import Discovery
from tests.cameras.conftest import ThreadedFleet

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_scan_lists_the_cameras_and_marks_the_added_one(
    admin: Any, client_for: Any, celery_worker: Any
) -> None:
    fleet = ThreadedFleet()
    with fleet as cameras:
        discovery = Discovery(fleet.cameras, "127.0.0.1", 0)
        fleet.run(discovery.start())
        dome = cameras["ptz-dome"]
        Device.objects.create(host=dome.host, port=dome.port, username="admin", name="Dome")
        client = client_for(admin)
        started = client.post("/devices/discover/", {"targets": f"127.0.0.1:{discovery.port}"})
        scan_id = re.search(r"/devices/discover/(\w+)/", started.content.decode()).group(1)
        deadline = time.monotonic() + 20
        while "Scanning" in (page := client.get(f"/devices/discover/{scan_id}/").content.decode()):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        fleet.run(discovery.stop())
    for name in ("bullet-analytics", "audio-cam", "dual-sensor"):
        assert f"name={name}" in page  # an Add link prefilled with the camera
    assert "Added as Dome" in page
    assert "SV-BUL-400" in page


def test_a_bad_target_is_explained_in_the_panel(admin: Any, client_for: Any) -> None:
    page = (
        client_for(admin).post("/devices/discover/", {"targets": "camera.local"}).content.decode()
    )
    assert "not an IP address" in page


def test_an_expired_scan_says_so(admin: Any, client_for: Any) -> None:
    response = client_for(admin).get("/devices/discover/0123abcd/")
    assert response.status_code == 404


def test_the_add_form_is_prefilled_from_a_discovered_camera(admin: Any, client_for: Any) -> None:
    page = (
        client_for(admin).get("/devices/add/?host=127.0.0.1&port=18081&name=Gate").content.decode()
    )
    assert 'value="127.0.0.1"' in page and 'value="18081"' in page and 'value="Gate"' in page
