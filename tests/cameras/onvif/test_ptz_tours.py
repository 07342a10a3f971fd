"""Preset tour wrappers against the simulator's dome, and tour answers that lie."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from cameras.onvif import InvalidArgument, OnvifError
from cameras.onvif.ptz_tours import (
    PresetTour,
    TourSpot,
    create_preset_tour,
    get_preset_tour,
    get_preset_tour_options,
    get_preset_tours,
    modify_preset_tour,
    operate_preset_tour,
    read_tour,
    remove_preset_tour,
)
from simulator.camera import Camera
from tests.cameras.conftest import connected


async def test_a_tour_is_created_written_operated_and_removed(fleet: dict[str, Camera]) -> None:
    camera = fleet["ptz-dome"]
    onvif = await connected(camera)
    profile = camera.profiles[0].token
    presets = [p.token for p in camera.ptz_nodes[0].presets][:2]
    options = await get_preset_tour_options(onvif, profile)
    assert options.directions == ("Forward", "Backward") and options.auto_start
    assert set(presets) <= set(options.presets) and options.home
    assert options.stay == (0.0, 3600.0) and options.recurring_time == (1.0, 100.0)
    assert options.recurring_duration == (10.0, 86400.0)

    token = await create_preset_tour(onvif, profile)
    tour = PresetTour(
        token=token,
        name="Perimeter",
        direction="Backward",
        recurring_time=3,
        spots=(
            TourSpot(preset=presets[0], stay=2.5, speed=0.5),
            TourSpot(home=True, stay=1.0),
            TourSpot(preset=presets[1]),
        ),
    )
    await modify_preset_tour(onvif, profile, tour)
    read = await get_preset_tour(onvif, profile, token)
    assert (read.name, read.direction, read.recurring_time, read.state) == (
        "Perimeter",
        "Backward",
        3,
        "Idle",
    )
    assert [(s.preset, s.home, s.stay) for s in read.spots] == [
        (presets[0], False, 2.5),
        ("", True, 1.0),
        (presets[1], False, 2.0),  # no stay time given: the camera's default
    ]
    assert read.spots[0].speed == pytest.approx(0.5)

    await operate_preset_tour(onvif, profile, token, "Start")
    touring = next(t for t in await get_preset_tours(onvif, profile) if t.token == token)
    assert touring.state == "Touring" and touring.current is not None
    await operate_preset_tour(onvif, profile, token, "Pause")
    assert (await get_preset_tour(onvif, profile, token)).state == "Paused"
    await operate_preset_tour(onvif, profile, token, "Stop")
    assert (await get_preset_tour(onvif, profile, token)).state == "Idle"

    await remove_preset_tour(onvif, profile, token)
    assert token not in [t.token for t in await get_preset_tours(onvif, profile)]
    with pytest.raises(InvalidArgument):
        await get_preset_tour(onvif, profile, token)


async def test_starting_an_empty_tour_is_refused_in_words(fleet: dict[str, Camera]) -> None:
    camera = fleet["ptz-dome"]
    onvif = await connected(camera)
    profile = camera.profiles[0].token
    token = await create_preset_tour(onvif, profile)
    with pytest.raises(OnvifError) as refused:
        await operate_preset_tour(onvif, profile, token, "Start")
    assert refused.value.message


def test_tours_that_lie_read_as_not_given() -> None:
    assert read_tour(SimpleNamespace(token=None)) is None
    tour = read_tour(
        SimpleNamespace(
            token="T1",
            Name=None,
            Status=SimpleNamespace(State=None, CurrentTourSpot=None),
            AutoStart="yes",
            StartingCondition=SimpleNamespace(
                RecurringTime="-4", RecurringDuration="P-bogus", Direction=None
            ),
            TourSpot=[
                SimpleNamespace(PresetDetail=None),
                SimpleNamespace(
                    PresetDetail=SimpleNamespace(PresetToken=None, Home=None, PTZPosition=None)
                ),
                SimpleNamespace(
                    PresetDetail=SimpleNamespace(PresetToken="P1", Home=True, PTZPosition=None),
                    Speed=SimpleNamespace(PanTilt=SimpleNamespace(x="fast")),
                    StayTime="PT3S",
                ),
            ],
        )
    )
    assert tour is not None
    assert (tour.state, tour.auto_start, tour.recurring_time, tour.recurring_duration) == (
        "Idle",
        False,
        None,
        None,
    )
    assert tour.direction == "Forward"
    assert tour.spots == (TourSpot(preset="P1", stay=3.0),)
