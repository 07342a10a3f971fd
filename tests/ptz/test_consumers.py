"""The PTZ socket against the simulator's dome: moves, stop, timeouts, presets, audit, refusals."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from cameras.models import Device
from ptz.control import FOCUS_TIMEOUT, MOVE_TIMEOUT
from ptz.models import PtzAction, PtzPreset
from simulator.camera import Camera
from tests.factories import UserFactory
from tests.ptz.conftest import focus_position, focusing, motion
from vms.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)
Dome = tuple[Camera, Device]


@database_sync_to_async
def cookie_for(role: str) -> bytes:
    client = Client()
    client.force_login(UserFactory(username=f"{role}-1", role=role))
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def ptz_socket(role: str = "operator") -> WebsocketCommunicator:
    headers = [
        (b"origin", b"http://127.0.0.1"),
        (b"host", b"127.0.0.1"),
        (b"cookie", await cookie_for(role)),
    ]
    communicator = WebsocketCommunicator(application, "/ws/ptz/", headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    return communicator


async def answer(socket: WebsocketCommunicator, kind: str, timeout: float = 5) -> dict[str, Any]:
    """The next answer of type `kind` (skipping others)."""
    deadline = time.monotonic() + timeout
    while True:
        reply: dict[str, Any] = await socket.receive_json_from(
            timeout=max(0.1, deadline - time.monotonic())
        )
        if reply["type"] == kind:
            return reply
        assert reply["type"] != "error", reply


async def until(condition: Any, within: float) -> float:
    """Wait until condition() holds; return how long it took."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < within, f"not within {within} s"
        await asyncio.sleep(0.01)
    return time.monotonic() - started


@database_sync_to_async
def audit_log() -> list[tuple[str, str, str, str]]:
    return [(a.username, a.camera, a.action, a.detail) for a in PtzAction.objects.order_by("pk")]


async def logged(action: str, detail: str) -> None:
    """Wait for the audit row (written once the camera answered)."""
    for _ in range(50):
        if (action, detail) in [(a[2], a[3]) for a in await audit_log()]:
            return
        await asyncio.sleep(0.05)
    pytest.fail(f"{action} ({detail}) is not in the audit log")


async def test_a_move_turns_the_camera_and_stop_makes_it_idle_within_500_ms(dome: Dome) -> None:
    camera, device = dome
    socket = await ptz_socket()
    await socket.send_json_to({"type": "move", "device": device.pk, "pan": 1.0, "tilt": 0.5})
    await until(lambda: motion(camera).pan_tilt_moving(), within=2)
    await asyncio.sleep(0.3)
    pan, tilt, _ = motion(camera).position()
    assert pan > 0.05 and tilt > 0.02
    await socket.send_json_to({"type": "stop", "device": device.pk})
    assert await until(lambda: not motion(camera).pan_tilt_moving(), within=2) < 0.5
    assert (await answer(socket, "done"))["action"] == "stop"
    await socket.disconnect()
    log = await audit_log()
    assert [(a[0], a[1], a[2]) for a in log] == [
        ("operator-1", "ptz-dome", "move"),
        ("operator-1", "ptz-dome", "stop"),
    ]


