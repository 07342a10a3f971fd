"""PTZ configuration wrappers against the simulator, and answers that lie."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from types import SimpleNamespace

import pytest

from cameras.onvif import InvalidArgument
from cameras.onvif.ptz import absolute_move, get_status
from cameras.onvif.ptz_config import (
    get_compatible_configurations,
    get_configuration,
    get_configuration_options,
    get_configurations,
    read_configuration,
    set_configuration,
)
from simulator.camera import Camera
from tests.cameras.conftest import connected


async def test_configurations_and_options_are_read(fleet: dict[str, Camera]) -> None:
    camera = fleet["ptz-dome"]
    onvif = await connected(camera)
    (config,) = await get_configurations(onvif)
    assert config.node_token == "PTZNode_1" and config.timeout == 5.0
    assert config.pan_limits == (-1.0, 1.0) and config.zoom_limits == (0.0, 1.0)
    assert (config.eflip, config.reverse) == ("OFF", "OFF")
    assert await get_configuration(onvif, config.token) == config
    options = await get_configuration_options(onvif, config.token)
    assert options.eflip_modes == ("OFF", "ON") and options.reverse_modes == ("OFF", "ON")
    assert options.timeout is not None and options.timeout[0] == pytest.approx(0.1)
    assert {s.group for s in options.spaces} >= {"PanTiltSpeedSpace", "ZoomSpeedSpace"}
    compatible = await get_compatible_configurations(onvif, camera.profiles[0].token)
    assert [c.token for c in compatible] == [config.token]


async def test_a_pan_limit_and_reverse_reach_the_camera(fleet: dict[str, Camera]) -> None:
    camera = fleet["ptz-dome"]
    onvif = await connected(camera)
    config = (await get_configurations(onvif))[0]
    await set_configuration(
        onvif, replace(config, pan_limits=(-0.5, 0.25), reverse="ON", timeout=3.0)
    )
    sim = camera.config("PTZ", config.token)
    assert sim.limits[:2] == [-0.5, 0.25] and sim.reverse == "ON" and sim.timeout == 3.0
    profile = camera.profiles[0].token
    await absolute_move(onvif, profile, 0.9, 0.0, None)
    for _ in range(100):
        status = await get_status(onvif, profile)
        if not status.moving:
            break
        await asyncio.sleep(0.1)
    assert status.pan == pytest.approx(0.25, abs=1e-3)  # stopped at the limit
    with pytest.raises(InvalidArgument):
        await set_configuration(onvif, replace(config, pan_limits=(-3.0, 3.0)))


def test_answers_that_lie_are_read_safely() -> None:
    assert read_configuration(SimpleNamespace(token=None)) is None
    odd = read_configuration(
        SimpleNamespace(
            token="P",
            NodeToken="N",
            DefaultPTZTimeout="forever",
            PanTiltLimits=SimpleNamespace(
                Range=SimpleNamespace(XRange=SimpleNamespace(Min="1", Max="-1"))
            ),
        )
    )
    assert odd is not None and odd.timeout is None and odd.pan_limits is None
