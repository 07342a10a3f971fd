"""Typed moves (the tile's "Move to" dialog) checked against the node's spaces before anything is
sent: the space must be one the node offers for that kind of move, the values within its range."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async

from cameras.models import Device
from ptz.positions import MoveRefused, geo_target, typed_move
from simulator.camera import Camera
from tests.ptz.conftest import motion
from tests.ptz.test_browser import still
from tests.ptz.test_consumers import answer, audit_log, ptz_socket, until

GENERIC = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace"
DEGREES = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/SphericalPositionSpaceDegrees"
ZOOM = "http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace"
STEP = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationGenericSpace"
Dome = tuple[Camera, Device]
SPACES: list[dict[str, Any]] = [
    {"group": "AbsolutePanTiltPositionSpace", "uri": GENERIC, "x": [-1, 1], "y": [-1, 1]},
    {"group": "AbsolutePanTiltPositionSpace", "uri": DEGREES, "x": [-180, 180], "y": [-90, 0]},
    {"group": "AbsoluteZoomPositionSpace", "uri": ZOOM, "x": [0, 1], "y": None},
    {"group": "RelativePanTiltTranslationSpace", "uri": STEP, "x": [-1, 1], "y": [-1, 1]},
    {"group": "PanTiltSpeedSpace", "uri": "speed", "x": [0, 1], "y": None},
]


def test_a_position_in_degrees_is_kept_with_its_space() -> None:
    move = typed_move(
        SPACES,
        {"mode": "absolute", "pan": 90, "tilt": -45, "zoom": 0.5, "pan_tilt_space": DEGREES},
    )
    assert (move.pan, move.tilt, move.zoom, move.pan_tilt_space) == (90.0, -45.0, 0.5, DEGREES)
    assert move.zoom_space is None  # not named: the camera's default
    assert move.detail == "pan 90, tilt -45 (SphericalPositionSpaceDegrees) zoom 0.5"


def test_a_step_without_a_space_uses_the_default() -> None:
    move = typed_move(SPACES, {"mode": "relative", "pan": 0.1, "tilt": 0, "speed": 0.5})
    assert (move.mode, move.pan_tilt_space, move.speed) == ("relative", None, 0.5)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ({"mode": "sideways", "pan": 0, "tilt": 0}, '"mode" is "absolute" or "relative"'),
        ({"mode": "absolute"}, "Give a pan and tilt, a zoom, or both"),
        ({"mode": "absolute", "pan": 0.5}, "Pan and tilt go together"),
        ({"mode": "absolute", "pan": "left", "tilt": 0}, '"pan" must be a number'),
        ({"mode": "absolute", "pan": 1.5, "tilt": 0}, "Pan must be -1 to 1 in this space"),
        (
            {"mode": "absolute", "pan": 0, "tilt": 10, "pan_tilt_space": DEGREES},
            "Tilt must be -90 to 0",
        ),
        (
            {"mode": "absolute", "pan": 0, "tilt": 0, "pan_tilt_space": STEP},
            "does not offer that space here (it offers: PositionGenericSpace, "
            "SphericalPositionSpaceDegrees)",
        ),
        ({"mode": "relative", "zoom": 0.1}, "offers no RelativeZoomTranslationSpace"),
        ({"mode": "relative", "pan": 0, "tilt": 0, "speed": 2}, "The speed must be 0 to 1"),
        ({"mode": "relative", "pan": 0, "tilt": 0, "speed": 0}, "The speed must be above 0"),
    ],
)
def test_what_the_node_does_not_offer_is_refused_in_words(
    content: dict[str, Any], words: str
) -> None:
    with pytest.raises(MoveRefused, match=words.replace("(", r"\(").replace(")", r"\)")):
        typed_move(SPACES, content)


def test_a_place_needs_a_latitude_and_a_longitude_within_range() -> None:
    place = geo_target({"latitude": 48.8584, "longitude": 2.2945, "area_width": 20})
    assert (place.elevation, place.area_width, place.area_height) == (0.0, 20.0, None)
    assert place.detail == "48.858400, 2.294500, 0 m, area 20 x 0 m"
    for content, words in (
        ({"latitude": 48.0}, "needs a latitude and a longitude"),
        ({"latitude": 91, "longitude": 0}, "latitude must be -90 to 90"),
        ({"latitude": 0, "longitude": 0, "area_height": -1}, "area height must be above 0"),
        ({"latitude": 0, "longitude": float("nan")}, '"longitude" must be a number'),
    ):
        with pytest.raises(MoveRefused, match=words):
            geo_target(content)


# -- over the PTZ socket, against the simulator's dome ----------------------------------------
async def test_moves_typed_in_any_offered_space_and_a_place_reach_the_dome(dome: Dome) -> None:
    camera, device = dome
    socket = await ptz_socket()
    await socket.send_json_to(
        {"type": "goto", "device": device.pk, "mode": "absolute", "pan": 90, "tilt": -45}
        | {"pan_tilt_space": DEGREES, "zoom": 0.5, "id": 3}
    )
    assert (await answer(socket, "done"))["action"] == "absolute_move"
    await until(lambda: still(camera), within=10)
    assert motion(camera).position() == pytest.approx((0.5, 0.0, 0.5), abs=1e-3)

    step = {"type": "goto", "device": device.pk, "mode": "relative", "pan": -0.25, "tilt": 0}
    await socket.send_json_to(step)
    await answer(socket, "done")
    await until(lambda: still(camera), within=10)
    assert motion(camera).position()[0] == pytest.approx(0.25, abs=1e-3)

    # About 100 m north-east of the dome (52.3731 N, 4.8922 E, 12 m up), on the ground.
    place = {"latitude": 52.3731 + 0.0009, "longitude": 4.8922 + 0.00147, "elevation": 2}
    await socket.send_json_to({"type": "geo", "device": device.pk} | place)
    assert (await answer(socket, "done"))["action"] == "geo_move"
    await until(lambda: still(camera), within=10)
    pan, tilt, _ = motion(camera).position()
    assert pan == pytest.approx(0.25, abs=0.01)  # bearing 45°: a quarter of the generic half-turn
    assert 0.8 < tilt < 1.0  # a few degrees below the horizon (generic 1)

    await socket.send_json_to(
        {"type": "goto", "device": device.pk, "mode": "absolute", "pan": 0, "tilt": 5}
        | {"pan_tilt_space": DEGREES}
    )
    refused = await answer(socket, "error")
    assert refused["message"] == "Tilt must be -90 to 0 in this space."
    await socket.disconnect()
    assert [(a[2], a[3]) for a in await audit_log()] == [
        ("absolute_move", "pan 90, tilt -45 (SphericalPositionSpaceDegrees) zoom 0.5"),
        ("relative_move", "pan -0.25, tilt 0"),
        ("geo_move", "52.374000, 4.893670, 2 m"),
    ]


async def test_a_place_is_refused_where_the_node_has_no_geo_move(dome: Dome) -> None:
    camera, device = dome
    await database_sync_to_async(device.ptz_nodes.update)(geo_move=False)
    socket = await ptz_socket()
    await socket.send_json_to({"type": "geo", "device": device.pk, "latitude": 1, "longitude": 1})
    assert "no GeoMove" in (await answer(socket, "error"))["message"]
    await socket.disconnect()
    assert still(camera) and await audit_log() == []
