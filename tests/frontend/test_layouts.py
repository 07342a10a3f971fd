"""Live layouts: the working layout per user, named views (own and shared), the profile per cell."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from cameras.models import Device
from frontend.layouts.models import LiveView
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def camera(name: str, n: int) -> Device:
    device = Device.objects.create(name=name, host=f"192.0.2.{n}", port=80, username="a")
    device.profiles.create(
        token="main", name="Main", position=0, encoding="H264", width=1920, height=1080,
        stream_uri=f"rtsp://192.0.2.{n}/main",
    )  # fmt: skip
    device.profiles.create(
        token="sub", name="Sub", position=1, encoding="H264", width=640, height=360,
        stream_uri=f"rtsp://192.0.2.{n}/sub",
    )  # fmt: skip
    return device


def test_an_h265_only_camera_gets_a_tile_and_h264_is_preferred_where_there_is_both(
    viewer: User, client_for: Any
) -> None:
    hevc = Device.objects.create(name="HEVC", host="192.0.2.9", port=80, username="a")
    hevc.profiles.create(
        token="main265", name="Main", position=0, encoding="H265", width=3840, height=2160,
        stream_uri="rtsp://192.0.2.9/main",
    )  # fmt: skip
    hevc.profiles.create(
        token="sub265", name="Sub", position=1, encoding="H265", width=640, height=360,
        stream_uri="rtsp://192.0.2.9/sub",
    )  # fmt: skip
    hevc.profiles.create(
        token="jpeg", name="Jpeg", position=2, encoding="JPEG", width=320, height=180,
        stream_uri="rtsp://192.0.2.9/jpeg",
    )  # fmt: skip
    mixed = camera("Mixed", 10)
    mixed.profiles.create(
        token="tiny265", name="Tiny", position=2, encoding="H265", width=320, height=180,
        stream_uri="rtsp://192.0.2.10/tiny",
    )  # fmt: skip
    assert tiles(client_for(viewer)) == [
        (str(hevc.pk), "sub265"),
        (str(mixed.pk), "sub"),  # not the smaller H.265 one: H.264 needs no transcoding
        ("", ""),
        ("", ""),
    ]
    client = client_for(viewer)
    post(client, "/live/layout/", {"grid": 1, "cells": [hevc.pk]})
    assert tiles(client) == [(str(hevc.pk), "main265")]


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def tiles(client: Client, url: str = "/") -> list[tuple[str, str]]:
    """(device id, profile) of each camera tile on the live page; "" for an empty cell."""
    page = client.get(url)
    assert page.status_code == 200
    cells = page.context["cells"]
    return [(str(c.camera.device_id), c.profile) if c.camera else ("", "") for c in cells]


def test_a_first_visit_shows_every_camera_in_the_smallest_grid_on_the_sub_stream(
    viewer: User, client_for: Any
) -> None:
    a, b = camera("A", 1), camera("B", 2)
    assert tiles(client_for(viewer)) == [(str(a.pk), "sub"), (str(b.pk), "sub"), ("", ""), ("", "")]


def test_a_layout_is_saved_per_user_and_a_single_cell_plays_the_main_stream(
    viewer: User, operator: User, client_for: Any
) -> None:
    a, b = camera("A", 1), camera("B", 2)
    client = client_for(viewer)
    answer = post(client, "/live/layout/", {"grid": 1, "cells": [b.pk, a.pk]}).json()
    assert answer == {"grid": 1, "cells": [str(b.pk), str(a.pk)] + [None] * 14}
    assert tiles(client) == [(str(b.pk), "main")]
    assert len(tiles(client_for(operator))) == 4  # someone else's layout is untouched


def test_bad_layouts_are_made_valid(viewer: User, client_for: Any) -> None:
    a = camera("A", 1)
    client = client_for(viewer)
    answer = post(client, "/live/layout/", {"grid": 7, "cells": [a.pk, 99999, "x", True]}).json()
    assert answer == {"grid": 4, "cells": [str(a.pk)] + [None] * 15}
    assert (
        client.post("/live/layout/", "not json", content_type="application/json").status_code == 200
    )


def test_named_views_are_private_unless_shared_and_only_their_owner_deletes_them(
    viewer: User, operator: User, client_for: Any
) -> None:
    a, b = camera("A", 1), camera("B", 2)
    mine, theirs = client_for(operator), client_for(viewer)
    private = post(mine, "/live/views/", {"name": "Gate", "grid": 4, "cells": [a.pk]}).json()
    shared = post(
        mine, "/live/views/", {"name": "Lobby", "grid": 9, "cells": [None, b.pk], "shared": True}
    ).json()
    assert tiles(mine, f"/?view={private['id']}")[0] == (str(a.pk), "sub")
    assert len(tiles(theirs, f"/?view={shared['id']}")) == 9
    assert tiles(theirs, f"/?view={shared['id']}")[1] == (str(b.pk), "sub")
    assert len(tiles(theirs, f"/?view={private['id']}")) == 4  # not theirs: their own layout
    assert post(theirs, f"/live/views/{shared['id']}/delete/", {}).status_code == 404
    assert post(mine, f"/live/views/{shared['id']}/delete/", {}).json() == {"deleted": shared["id"]}
    assert list(LiveView.objects.values_list("name", flat=True)) == ["Gate"]
    assert post(mine, "/live/views/", {"name": "  "}).status_code == 400


def test_saving_a_view_under_the_same_name_overwrites_it(operator: User, client_for: Any) -> None:
    a = camera("A", 1)
    client = client_for(operator)
    first = post(client, "/live/views/", {"name": "Gate", "grid": 4, "cells": []}).json()
    second = post(client, "/live/views/", {"name": "Gate", "grid": 16, "cells": [a.pk]}).json()
    assert first["id"] == second["id"] and second["grid"] == 16


def test_only_ptz_roles_get_ptz_controls_on_the_page(client_for: Any) -> None:
    from ptz.models import PtzNode

    device = camera("Dome", 1)
    device.services = {"ptz": {"xaddr": "http://192.0.2.1/onvif/ptz_service"}}
    device.save()
    node = PtzNode.objects.create(
        device=device,
        token="N",
        name="N",
        max_presets=8,
        home_supported=True,
        aux_commands=["tt:Wiper|On"],
    )
    node.presets.create(token="P1", name="Gate")
    operator_page = client_for(UserFactory(role="operator")).get("/")
    controls = operator_page.context["ptz_controls"][str(device.pk)]
    assert controls["presets"] == [{"token": "P1", "name": "Gate"}]
    assert controls["aux"] == [{"command": "tt:Wiper|On", "label": "Wiper on"}]
    assert b'id="ptz-controls"' in operator_page.content
    viewer_page = client_for(UserFactory(role="viewer")).get("/")
    assert viewer_page.context["ptz_controls"] == {}
    assert b'id="ptz-controls"' not in viewer_page.content


def test_camera_in_the_address_opens_it_alone_without_saving_the_layout(
    viewer: User, client_for: Any
) -> None:
    a, b = camera("A", 1), camera("B", 2)
    client = client_for(viewer)
    post(client, "/live/layout/", {"grid": 4, "cells": [b.pk, a.pk]})
    page = client.get("/", {"camera": a.pk})
    assert tiles(client, f"/?camera={a.pk}") == [(str(a.pk), "main")]  # one cell, main stream
    assert page.context["single"].name == "A" and not page.context["notice"]
    assert b'data-testid="live-single"' in page.content
    saved = LiveView.objects.get(owner=viewer, name="")
    assert (saved.grid, saved.cells) == (4, [str(b.pk), str(a.pk)] + [None] * 14)
    assert tiles(client) == [(str(b.pk), "sub"), (str(a.pk), "sub"), ("", ""), ("", "")]


@pytest.mark.parametrize("value", ["999999", "abc", "-1", "1e3", ""])
def test_a_camera_that_does_not_exist_is_said_so_over_the_user_s_layout(
    value: str, viewer: User, client_for: Any
) -> None:
    a = camera("A", 1)
    page = client_for(viewer).get("/", {"camera": value})
    assert page.status_code == 200
    assert page.context["single"] is None
    notice = page.context["notice"]
    assert "does not exist" in notice or "is not a camera number" in notice
    assert b'data-testid="live-notice"' in page.content
    assert [c.camera.device_id for c in page.context["cells"] if c.camera] == [a.pk]


def test_a_camera_without_a_playable_stream_is_named_in_the_message(
    viewer: User, client_for: Any
) -> None:
    camera("A", 1)
    mute = Device.objects.create(name="Unsynced", host="192.0.2.50", port=80, username="a")
    notice = client_for(viewer).get("/", {"camera": mute.pk}).context["notice"]
    assert notice.startswith("Unsynced has no live stream")


def test_a_smaller_grid_hides_cells_without_forgetting_them(viewer: User, client_for: Any) -> None:
    devices = [camera(f"C{n}", n) for n in range(1, 10)]
    client = client_for(viewer)
    nine = [str(d.pk) for d in devices]
    post(client, "/live/layout/", {"grid": 9, "cells": nine})
    assert post(client, "/live/layout/", {"grid": 4, "cells": nine}).json()["grid"] == 4
    assert [t[0] for t in tiles(client)] == nine[:4]  # only the first four are shown
    post(client, "/live/layout/", {"grid": 1, "cells": nine})
    assert [t[0] for t in tiles(client)] == nine[:1]
    post(client, "/live/layout/", {"grid": 9, "cells": nine})
    assert [t[0] for t in tiles(client)] == nine  # the hidden five are back in their cells
    assert LiveView.objects.get(owner=viewer, name="").cells == nine + [None] * 7


def two_sensors(n: int = 20) -> Device:
    """A camera with two video sources, each with a main and a sub profile; PTZ on the second."""
    device = Device.objects.create(name="Duo", host=f"192.0.2.{n}", port=80, username="a")
    for source, size in (("VS_1", (1920, 1080)), ("VS_2", (1280, 720))):
        for variant, (w, h), position in (("main", size, 0), ("sub", (640, 360), 1)):
            device.profiles.create(
                token=f"{source}_{variant}", name=variant, video_source_token=source,
                position=position + (2 if source == "VS_2" else 0), encoding="H264",
                width=w, height=h, stream_uri=f"rtsp://192.0.2.{n}/{source}/{variant}",
                ptz_node_token="N" if source == "VS_2" else "",
            )  # fmt: skip
    return device


def test_each_video_source_is_an_entry_with_its_own_profiles_and_ptz(client_for: Any) -> None:
    from ptz.models import PtzNode

    duo, single = two_sensors(), camera("Gate", 1)
    PtzNode.objects.create(device=duo, token="N", name="N", home_supported=True)
    operator = UserFactory(role="operator")
    client = client_for(operator)
    page = client.get("/")
    entries = {c.key: c.name for c in page.context["cameras"]}
    second = f"{duo.pk}:VS_2"
    assert entries == {str(duo.pk): "Duo · VS 1", second: "Duo · VS 2", str(single.pk): "Gate"}
    # A first visit shows each camera once (its first source); both sources can be placed.
    assert tiles(client) == [(str(duo.pk), "VS_1_sub"), (str(single.pk), "sub"), ("", ""), ("", "")]
    saved = post(client, "/live/layout/", {"grid": 4, "cells": [str(duo.pk), second]}).json()
    assert saved["cells"][:2] == [str(duo.pk), second]
    assert tiles(client)[:2] == [(str(duo.pk), "VS_1_sub"), (str(duo.pk), "VS_2_sub")]
    page = client.get("/")
    assert b'data-key="%s"' % second.encode() in page.content
    assert page.context["streams"][second] == {"main": "VS_2_main", "sub": "VS_2_sub"}
    assert set(page.context["ptz_controls"]) == {second}  # the source with the PTZ node
    post(client, "/live/layout/", {"grid": 1, "cells": [second]})
    assert tiles(client) == [(str(duo.pk), "VS_2_main")]
    # The explicit key of the first source is the same entry as the device id.
    answer = post(client, "/live/layout/", {"grid": 4, "cells": [f"{duo.pk}:VS_1", f"{duo.pk}:X"]})
    assert answer.json()["cells"][:2] == [str(duo.pk), None]
    # ?camera=<id> opens the device's first source; ?camera=<id>:<source> that source.
    assert tiles(client, f"/?camera={duo.pk}") == [(str(duo.pk), "VS_1_main")]
    assert tiles(client, f"/?camera={second}") == [(str(duo.pk), "VS_2_main")]


def test_layouts_saved_as_device_ids_keep_working_after_the_migration(viewer: User) -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("frontend.layouts.migrations.0002_cells_as_live_keys")
    a, b = camera("A", 1), camera("B", 2)
    old = LiveView.objects.create(owner=viewer, name="", grid=4, cells=[b.pk, None, a.pk])
    migration.forwards(apps, None)
    old.refresh_from_db()
    assert old.cells == [str(b.pk), None, str(a.pk)]
    migration.backwards(apps, None)
    old.refresh_from_db()
    assert old.cells == [b.pk, None, a.pk]
