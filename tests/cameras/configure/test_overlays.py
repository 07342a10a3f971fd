"""Masks and OSDs through the service and the API: checked against the camera's options
before anything is sent, sent, re-read, audited; admins only."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from cameras.configure import overlays
from cameras.configure.errors import ConfigError
from cameras.configure.overlay_checks import check_osd, self_intersecting
from cameras.models import ConfigurationChange, Device
from cameras.onvif.overlay_types import Color, Mask, Osd, OsdOptions
from simulator.camera import Camera
from tests.cameras.conftest import add_synced

pytestmark = pytest.mark.django_db(transaction=True)
SQUARE = ((-0.5, 0.5), (0.0, 0.5), (0.0, 0.0), (-0.5, 0.0))


@pytest.fixture
def dome(threaded_fleet: dict[str, Camera]) -> tuple[Camera, Device]:
    camera = threaded_fleet["ptz-dome"]
    return camera, add_synced(camera)


def vsc(camera: Camera) -> str:
    return camera.configs("VideoSource")[0].token


def test_the_overlays_are_read_with_their_options_and_a_streaming_profile(
    dome: tuple[Camera, Device],
) -> None:
    camera, device = dome
    page = overlays.read_overlays(device)
    assert page.source.token == vsc(camera)
    assert page.profile_token == camera.profiles[0].token
    assert page.mask_options is not None and page.mask_options.max_points == 4
    assert page.osd_options is not None and page.osd_options.max_total == camera.max_osds
    with pytest.raises(ConfigError) as missing:
        overlays.read_overlays(device, "NoSuchSource")
    assert missing.value.status == 404


def test_a_mask_is_created_moved_and_deleted_with_an_audit_row_each(
    dome: tuple[Camera, Device], admin: Any
) -> None:
    camera, device = dome
    token, page = overlays.create_mask(
        device, admin, Mask(token="", source_token=vsc(camera), points=SQUARE)
    )
    assert [m.token for m in page.masks] == [token] == [m.token for m in camera.masks]
    moved = tuple((x + 0.5, y) for x, y in SQUARE)
    page = overlays.set_mask(device, admin, replace(page.masks[0], points=moved))
    assert page.masks[0].points == moved
    page = overlays.delete_mask(device, admin, vsc(camera), token)
    assert page.masks == [] and camera.masks == []
    rows = list(ConfigurationChange.objects.order_by("pk").values_list("topic", "action", "ok"))
    assert rows == [("Mask", "create", True), ("Mask", "set", True), ("Mask", "delete", True)]
    row = ConfigurationChange.objects.get(action="set")
    assert row.before["points"] == [list(p) for p in SQUARE] and row.username == admin.username


@pytest.mark.parametrize(
    ("points", "words"),
    [
        (((0, 0), (0.5, 0)), "at least 3 points"),
        ((*SQUARE, (-0.25, 0.75)), "at most 4 points"),
        (((-0.5, 0.5), (0.0, 0.0), (0.0, 0.5), (-0.5, 0.0)), "edges cross"),
        (((0, 0), (0.5, 0), (1.0, 0)), "covers no area"),
        (((0, 0), (1.5, 0), (0, 0.5)), "from -1 to 1"),
    ],
)
def test_a_mask_outside_the_options_is_refused_before_anything_is_sent(
    dome: tuple[Camera, Device], admin: Any, points: Any, words: str
) -> None:
    camera, device = dome
    with pytest.raises(ConfigError) as refused:
        overlays.create_mask(device, admin, Mask(token="", source_token=vsc(camera), points=points))
    assert words in refused.value.message and refused.value.status == 400
    assert camera.masks == []
    row = ConfigurationChange.objects.get()
    assert not row.ok and words in row.error


def test_masks_past_the_maximum_and_colours_not_offered_are_refused(
    dome: tuple[Camera, Device], admin: Any
) -> None:
    camera, device = dome
    for _ in range(camera.max_masks):
        overlays.create_mask(device, admin, Mask(token="", source_token=vsc(camera), points=SQUARE))
    with pytest.raises(ConfigError, match="at most 4 masks"):
        overlays.create_mask(device, admin, Mask(token="", source_token=vsc(camera), points=SQUARE))
    pink = Mask(token="", source_token=vsc(camera), points=SQUARE, color=Color(200, 50, 200))
    with pytest.raises(ConfigError, match="colours"):
        overlays.set_mask(device, admin, replace(pink, token=camera.masks[0].token))


def test_an_osd_is_checked_against_the_options_created_and_changed(
    dome: tuple[Camera, Device], admin: Any
) -> None:
    camera, device = dome
    clock = Osd(
        token="",
        source_token=vsc(camera),
        position="LowerRight",
        text_type="DateAndTime",
        date_format="yyyy-MM-dd",
        time_format="HH:mm:ss",
    )
    token, page = overlays.create_osd(device, admin, clock)
    assert [(o.token, o.position) for o in page.osds] == [(token, "LowerRight")]
    with pytest.raises(ConfigError, match="at most 1 OSD"):  # one DateAndTime per source
        overlays.create_osd(device, admin, clock)
    with pytest.raises(ConfigError, match="font size must be 8 to 64"):
        overlays.set_osd(device, admin, replace(clock, token=token, font_size=99))
    with pytest.raises(ConfigError, match="Date formats offered"):
        overlays.set_osd(device, admin, replace(clock, token=token, date_format="yy.M"))
    plain = replace(clock, token=token, text_type="Plain", plain_text="Gate")
    page = overlays.set_osd(device, admin, plain)
    assert page.osds[0].plain_text == "Gate" and camera.osds[0].plain_text == "Gate"
    page = overlays.delete_osd(device, admin, vsc(camera), token)
    assert page.osds == [] and camera.osds == []


def test_a_mask_deleted_by_another_client_is_said_in_words(
    dome: tuple[Camera, Device], admin: Any
) -> None:
    camera, device = dome
    token, _ = overlays.create_mask(
        device, admin, Mask(token="", source_token=vsc(camera), points=SQUARE)
    )
    camera.masks.clear()  # another client
    with pytest.raises(ConfigError, match="no longer has the mask") as gone:
        overlays.delete_mask(device, admin, vsc(camera), token)
    assert gone.value.status == 404


def test_edges_that_cross_are_found() -> None:
    assert self_intersecting(((0, 0), (1, 1), (1, 0), (0, 1)))
    assert not self_intersecting(((0, 0), (1, 0), (1, 1), (0, 1)))
    assert not self_intersecting(((0, 0), (1, 0), (0.5, 1)))


def test_the_api_draws_and_refuses_like_the_editor(
    dome: tuple[Camera, Device], admin: Any, operator: Any, client_for: Any
) -> None:
    camera, device = dome
    api = client_for(admin)
    base = f"/api/devices/{device.pk}/media/sources/{vsc(camera)}"
    state = api.get(f"{base}/overlays").json()
    assert state["mask_options"]["max_points"] == 4 and state["masks"] == []
    created = api.post(
        f"{base}/masks",
        {"points": [list(p) for p in SQUARE], "type": "Color", "color": "235 128 128"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    token = created.json()["token"]
    assert created.json()["masks"][0]["color"]["x"] == 235
    five = api.post(
        f"{base}/masks",
        {"points": [list(p) for p in (*SQUARE, (0.9, 0.9))]},
        content_type="application/json",
    )
    assert five.status_code == 400 and "at most 4 points" in five.json()["fields"]["points"]
    bad = api.post(f"{base}/masks", {"points": "none"}, content_type="application/json")
    assert bad.status_code in (400, 422)
    osd = api.post(
        f"{base}/osds",
        {"position": "UpperRight", "text_type": "Plain", "plain_text": "Lobby"},
        content_type="application/json",
    )
    assert osd.status_code == 201 and camera.osds[0].plain_text == "Lobby"
    assert api.delete(f"{base}/masks/{token}").json()["masks"] == []
    refused = client_for(operator).post(
        f"{base}/masks", {"points": [[0, 0], [0.5, 0], [0, 0.5]]}, content_type="application/json"
    )
    assert refused.status_code == 403 and camera.masks == []


def test_an_image_osd_must_use_a_slot_the_camera_offers() -> None:
    options = OsdOptions(types=("Text", "Image"), positions=("UpperLeft",), image_paths=("/a.png",))
    logo = Osd(token="", source_token="V", type="Image", image_path="/a.png")
    assert check_osd(logo, options, []) == {}
    assert "image_path" in check_osd(replace(logo, image_path="/b.png"), options, [])
    assert "type" in check_osd(replace(logo, type="Extended"), options, [])
