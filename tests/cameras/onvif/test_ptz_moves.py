"""Moves in degree spaces, GeoMove and the camera's geo location, against the simulator's dome.

The demo dome maps generic pan -1..1 to -180..180 degrees and tilt -1..1 to -90..0 degrees; it
stands at lon 4.8922, lat 52.3731, 12 m above sea level, pan 0 facing north.
"""

from __future__ import annotations

import asyncio
import math

import pytest

from cameras.onvif import InvalidArgument, NotSupported, OnvifClient, ptz
from cameras.onvif.device import get_geo_location
from cameras.onvif.types import GeoLocation
from simulator.camera import Camera

PROFILE = "Profile_1_main"
LON, LAT, ELEVATION = 4.8922, 52.3731, 12.0
EARTH = 6_371_008.8


def place(north: float, east: float, up: float) -> tuple[float, float, float]:
    """lon, lat, elevation of the place `north`, `east` metres from the dome, `up` above it."""
    lat = LAT + math.degrees(north / EARTH)
    lon = LON + math.degrees(east / (EARTH * math.cos(math.radians(LAT))))
    return lon, lat, ELEVATION + up


@pytest.fixture
async def onvif(fleet: dict[str, Camera]) -> OnvifClient:
    camera = fleet["ptz-dome"]
    for motion in camera.runtime.motion.values():  # 5 generic units/s: short waits
        motion.pan.max_speed = motion.tilt.max_speed = motion.zoom.max_speed = 5.0
    client = OnvifClient(camera.host, camera.port, "admin", "admin")
    await client.connect()
    return client


async def settled(onvif: OnvifClient) -> tuple[float | None, float | None, float | None]:
    for _ in range(100):
        status = await ptz.get_status(onvif, PROFILE)
        if not status.moving:
            return status.pan, status.tilt, status.zoom
        await asyncio.sleep(0.05)
    raise AssertionError("the dome never stopped")


async def test_an_absolute_move_in_degrees_reaches_the_generic_position(
    onvif: OnvifClient,
) -> None:
    await ptz.absolute_move(onvif, PROFILE, 90.0, -45.0, 0.3, pan_tilt_space=ptz.PAN_TILT_DEGREES)
    assert await settled(onvif) == pytest.approx((0.5, 0.0, 0.3), abs=1e-3)
    await ptz.absolute_move(onvif, PROFILE, 0.1, 0.2, None)  # no space: generic, as before
    assert await settled(onvif) == pytest.approx((0.1, 0.2, 0.3), abs=1e-3)


async def test_a_relative_move_in_degrees_steps_by_those_degrees(onvif: OnvifClient) -> None:
    await ptz.relative_move(
        onvif, PROFILE, 45.0, -22.5, 0.2, pan_tilt_space=ptz.PAN_TILT_STEP_DEGREES
    )
    assert await settled(onvif) == pytest.approx((0.25, -0.5, 0.2), abs=1e-3)


async def test_pan_tilt_and_zoom_speeds_reach_the_camera_apart(onvif: OnvifClient) -> None:
    await ptz.absolute_move(
        onvif, PROFILE, 0.5, 0.0, 0.5, pan_tilt_speed=0.2, zoom_speed=1.0
    )  # pan/tilt at 1 unit/s (0.5 s), zoom at 5 units/s (0.1 s)
    await asyncio.sleep(0.25)
    status = await ptz.get_status(onvif, PROFILE)
    assert status.pan_tilt_moving and not status.zoom_moving
    assert await settled(onvif) == pytest.approx((0.5, 0.0, 0.5), abs=1e-3)


async def test_geo_move_points_the_dome_at_a_place(onvif: OnvifClient) -> None:
    lon, lat, elevation = place(100.0, 100.0, -10.0)  # north-east, 10 m below the dome
    await ptz.geo_move(onvif, PROFILE, lon, lat, elevation, speed=1.0)
    pan, tilt, zoom = await settled(onvif)
    down = math.degrees(math.atan2(10.0, math.hypot(100.0, 100.0)))
    assert pan == pytest.approx(45 / 180, abs=1e-3)
    assert tilt == pytest.approx((90 - down) / 45 - 1, abs=1e-3)
    assert zoom == 0.0
    await ptz.geo_move(onvif, PROFILE, lon, lat, elevation, area_width=50.0, area_height=50.0)
    distance = math.sqrt(100**2 + 100**2 + 10**2)
    # the wider of the two views: 50 m across a 60 x 33.75 degree view at zoom 0
    factor = 2 * distance * math.tan(math.radians(33.75 / 2)) / 50.0
    assert (await settled(onvif))[2] == pytest.approx((factor - 1) / 7, abs=1e-3)


async def test_the_camera_location_is_read(fleet: dict[str, Camera], onvif: OnvifClient) -> None:
    assert await get_geo_location(onvif) == GeoLocation(LON, LAT, ELEVATION, heading=0.0)
    other = fleet["dual-sensor"]
    async with OnvifClient(other.host, other.port, "admin", "admin") as client:
        await client.connect()
        assert await get_geo_location(client) is None  # it does not know where it is


async def test_move_faults_come_back_as_errors_that_say_why(
    fleet: dict[str, Camera], onvif: OnvifClient
) -> None:
    with pytest.raises(InvalidArgument, match="outside the range of its space") as out:
        await ptz.absolute_move(
            onvif, PROFILE, 0.0, 10.0, None, pan_tilt_space=ptz.PAN_TILT_DEGREES
        )
    assert out.value.permanent and out.value.operation == "AbsoluteMove"
    with pytest.raises(InvalidArgument, match="step is outside"):
        await ptz.relative_move(
            onvif, PROFILE, 270.0, 0.0, None, pan_tilt_space=ptz.PAN_TILT_STEP_DEGREES
        )
    with pytest.raises(NotSupported, match="does not offer that space"):
        await ptz.relative_move(onvif, PROFILE, 1.0, 0.0, None, pan_tilt_space=ptz.PAN_TILT_DEGREES)
    with pytest.raises(InvalidArgument, match="cannot point at that place"):
        await ptz.geo_move(onvif, PROFILE, *place(50.0, 0.0, 20.0))  # above: a dome looks down
    camera = fleet["ptz-dome"]
    camera.locations.clear()
    with pytest.raises(InvalidArgument, match="does not know where it is"):
        await ptz.geo_move(onvif, PROFILE, *place(50.0, 0.0, -10.0))
    camera.ptz_nodes[0].geo_move = False
    with pytest.raises(NotSupported, match="cannot point at a place") as refused:
        await ptz.geo_move(onvif, PROFILE, *place(50.0, 0.0, -10.0))
    assert refused.value.operation == "GeoMove"
