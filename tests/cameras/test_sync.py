"""Adding and syncing devices against the virtual cameras, directly and through Celery."""

from __future__ import annotations

import time
from typing import Any

import pytest

from cameras.models import Device
from cameras.services import add_device
from cameras.sync import TransientSyncError, sync_device
from ptz.models import PtzPreset
from simulator.camera import Camera

pytestmark = pytest.mark.django_db(transaction=True)


def make_device(camera: Camera, password: str = "admin") -> Device:
    device = Device(host=camera.host, port=camera.port, username="admin")
    device.password = password
    device.save()
    return device


def test_a_sync_stores_identity_services_profiles_ptz_and_imaging(
    threaded_fleet: dict[str, Camera],
) -> None:
    camera = threaded_fleet["ptz-dome"]
    device = make_device(camera)
    sync_device(device, final_attempt=True)
    device.refresh_from_db()
    assert device.status == Device.Status.ONLINE, device.last_error
    assert (device.manufacturer, device.model, device.firmware) == (
        "SimVision",
        "SV-PTZ-2000",
        "2.4.1",
    )
    assert device.name == "ptz-dome"  # from the onvif://.../name/ scope
    assert {"media2", "ptz", "imaging"} <= set(device.services)
    profiles = list(device.profiles.all())
    assert [p.token for p in profiles] == [p.token for p in camera.profiles]
    main = profiles[0]
    assert main.encoding and main.width and main.stream_uri.startswith("rtsp://127.0.0.1:")
    assert main.ptz_node_token == "PTZNode_1"
    node = device.ptz_nodes.get()
    assert node.home_supported
    assert set(node.presets.values_list("name", flat=True)) == {"Entrance", "Parking", "Gate"}
    source = device.video_sources.get()
    assert (source.width, source.height) == (1920, 1080)
    assert "Brightness" in source.imaging_ranges
    assert source.focus_moves["continuous_speed"] == [-1.0, 1.0]
    assert source.continuous_focus == (-1.0, 1.0)
    assert not device.syncing and device.last_synced is not None


def test_a_fixed_focus_source_is_stored_without_focus_moves(
    threaded_fleet: dict[str, Camera],
) -> None:
    camera = threaded_fleet["dual-sensor"]
    camera.video_sources[1].remote_focus = False
    device = make_device(camera)
    sync_device(device, final_attempt=True)
    sources = {s.token: s for s in device.video_sources.all()}
    assert sources["VideoSource_1"].continuous_focus == (-1.0, 1.0)
    assert sources["VideoSource_2"].focus_moves == {}
    assert sources["VideoSource_2"].continuous_focus is None


def test_a_resync_follows_changes_on_the_camera(threaded_fleet: dict[str, Camera]) -> None:
    camera = threaded_fleet["ptz-dome"]
    device = make_device(camera)
    sync_device(device, final_attempt=True)
    node = camera.ptz_nodes[0]
    node.presets = [p for p in node.presets if p.name != "Gate"]
    sync_device(device, final_attempt=True)
    assert set(PtzPreset.objects.values_list("name", flat=True)) == {"Entrance", "Parking"}


def test_a_media1_only_camera_is_synced_through_media1(threaded_fleet: dict[str, Camera]) -> None:
    camera = threaded_fleet["dual-sensor"]
    camera.quirks.media1_only = True
    device = make_device(camera)
    sync_device(device, final_attempt=True)
    device.refresh_from_db()
    assert device.status == Device.Status.ONLINE, device.last_error
    assert "media2" not in device.services
    assert device.video_sources.count() == 2
    assert device.profiles.exclude(stream_uri="").count() >= 2


def test_a_wrong_password_marks_the_device_and_does_not_retry(
    threaded_fleet: dict[str, Camera],
) -> None:
    device = make_device(threaded_fleet["bullet-analytics"], password="wrong")
    sync_device(device, final_attempt=False)  # no TransientSyncError: nothing to retry
    device.refresh_from_db()
    assert device.status == Device.Status.NEEDS_CREDENTIALS
    assert "username or password" in device.last_error
    assert "wrong" not in device.last_error


def test_an_unreachable_camera_is_retried_then_marked_offline(
    threaded_fleet: dict[str, Camera],
) -> None:
    from tests.processes import free_port

    device = Device(host="127.0.0.1", port=free_port(), username="admin")
    device.password = "admin"
    device.save()
    with pytest.raises(TransientSyncError):
        sync_device(device, final_attempt=False)
    sync_device(device, final_attempt=True)
    device.refresh_from_db()
    assert device.status == Device.Status.OFFLINE
    assert "Cannot connect" in device.last_error


def test_the_password_is_encrypted_at_rest(threaded_fleet: dict[str, Camera]) -> None:
    device = make_device(threaded_fleet["audio-cam"], password="s3cret-pass")
    stored = Device.objects.values_list("password_encrypted", flat=True).get(pk=device.pk)
    assert "s3cret-pass" not in stored
    assert Device.objects.get(pk=device.pk).password == "s3cret-pass"


def test_adding_a_device_syncs_it_through_a_real_worker(
    threaded_fleet: dict[str, Camera], celery_worker: Any
) -> None:
    camera = threaded_fleet["audio-cam"]
    device = add_device(host=camera.host, port=camera.port, username="admin", password="admin")
    deadline = time.monotonic() + 30
    while True:
        device.refresh_from_db()
        if device.status != Device.Status.PENDING:
            break
        assert time.monotonic() < deadline, device.sync_step
        time.sleep(0.2)
    assert device.status == Device.Status.ONLINE, device.last_error
    assert device.model == "SV-AUD-100"
    assert device.profiles.exists()
