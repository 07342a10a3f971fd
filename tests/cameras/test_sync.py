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
    speed = next(s for s in node.space_ranges if s["group"] == "PanTiltSpeedSpace")
    assert speed["x"] == [0.0, 1.0] and len(node.space_ranges) == 10  # 8 groups, 2 in degrees
    assert (node.max_tours, node.geo_move) == (8, True)
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


def test_a_camera_that_wants_credentials_for_its_clock_is_added(
    threaded_fleet: dict[str, Camera],
) -> None:
    camera = threaded_fleet["bullet-analytics"]
    camera.quirks.auth_clock = True  # GetSystemDateAndTime answers 401 without a token
    device = make_device(camera)
    sync_device(device, final_attempt=False)
    device.refresh_from_db()
    assert device.status == Device.Status.ONLINE, device.last_error
    assert device.model == "SV-BUL-400" and device.profiles.exists()


@pytest.mark.parametrize("media1_only", [False, True], ids=["media2", "media1-only"])
def test_a_camera_whose_get_video_sources_faults_is_added_with_its_configured_sources(
    threaded_fleet: dict[str, Camera], media1_only: bool
) -> None:
    camera = threaded_fleet["dual-sensor"]
    camera.quirks.video_sources_fault = True  # a Receiver fault without subcode
    camera.quirks.media1_only = media1_only
    device = make_device(camera)
    sync_device(device, final_attempt=False)
    device.refresh_from_db()
    assert device.status == Device.Status.ONLINE, device.last_error
    assert device.profiles.count() == len(camera.profiles)
    sources = {s.token: s for s in device.video_sources.all()}
    assert {t: (s.width, s.height) for t, s in sources.items()} == {
        "VideoSource_1": (1920, 1080),
        "VideoSource_2": (1280, 720),
    }
    assert "Brightness" in sources["VideoSource_1"].imaging_ranges  # imaging read for them


def test_sources_that_could_not_be_read_keep_what_was_stored(
    threaded_fleet: dict[str, Camera],
) -> None:
    from dataclasses import replace

    from cameras.onvif.types import DeviceInfo
    from cameras.store import store_snapshot
    from cameras.sync import DeviceSnapshot

    device = make_device(threaded_fleet["dual-sensor"])
    sync_device(device, final_attempt=True)
    before = list(device.video_sources.values_list("token", "width", "framerate", "focus_moves"))
    snapshot = DeviceSnapshot(DeviceInfo("SimVision", "SV-DUO-800", "5.0.3", "", ""), 0.0, [])
    store_snapshot(device, replace(snapshot, video_sources=None))
    after = list(device.video_sources.values_list("token", "width", "framerate", "focus_moves"))
    assert len(before) == 2 and after == before
    store_snapshot(device, snapshot)  # an empty list is "no sources": they go
    assert not device.video_sources.exists()


def test_a_camera_that_names_types_with_undeclared_prefixes_is_added(
    threaded_fleet: dict[str, Camera],
) -> None:
    camera = threaded_fleet["ptz-dome"]
    camera.quirks.undeclared_prefix = True  # xsi:type="ptz:PTZNode" in GetNodes
    device = make_device(camera)
    sync_device(device, final_attempt=False)
    device.refresh_from_db()
    assert device.status == Device.Status.ONLINE, device.last_error
    node = device.ptz_nodes.get()
    assert node.token == "PTZNode_1" and node.home_supported
    assert node.presets.count() == 3


def test_an_unexpected_error_ends_the_sync_with_a_clear_message(
    threaded_fleet: dict[str, Camera],
) -> None:
    """A profile token longer than ONVIF allows (64 characters) cannot be stored: the sync
    ends, says so on the device, and nothing half-written stays."""
    camera = threaded_fleet["audio-cam"]
    camera.profiles[0].token = "P" * 100
    device = make_device(camera)
    sync_device(device, final_attempt=False)
    device.refresh_from_db()
    assert not device.syncing and device.sync_step == ""
    assert device.status == Device.Status.UNSUPPORTED
    assert device.last_error.startswith("The sync stopped on an unexpected error")
    assert "too long" in device.last_error and "Sync again" in device.last_error
    assert device.last_error_at is not None
    assert not device.profiles.exists() and device.model == ""  # the transaction rolled back


def test_the_sweep_ends_syncs_a_stopped_worker_left_behind(
    threaded_fleet: dict[str, Camera],
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from cameras.sync import end_stale_syncs

    stale = make_device(threaded_fleet["audio-cam"])
    running = make_device(threaded_fleet["ptz-dome"])
    now = timezone.now()
    Device.objects.filter(pk=stale.pk).update(
        syncing=True, sync_step="Reading PTZ", sync_started=now - timedelta(minutes=10)
    )
    Device.objects.filter(pk=running.pk).update(
        syncing=True, sync_step="Connecting", sync_started=now - timedelta(seconds=30)
    )
    assert end_stale_syncs(older_than=timedelta(minutes=4)) == 1
    stale.refresh_from_db()
    running.refresh_from_db()
    assert not stale.syncing and stale.sync_started is None and stale.sync_step == ""
    assert stale.last_error == "The sync was interrupted (the worker stopped): sync again."
    assert stale.status == Device.Status.PENDING  # nothing was learnt about the camera
    assert running.syncing and running.last_error == ""
    assert end_stale_syncs(older_than=timedelta(minutes=4)) == 0  # nothing twice


def test_a_media1_only_dome_with_all_these_quirks_at_once_is_added(
    threaded_fleet: dict[str, Camera],
) -> None:
    camera = threaded_fleet["ptz-dome"]
    quirks = camera.quirks
    quirks.media1_only = quirks.auth_clock = quirks.video_sources_fault = True
    quirks.undeclared_prefix = True
    device = make_device(camera)
    sync_device(device, final_attempt=False)
    device.refresh_from_db()
    assert device.status == Device.Status.ONLINE, device.last_error
    assert "media2" not in device.services
    assert device.video_sources.get().width == 1920
    assert device.ptz_nodes.get().presets.count() == 3
    assert device.profiles.filter(ptz_node_token="PTZNode_1").exists()
