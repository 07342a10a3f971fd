"""The Imaging focus wrappers against the simulator: options, moves, stop, status, auto focus."""

from __future__ import annotations

import asyncio

import pytest

from cameras.onvif import InvalidArgument, NotSupported, OnvifClient, imaging
from simulator.camera import Camera

SOURCE = "VideoSource_1"


async def test_move_options_give_the_ranges_of_each_focus_move(
    fleet: dict[str, Camera],
) -> None:
    camera = fleet["bullet-analytics"]
    async with OnvifClient(camera.host, camera.port, "admin", "admin") as onvif:
        await onvif.connect()
        options = await imaging.get_move_options(onvif, SOURCE)
    assert options.offered
    assert options.continuous_speed == (-1.0, 1.0)
    assert options.absolute_position == (0.0, 1.0)
    assert options.relative_distance == (-1.0, 1.0)


async def test_a_fixed_focus_source_gives_empty_move_options(fleet: dict[str, Camera]) -> None:
    camera = fleet["bullet-analytics"]
    camera.video_sources[0].remote_focus = False
    async with OnvifClient(camera.host, camera.port, "admin", "admin") as onvif:
        await onvif.connect()
        options = await imaging.get_move_options(onvif, SOURCE)
        assert not options.offered and options.continuous_speed is None
        with pytest.raises(NotSupported):
            await imaging.stop(onvif, SOURCE)


async def test_a_continuous_move_runs_until_stop_and_switches_auto_focus_off(
    fleet: dict[str, Camera],
) -> None:
    camera = fleet["bullet-analytics"]
    async with OnvifClient(camera.host, camera.port, "admin", "admin") as onvif:
        await onvif.connect()
        assert (await imaging.get_imaging_settings(onvif, SOURCE)).auto
        before = await imaging.get_status(onvif, SOURCE)
        assert before.move_status == "IDLE" and not before.moving
        await imaging.move(onvif, SOURCE, imaging.ContinuousFocus(speed=1.0))
        await asyncio.sleep(0.3)
        moving = await imaging.get_status(onvif, SOURCE)
        assert moving.moving and moving.position is not None and before.position is not None
        assert moving.position > before.position
        await imaging.stop(onvif, SOURCE)
        stopped = await imaging.get_status(onvif, SOURCE)
        assert stopped.move_status == "IDLE"
        await asyncio.sleep(0.2)
        assert (await imaging.get_status(onvif, SOURCE)).position == stopped.position
        assert (await imaging.get_imaging_settings(onvif, SOURCE)).auto_focus_mode == "MANUAL"


async def test_relative_and_absolute_moves_reach_their_position(fleet: dict[str, Camera]) -> None:
    camera = fleet["bullet-analytics"]
    async with OnvifClient(camera.host, camera.port, "admin", "admin") as onvif:
        await onvif.connect()
        await imaging.move(onvif, SOURCE, imaging.AbsoluteFocus(position=0.2, speed=1.0))
        await asyncio.sleep(1.0)  # 0.3 units at 0.5 units/s
        status = await imaging.get_status(onvif, SOURCE)
        assert (status.move_status, status.position) == ("IDLE", pytest.approx(0.2))
        await imaging.move(onvif, SOURCE, imaging.RelativeFocus(distance=0.1, speed=1.0))
        await asyncio.sleep(0.4)
        assert (await imaging.get_status(onvif, SOURCE)).position == pytest.approx(0.3)
        with pytest.raises(InvalidArgument):
            await imaging.move(onvif, SOURCE, imaging.AbsoluteFocus(position=2.0))


async def test_auto_focus_is_switched_on_and_off(fleet: dict[str, Camera]) -> None:
    camera = fleet["bullet-analytics"]
    async with OnvifClient(camera.host, camera.port, "admin", "admin") as onvif:
        await onvif.connect()
        await imaging.set_imaging_settings(onvif, SOURCE, auto_focus=False)
        assert camera.video_sources[0].imaging.focus_mode == "MANUAL"
        settings = await imaging.get_imaging_settings(onvif, SOURCE)
        assert settings.auto_focus_mode == "MANUAL" and settings.default_speed == 0.5
        await imaging.set_imaging_settings(onvif, SOURCE, auto_focus=True)
        assert (await imaging.get_imaging_settings(onvif, SOURCE)).auto
        assert camera.video_sources[0].imaging.brightness == 50.0  # the rest left alone