async def test_the_audit_row_of_a_drag_holds_its_strongest_velocities(
    dome: Dome, admin: Any
) -> None:
    """A drag of the on-video stick starts at its centre (a move at 0) and speeds up in the
    renewals: one audit row for the whole drag, with what the camera was really asked."""
    _, device = dome
    socket = await ptz_socket()
    for pan in (0.0, 0.3, 0.8, 0.5):
        move = {"type": "move", "device": device.pk, "pan": pan, "tilt": 0.0, "zoom": 0.0}
        await socket.send_json_to(move)
        await asyncio.sleep(0.1)
    await socket.send_json_to({"type": "stop", "device": device.pk})
    assert (await answer(socket, "done"))["action"] == "stop"
    await logged("move", "pan +0.80 tilt +0.00 zoom +0.00")
    assert [(a[2], a[3]) for a in await audit_log()] == [
        ("move", "pan +0.80 tilt +0.00 zoom +0.00"),
        ("stop", ""),
    ]
    # A drag to the left and down, cut short by a closed socket: its row is brought up too.
    for pan, tilt in ((0.0, 0.0), (-0.2, -0.1), (-0.6, -0.4)):
        move = {"type": "move", "device": device.pk, "pan": pan, "tilt": tilt}
        await socket.send_json_to(move)
        await asyncio.sleep(0.1)
    await socket.disconnect()
    await logged("move", "pan -0.60 tilt -0.40 zoom +0.00")
    assert [a[2] for a in await audit_log()] == ["move", "stop", "move", "stop"]
    page = await database_sync_to_async(audit_page)(admin)
    assert "pan +0.80 tilt +0.00 zoom +0.00" in page
    assert "pan -0.60 tilt -0.40 zoom +0.00" in page


