"""Preset tours over the PTZ socket against the simulator's dome: listed with their state,
started, paused, resumed and stopped, audited; refusals in words."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from cameras.models import Device
from ptz.models import PtzAction
from simulator.camera import Camera
from tests.ptz.test_consumers import answer, audit_log, ptz_socket, until

pytestmark = pytest.mark.django_db(transaction=True)
Dome = tuple[Camera, Device]


async def test_a_tour_is_started_paused_resumed_and_stopped(dome: Dome) -> None:
    camera, device = dome
    (tour,) = camera.ptz_nodes[0].tours  # the dome's Perimeter: Preset_1, _2, _3, 2 s each
    socket = await ptz_socket()
    await socket.send_json_to({"type": "tour", "device": device.pk, "action": "list", "id": 1})
    listed = await answer(socket, "tours")
    assert listed["id"] == 1
    assert listed["tours"] == [
        {"token": "Tour_1", "name": "Perimeter", "state": "Idle", "spot": ""}
    ]

    def operate(action: str) -> dict[str, object]:
        return {"type": "tour", "device": device.pk, "action": action, "token": "Tour_1"}

    await socket.send_json_to(operate("start") | {"name": "Perimeter"})
    (running,) = (await answer(socket, "tours"))["tours"]
    first = camera.ptz_nodes[0].presets[0].name
    assert running["state"] == "Touring" and running["spot"] in (first, "")  # "": not yet there
    await until(lambda: tour.current == 1, within=10)  # on to the second spot after the stay
    await socket.send_json_to(operate("list"))
    (at,) = (await answer(socket, "tours"))["tours"]
    assert at["state"] == "Touring" and at["spot"] == camera.ptz_nodes[0].presets[1].name

    await socket.send_json_to(operate("pause"))
    assert (await answer(socket, "tours"))["tours"][0]["state"] == "Paused"
    assert tour.current == 1  # kept: Start resumes there
    await socket.send_json_to(operate("start"))
    assert (await answer(socket, "tours"))["tours"][0]["state"] == "Touring"
    await socket.send_json_to(operate("stop"))
    assert (await answer(socket, "tours"))["tours"][0]["state"] == "Idle"
    await socket.disconnect()
    assert [(a[2], a[3]) for a in await audit_log()] == [
        ("tour_start", "Perimeter"),
        ("tour_pause", "Tour_1"),
        ("tour_start", "Tour_1"),
        ("tour_stop", "Tour_1"),
    ]


async def test_tour_refusals_are_said_in_words(dome: Dome) -> None:
    camera, device = dome
    socket = await ptz_socket()
    await socket.send_json_to({"type": "tour", "device": device.pk, "action": "spin"})
    assert "Tours:" in (await socket.receive_json_from(timeout=5))["message"]
    await socket.send_json_to(
        {"type": "tour", "device": device.pk, "action": "start", "token": "Tour_9"}
    )
    refused = await answer(socket, "error")
    assert refused["device"] == device.pk and refused["message"]
    assert "Tour_9" in refused["message"] or "tour" in refused["message"].lower()
    assert camera.ptz_nodes[0].tours[0].state == "Idle"
    await socket.disconnect()
    rows = await database_sync_to_async(list)(PtzAction.objects.values_list("action", "error"))
    assert [(action, bool(error)) for action, error in rows] == [("tour_start", True)]
