"""A camera with several sensors has a lens per video source: the live page puts focus controls
on each sensor's tiles, and the PTZ socket focuses the lens a message names (the simulator's
dual-sensor camera: no PTZ, a remote focus on each of its two sources)."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import pytest

from cameras.models import Device
from ptz.services import controls_for, focus_sources
from simulator.camera import Camera
from tests.ptz.conftest import focus_position, focusing
from tests.ptz.test_consumers import answer, audit_log, logged, ptz_socket, until

pytestmark = pytest.mark.django_db(transaction=True)
Dual = tuple[Camera, Device]


def test_every_lens_is_offered_and_each_sensor_tile_gets_its_own(
    dual: Dual, operator: Any, client_for: Any
) -> None:
    _, device = dual
    assert focus_sources([device.pk])[device.pk].token == "VideoSource_1"  # the default lens
    controls = controls_for(operator, [device.pk])[device.pk]
    assert controls["lenses"] == {"VideoSource_1": {"auto": True}, "VideoSource_2": {"auto": True}}
    client = client_for(operator)
    key = f"{device.pk}:VideoSource_2"
    answer = client.post(
        "/live/layout/", {"grid": 4, "cells": [str(device.pk), key]},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 200, answer.content
    page = client.get("/").content.decode()
    found = re.search(r'<script id="ptz-controls" type="application/json">(.*?)</script>', page)
    assert found is not None
    tiles = json.loads(found.group(1))
    assert tiles[str(device.pk)]["source"] == "VideoSource_1"
    assert tiles[key]["source"] == "VideoSource_2" and tiles[key]["ptz"] is False
    assert tiles[key]["focus"] == {"auto": True}


async def test_a_focus_move_naming_a_source_moves_that_lens_only(dual: Dual) -> None:
    camera, device = dual
    socket = await ptz_socket()
    first = focus_position(camera, "VideoSource_1")
    start = focus_position(camera, "VideoSource_2")
    lens = {"type": "focus", "device": device.pk, "source": "VideoSource_2"}
    await socket.send_json_to(lens | {"action": "far", "speed": 1.0})
    await until(lambda: focusing(camera, "VideoSource_2"), within=2)
    await asyncio.sleep(0.3)
    assert not focusing(camera, "VideoSource_1")
    await socket.send_json_to(lens | {"action": "stop"})
    await until(lambda: not focusing(camera, "VideoSource_2"), within=2)
    assert (await answer(socket, "done"))["action"] == "focus_stop"
    assert focus_position(camera, "VideoSource_2") > start + 0.05
    assert focus_position(camera, "VideoSource_1") == first
    await socket.send_json_to(lens | {"action": "status"})
    status = await answer(socket, "focus")
    assert (status["source"], status["moving"], status["auto"]) == ("VideoSource_2", False, False)
    # Without a source: the camera's focus source (the first profile's).
    await socket.send_json_to({"type": "focus", "device": device.pk, "action": "status"})
    assert (await answer(socket, "focus"))["source"] == "VideoSource_1"

    await socket.send_json_to(lens | {"source": "VideoSource_9", "action": "status"})
    refused = await socket.receive_json_from(timeout=5)
    assert refused["type"] == "error" and "video source of the camera" in refused["message"]
    await socket.send_json_to({"type": "move", "device": device.pk, "pan": 0.5})
    refused = await socket.receive_json_from(timeout=5)
    assert refused["type"] == "error" and "no PTZ control" in refused["message"]

    # Closing the socket mid-move stops that lens.
    await socket.send_json_to(lens | {"action": "near"})
    await until(lambda: focusing(camera, "VideoSource_2"), within=2)
    await socket.disconnect()
    assert await until(lambda: not focusing(camera, "VideoSource_2"), within=1) < 0.5
    await logged("focus_stop", "connection closed")
    assert [(a[2], a[3]) for a in await audit_log()][:2] == [
        ("focus", "far 1.00 VideoSource_2"),
        ("focus_stop", "VideoSource_2"),
    ]