def audit_page(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/ptz/audit/").content.decode()


async def test_a_move_whose_stop_is_lost_ends_by_itself(dome: Dome) -> None:
    camera, device = dome
    socket = await ptz_socket()
    await socket.send_json_to({"type": "move", "device": device.pk, "zoom": 1.0})
    await until(lambda: motion(camera).zoom_moving(), within=2)
    assert (
        await until(lambda: not motion(camera).zoom_moving(), within=MOVE_TIMEOUT + 0.5)
        < MOVE_TIMEOUT + 0.1
    )
    await socket.disconnect()


async def test_closing_the_socket_mid_move_stops_the_camera(dome: Dome) -> None:
    camera, device = dome
    socket = await ptz_socket()
    await socket.send_json_to({"type": "move", "device": device.pk, "pan": -1.0})
    await until(lambda: motion(camera).pan_tilt_moving(), within=2)
    await socket.disconnect()
    assert await until(lambda: not motion(camera).pan_tilt_moving(), within=1) < 0.5
    await logged("stop", "connection closed")


async def test_moves_run_in_order_and_the_last_one_wins(dome: Dome) -> None:
    camera, device = dome
    socket = await ptz_socket()
    for step in range(10):
        await socket.send_json_to({"type": "move", "device": device.pk, "pan": 0.1 * step})
    await socket.send_json_to({"type": "move", "device": device.pk, "pan": -1.0})
    await until(lambda: motion(camera).pan.velocity < 0, within=2)
    await socket.send_json_to({"type": "stop", "device": device.pk})
    await answer(socket, "done")
    assert not motion(camera).pan_tilt_moving()
    await socket.disconnect()


async def test_a_viewer_is_refused_and_the_camera_never_moves(dome: Dome) -> None:
    camera, device = dome
    socket = await ptz_socket("viewer")
    assert await socket.receive_output(timeout=5) == {"type": "websocket.close", "code": 4403}
    await socket.send_json_to({"type": "move", "device": device.pk, "pan": 1.0})
    await asyncio.sleep(0.3)
    assert motion(camera).position() == (0.0, 0.0, 0.0)
    assert await audit_log() == []


async def test_presets_are_saved_recalled_updated_and_removed(dome: Dome) -> None:
    camera, device = dome
    socket = await ptz_socket()
    await socket.send_json_to(
        {"type": "preset", "device": device.pk, "action": "goto", "token": "Preset_2", "id": 7}
    )
    done = await answer(socket, "done")
    assert (done["id"], done["action"]) == (7, "goto_preset")
    await until(
        lambda: not motion(camera).pan_tilt_moving() and not motion(camera).zoom_moving(), within=5
    )
    assert motion(camera).position() == pytest.approx((0.5, -0.3, 0.4), abs=1e-3)  # Parking

    await socket.send_json_to(
        {"type": "preset", "device": device.pk, "action": "save", "name": "Dock"}
    )
    presets = (await answer(socket, "presets"))["presets"]
    token = next(p["token"] for p in presets if p["name"] == "Dock")
    assert await database_sync_to_async(PtzPreset.objects.filter(name="Dock", token=token).exists)()

    await socket.send_json_to(
        {
            "type": "preset",
            "device": device.pk,
            "action": "update",
            "token": token,
            "name": "Loading dock",
        }
    )
    assert {"token": token, "name": "Loading dock"} in (await answer(socket, "presets"))["presets"]
    await socket.send_json_to(
        {"type": "preset", "device": device.pk, "action": "remove", "token": token}
    )
    assert token not in [p["token"] for p in (await answer(socket, "presets"))["presets"]]
    assert not await database_sync_to_async(PtzPreset.objects.filter(token=token).exists)()
    await socket.disconnect()
    assert [(a[2], a[3]) for a in await audit_log()] == [
        ("goto_preset", "Preset_2"),
        ("set_preset", "Dock"),
        ("rename_preset", "Loading dock"),
        ("remove_preset", token),
    ]


async def test_home_is_set_and_recalled(dome: Dome) -> None:
    camera, device = dome
    socket = await ptz_socket()
    await socket.send_json_to(
        {"type": "preset", "device": device.pk, "action": "goto", "token": "Preset_1"}
    )
    await answer(socket, "done")
    await until(
        lambda: not motion(camera).pan_tilt_moving() and not motion(camera).zoom_moving(), within=5
    )
    await socket.send_json_to({"type": "home", "device": device.pk, "action": "set"})
    await answer(socket, "done")
    assert camera.ptz_nodes[0].home == pytest.approx([-0.5, 0.2, 0.0], abs=1e-3)
    await socket.send_json_to({"type": "home", "device": device.pk, "action": "goto"})
    assert (await answer(socket, "done"))["action"] == "goto_home"
    await socket.disconnect()


async def test_aux_commands_of_the_node_are_sent_and_others_refused_in_words(dome: Dome) -> None:
    camera, device = dome
    socket = await ptz_socket()
    await socket.send_json_to({"type": "aux", "device": device.pk, "command": "tt:Wiper|On"})
    assert (await answer(socket, "done"))["action"] == "aux"
    assert camera.ptz_nodes[0].aux_state == {"tt:Wiper": "On"}
    await socket.send_json_to({"type": "aux", "device": device.pk, "command": "rm -rf"})
    refused = await socket.receive_json_from(timeout=5)
    assert refused["type"] == "error" and "tt:Wiper|On" in refused["message"]
    await socket.disconnect()


async def test_area_zoom_turns_towards_the_box_and_zooms_in(dome: Dome) -> None:
    camera, device = dome
    socket = await ptz_socket()
    await socket.send_json_to({"type": "area", "device": device.pk, "box": [0.6, 0.1, 0.9, 0.4]})
    target = await answer(socket, "done")
    assert target["pan"] > 0 and target["tilt"] > 0 and target["zoom"] > 0.1
    await until(
        lambda: not motion(camera).pan_tilt_moving() and not motion(camera).zoom_moving(), within=5
    )
    assert motion(camera).position() == pytest.approx(
        (target["pan"], target["tilt"], target["zoom"]), abs=1e-3
    )
    await socket.send_json_to({"type": "center", "device": device.pk, "x": 0.0, "y": 1.0})
    centered = await answer(socket, "done")
    assert centered["pan"] < target["pan"] and centered["tilt"] < target["tilt"]
    assert centered["zoom"] == pytest.approx(target["zoom"], abs=1e-3)
    await socket.disconnect()


async def test_the_camera_s_refusal_reaches_the_operator_in_words(dome: Dome) -> None:
    _, device = dome
    socket = await ptz_socket()
    await socket.send_json_to(
        {"type": "preset", "device": device.pk, "action": "goto", "token": "Nope"}
    )
    refused = await socket.receive_json_from(timeout=5)
    assert refused["type"] == "error" and refused["permanent"]
    assert "no preset 'Nope'" in refused["message"]
    await socket.disconnect()
    assert [(a[2], a[3]) for a in await audit_log()] == [("goto_preset", "Nope")]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("not json", "type is one of"),
        ('{"type": "dance", "device": 1}', "type is one of"),
        ('{"type": "move", "device": 999999, "pan": 1}', "no PTZ control"),
        ('{"type": "move", "device": "1; drop", "pan": 1}', "no PTZ control"),
        ('{"type": "move", "device": true, "pan": 1}', "no PTZ control"),
    ],
)
async def test_bad_messages_get_a_clear_error(message: str, expected: str) -> None:
    socket = await ptz_socket()
    await socket.send_to(text_data=message)
    reply = await socket.receive_json_from(timeout=5)
    assert reply["type"] == "error" and expected in reply["message"]
    await socket.disconnect()


