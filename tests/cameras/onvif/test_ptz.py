"""PTZ moves, presets, home and aux commands against the simulator's dome."""

from __future__ import annotations

import asyncio

import pytest

from cameras.onvif import CameraFault, InvalidArgument, NotSupported, OnvifClient, ptz
from simulator.camera import Camera

PROFILE = "Profile_1_main"


@pytest.fixture
async def onvif(fleet: dict[str, Camera]) -> OnvifClient:
    camera = fleet["ptz-dome"]
    client = OnvifClient(camera.host, camera.port, "admin", "admin")
    await client.connect()
    return client


async def test_a_continuous_move_runs_until_its_timeout(
    onvif: OnvifClient, fleet: dict[str, Camera]
) -> None:
    await ptz.continuous_move(onvif, PROFILE, 1.0, -1.0, None, timeout=0.3)
    moving = await ptz.get_status(onvif, PROFILE)
    assert moving.pan_tilt_moving and not moving.zoom_moving
    await asyncio.sleep(0.5)
    stopped = await ptz.get_status(onvif, PROFILE)
    assert not stopped.moving
    assert stopped.pan == pytest.approx(0.15, abs=0.01)  # 0.5 units/s at full speed, 0.3 s
    assert stopped.tilt == pytest.approx(-0.15, abs=0.01)


async def test_stop_ends_a_move_at_once(onvif: OnvifClient) -> None:
    await ptz.continuous_move(onvif, PROFILE, None, None, 1.0, timeout=10)
    assert (await ptz.get_status(onvif, PROFILE)).zoom_moving
    await ptz.stop(onvif, PROFILE)
    status = await ptz.get_status(onvif, PROFILE)
    assert not status.moving
    assert status.zoom is not None and 0 < status.zoom < 0.2


async def test_absolute_and_relative_moves(onvif: OnvifClient) -> None:
    await ptz.absolute_move(onvif, PROFILE, 0.2, 0.1, 0.3, speed=1.0)
    await asyncio.sleep(1.0)
    status = await ptz.get_status(onvif, PROFILE)
    assert (status.pan, status.tilt, status.zoom) == pytest.approx((0.2, 0.1, 0.3), abs=1e-3)
    await ptz.relative_move(onvif, PROFILE, -0.1, 0.1, None, speed=1.0)
    await asyncio.sleep(0.5)
    status = await ptz.get_status(onvif, PROFILE)
    assert (status.pan, status.tilt, status.zoom) == pytest.approx((0.1, 0.2, 0.3), abs=1e-3)


async def test_presets_are_saved_updated_recalled_and_removed(onvif: OnvifClient) -> None:
    await ptz.absolute_move(onvif, PROFILE, -0.2, 0.0, 0.0, speed=1.0)
    await asyncio.sleep(0.6)
    token = await ptz.set_preset(onvif, PROFILE, "Door")
    assert {p.token: p.name for p in await ptz.get_presets(onvif, PROFILE)}[token] == "Door"
    assert await ptz.set_preset(onvif, PROFILE, "Front door", token) == token
    await ptz.goto_home_position(onvif, PROFILE)
    await asyncio.sleep(0.6)
    await ptz.goto_preset(onvif, PROFILE, token)
    await asyncio.sleep(0.6)
    assert (await ptz.get_status(onvif, PROFILE)).pan == pytest.approx(-0.2, abs=1e-3)
    await ptz.remove_preset(onvif, PROFILE, token)
    assert token not in {p.token for p in await ptz.get_presets(onvif, PROFILE)}
    with pytest.raises(InvalidArgument):
        await ptz.goto_preset(onvif, PROFILE, token)


async def test_a_preset_cannot_be_saved_while_moving(onvif: OnvifClient) -> None:
    await ptz.continuous_move(onvif, PROFILE, 0.5, None, None, timeout=5)
    with pytest.raises(CameraFault):
        await ptz.set_preset(onvif, PROFILE, "Blurred")
    await ptz.stop(onvif, PROFILE)


async def test_home_is_set_and_recalled(onvif: OnvifClient) -> None:
    await ptz.absolute_move(onvif, PROFILE, 0.3, -0.2, 0.1, speed=1.0)
    await asyncio.sleep(0.8)
    await ptz.set_home_position(onvif, PROFILE)
    await ptz.absolute_move(onvif, PROFILE, 0.0, 0.0, 0.0, speed=1.0)
    await asyncio.sleep(0.8)
    await ptz.goto_home_position(onvif, PROFILE, speed=1.0)
    await asyncio.sleep(0.8)
    status = await ptz.get_status(onvif, PROFILE)
    assert (status.pan, status.tilt, status.zoom) == pytest.approx((0.3, -0.2, 0.1), abs=1e-3)


async def test_aux_commands_from_the_node_run_and_others_are_refused(
    onvif: OnvifClient, fleet: dict[str, Camera]
) -> None:
    assert await ptz.send_auxiliary_command(onvif, PROFILE, "tt:Wiper|On") == "tt:Wiper|On"
    assert fleet["ptz-dome"].ptz_nodes[0].aux_state == {"tt:Wiper": "On"}
    with pytest.raises(NotSupported) as refused:
        await ptz.send_auxiliary_command(onvif, PROFILE, "tt:IRLamp|On")
    assert refused.value.permanent
