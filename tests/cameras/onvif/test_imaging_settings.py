"""Imaging settings, options, presets and status against the simulator, and answers that lie."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from cameras.onvif import InvalidArgument
from cameras.onvif.config_types import Range
from cameras.onvif.imaging_settings import (
    WINDOW_KEYS,
    get_current_preset,
    get_imaging_settings,
    get_options,
    get_presets,
    get_status,
    read_options,
    read_settings,
    set_current_preset,
    set_imaging_settings,
    with_window,
    write_settings,
)
from simulator.camera import Camera
from tests.cameras.conftest import connected


async def test_settings_and_options_are_read_by_key(fleet: dict[str, Camera]) -> None:
    camera = fleet["ptz-dome"]
    source = camera.video_sources[0]
    onvif = await connected(camera)
    settings = await get_imaging_settings(onvif, source.token)
    assert settings["brightness"] == source.imaging.brightness
    assert settings["ir_cut_filter"] == source.imaging.ircut
    assert settings["exposure_mode"] == "AUTO" and settings["white_balance_mode"] == "AUTO"
    options = await get_options(onvif, source.token)
    assert options["brightness"] == Range(0, 100)
    assert options["ir_cut_filter"] == ("ON", "OFF", "AUTO")
    assert options["exposure_time"] == Range(10, 40000)
    assert options["cr_gain"] == Range(0, 255)  # YrGain in the options
    assert "stabilization_mode" not in options  # not offered: no control for it


async def test_a_change_reaches_the_camera_and_keeps_the_rest(fleet: dict[str, Camera]) -> None:
    camera = fleet["ptz-dome"]
    source = camera.video_sources[0]
    onvif = await connected(camera)
    await set_imaging_settings(
        onvif, source.token, {"brightness": 20.0, "ir_cut_filter": "OFF", "wdr_mode": "ON"}
    )
    assert (source.imaging.brightness, source.imaging.ircut) == (20.0, "OFF")
    assert source.imaging.wdr_mode == "ON" and source.imaging.contrast == 50.0
    with pytest.raises(InvalidArgument):
        await set_imaging_settings(onvif, source.token, {"brightness": 300.0})
    assert source.imaging.brightness == 20.0


async def test_presets_are_listed_and_applied(fleet: dict[str, Camera]) -> None:
    camera = fleet["ptz-dome"]
    source = camera.video_sources[0]
    onvif = await connected(camera)
    presets = await get_presets(onvif, source.token)
    assert [p.name for p in presets] == ["Daylight", "Night", "Indoor"]
    assert presets[1].type == "Night"
    assert await get_current_preset(onvif, source.token) is None
    await set_current_preset(onvif, source.token, presets[1].token)
    assert source.imaging.ircut == "OFF" and source.imaging.brightness == 70.0
    current = await get_current_preset(onvif, source.token)
    assert current is not None and current.token == presets[1].token
    with pytest.raises(InvalidArgument):
        await set_current_preset(onvif, source.token, "nope")


async def test_the_status_reports_the_focus(fleet: dict[str, Camera]) -> None:
    camera = fleet["ptz-dome"]
    onvif = await connected(camera)
    status = await get_status(onvif, camera.video_sources[0].token)
    assert status.focus_move_status in ("IDLE", "MOVING")
    assert status.focus_position is not None and 0 <= status.focus_position <= 1


def test_answers_that_lie_are_read_as_nothing_said() -> None:
    node = SimpleNamespace(
        Brightness="nan",
        Contrast="40",
        IrCutFilter=None,
        Exposure=SimpleNamespace(Mode="AUTO", Gain="x"),
    )
    assert read_settings(node) == {"contrast": 40.0, "exposure_mode": "AUTO"}
    options = read_options(
        SimpleNamespace(
            Brightness=SimpleNamespace(Min="10", Max="0"),  # an empty range
            IrCutFilterModes=[],
            Extension=SimpleNamespace(
                Extension=SimpleNamespace(
                    Extension=SimpleNamespace(NoiseReductionOptions=SimpleNamespace(Level=True))
                )
            ),
        )
    )
    assert options == {"noise_reduction": Range(0.0, 1.0)}


def test_a_change_is_written_onto_the_cameras_own_settings() -> None:
    current = {"Brightness": 50.0, "Focus": {"AutoFocusMode": "AUTO", "Vendor": 1}}
    data = write_settings(current, {"focus_speed": 0.7, "tone_mode": "AUTO"})
    assert data["Focus"] == {"AutoFocusMode": "AUTO", "Vendor": 1, "DefaultSpeed": 0.7}
    assert data["Extension"]["Extension"]["Extension"]["ToneCompensation"] == {"Mode": "AUTO"}
    assert data["Brightness"] == 50.0


def test_the_ir_cut_auto_adjustment_is_read_and_written_in_its_first_occurrence() -> None:
    auto = SimpleNamespace(BoundaryType="Common", BoundaryOffset="0.25")
    node = SimpleNamespace(
        Extension=SimpleNamespace(Extension=SimpleNamespace(IrCutFilterAutoAdjustment=[auto]))
    )
    assert read_settings(node) == {"ir_cut_boundary_type": "Common", "ir_cut_boundary_offset": 0.25}
    offered = SimpleNamespace(
        Extension=SimpleNamespace(
            Extension=SimpleNamespace(
                IrCutFilterAutoAdjustment=SimpleNamespace(
                    BoundaryType=["Common", "ToOn", "ToOff"], BoundaryOffset=True
                )
            )
        )
    )
    assert read_options(offered) == {
        "ir_cut_boundary_type": ("Common", "ToOn", "ToOff"),
        "ir_cut_boundary_offset": Range(-1.0, 1.0),
    }
    current = {
        "Extension": {"Extension": {"IrCutFilterAutoAdjustment": [{"BoundaryType": "ToOn"}]}}
    }
    data = write_settings(current, {"ir_cut_boundary_offset": -0.5})
    assert data["Extension"]["Extension"]["IrCutFilterAutoAdjustment"] == [
        {"BoundaryType": "ToOn", "BoundaryOffset": -0.5}
    ]


def test_the_exposure_window_is_offered_when_the_settings_carry_one() -> None:
    window = SimpleNamespace(top="0.5", bottom="-0.5", left="-0.25", right="0.25")
    settings = read_settings(SimpleNamespace(Exposure=SimpleNamespace(Mode="AUTO", Window=window)))
    assert settings["exposure_window_top"] == 0.5 and settings["exposure_window_left"] == -0.25
    assert set(WINDOW_KEYS) <= set(with_window({}, settings))
    assert with_window({}, {"brightness": 1.0}) == {}
    data = write_settings({"Exposure": {"Mode": "AUTO"}}, {"exposure_window_top": 0.75})
    assert data["Exposure"] == {"Mode": "AUTO", "Window": {"top": 0.75}}