async def test_bad_values_for_a_ptz_camera_get_a_clear_error(dome: Dome) -> None:
    _, device = dome
    socket = await ptz_socket()
    for message, expected in [
        ({"type": "move", "pan": "fast"}, "between -1 and 1"),
        ({"type": "center", "x": 2, "y": 0.5}, "between 0 and 1"),
        ({"type": "area", "box": [0, 0, 1]}, "[x0, y0, x1, y1]"),
        ({"type": "preset", "action": "save"}, '"save" needs a "name"'),
        ({"type": "home", "action": "jump"}, '"goto" or "set"'),
    ]:
        await socket.send_json_to(message | {"device": device.pk})
        reply = await socket.receive_json_from(timeout=5)
        assert reply["type"] == "error" and expected in reply["message"], reply
    await socket.disconnect()


# -- focus ----------------------------------------------------------------------------------------
async def test_focus_far_moves_the_lens_and_stop_makes_it_idle(dome: Dome) -> None:
    camera, device = dome
    socket = await ptz_socket()
    start = focus_position(camera)
    far = {"type": "focus", "device": device.pk, "action": "far", "speed": 1.0}
    await socket.send_json_to(far)
    await until(lambda: focusing(camera), within=2)
    await asyncio.sleep(0.3)
    assert focus_position(camera) > start + 0.05
    assert camera.video_sources[0].imaging.focus_mode == "MANUAL"  # a manual move ends AF
    await socket.send_json_to({"type": "focus", "device": device.pk, "action": "stop"})
    assert await until(lambda: not focusing(camera), within=2) < 0.5
    assert (await answer(socket, "done"))["action"] == "focus_stop"
    stopped = focus_position(camera)
    await socket.send_json_to({"type": "focus", "device": device.pk, "action": "status"})
    status = await answer(socket, "focus")
    assert status["position"] == pytest.approx(stopped, abs=1e-3)
    assert (status["moving"], status["auto"]) == (False, False)
    await socket.send_json_to(
        {"type": "focus", "device": device.pk, "action": "near", "speed": 0.5}
    )
    await until(lambda: focusing(camera) and focus_position(camera) < stopped, within=2)
    await socket.send_json_to({"type": "focus", "device": device.pk, "action": "stop"})
    await answer(socket, "done")
    await socket.disconnect()
    assert [(a[0], a[1], a[2], a[3]) for a in await audit_log()] == [
        ("operator-1", "ptz-dome", "focus", "far 1.00"),
        ("operator-1", "ptz-dome", "focus_stop", ""),
        ("operator-1", "ptz-dome", "focus", "near 0.50"),
        ("operator-1", "ptz-dome", "focus_stop", ""),
    ]


async def test_a_focus_move_whose_stop_is_lost_is_stopped_by_the_backend(dome: Dome) -> None:
    """An ONVIF continuous focus move has no timeout: the backend sends Stop itself."""
    camera, device = dome
    socket = await ptz_socket()
    far = {"type": "focus", "device": device.pk, "action": "far", "speed": 0.2}
    await socket.send_json_to(far)
    await until(lambda: focusing(camera), within=2)
    for _ in range(4):  # repeated (a held button) it keeps going past the timeout
        await asyncio.sleep(FOCUS_TIMEOUT / 2)
        await socket.send_json_to(far)
    assert focusing(camera)
    repeated = time.monotonic()
    await until(lambda: not focusing(camera), within=FOCUS_TIMEOUT + 1)
    assert time.monotonic() - repeated < FOCUS_TIMEOUT + 0.3
    await socket.disconnect()
    await logged("focus_stop", "connection closed")  # the last write, before the teardown


async def test_closing_the_socket_mid_focus_stops_the_lens(dome: Dome) -> None:
    camera, device = dome
    socket = await ptz_socket()
    await socket.send_json_to({"type": "focus", "device": device.pk, "action": "near"})
    await until(lambda: focusing(camera), within=2)
    await socket.disconnect()
    assert await until(lambda: not focusing(camera), within=1) < 0.5
    await logged("focus_stop", "connection closed")


async def test_auto_focus_is_switched_off_and_on(dome: Dome) -> None:
    camera, device = dome
    socket = await ptz_socket()

    def mode() -> str:
        return camera.video_sources[0].imaging.focus_mode  # replaced by each SetImagingSettings

    await socket.send_json_to({"type": "focus", "device": device.pk, "action": "auto", "on": False})
    done = await answer(socket, "done")
    assert (done["action"], done["auto"], mode()) == ("auto_focus", False, "MANUAL")
    await socket.send_json_to({"type": "focus", "device": device.pk, "action": "auto", "on": True})
    assert (await answer(socket, "done"))["auto"] is True and mode() == "AUTO"
    await socket.send_json_to({"type": "focus", "device": device.pk, "action": "auto"})
    assert "auto" in (await socket.receive_json_from(timeout=5))["message"]
    await socket.disconnect()
    assert [(a[2], a[3]) for a in await audit_log()] == [
        ("auto_focus", "off"),
        ("auto_focus", "on"),
    ]


async def test_a_viewer_cannot_focus(dome: Dome) -> None:
    camera, device = dome
    socket = await ptz_socket("viewer")
    assert await socket.receive_output(timeout=5) == {"type": "websocket.close", "code": 4403}
    start = focus_position(camera)
    await socket.send_json_to({"type": "focus", "device": device.pk, "action": "far"})
    await asyncio.sleep(0.3)
    assert not focusing(camera) and focus_position(camera) == start
    assert camera.video_sources[0].imaging.focus_mode == "AUTO"
    assert await audit_log() == []


async def test_focus_without_ptz_and_ptz_without_focus_are_told_apart(
    fleet_devices: dict[str, tuple[Camera, Device]],
) -> None:
    bullet, bullet_device = fleet_devices["bullet-analytics"]
    _, fixed_device = fleet_devices["audio-cam"]
    socket = await ptz_socket()
    await socket.send_json_to({"type": "move", "device": bullet_device.pk, "pan": 1})
    assert "no PTZ control" in (await socket.receive_json_from(timeout=5))["message"]
    await socket.send_json_to({"type": "focus", "device": bullet_device.pk, "action": "far"})
    await until(lambda: focusing(bullet), within=2)
    await socket.send_json_to({"type": "focus", "device": bullet_device.pk, "action": "stop"})
    assert (await answer(socket, "done"))["action"] == "focus_stop"
    assert not focusing(bullet)
    await socket.send_json_to({"type": "focus", "device": fixed_device.pk, "action": "far"})
    assert "no remote focus" in (await socket.receive_json_from(timeout=5))["message"]
    await socket.send_json_to({"type": "move", "device": fixed_device.pk, "pan": 1})
    assert "no PTZ control" in (await socket.receive_json_from(timeout=5))["message"]
    await socket.send_json_to(
        {"type": "focus", "device": bullet_device.pk, "action": "far", "speed": 2}
    )
    assert "speed" in (await socket.receive_json_from(timeout=5))["message"]
    await socket.disconnect()
