"""PTZ degree spaces (clause 8.8), GeoMove (clause 8.4.5) and the Device geo location they use.

The demo dome maps generic pan -1..1 to -180..180 degrees and tilt -1..1 to -90..0 degrees; it
stands at lon 4.8922, lat 52.3731, 12 m above sea level, pan 0 facing north (demo.yaml).
"""

import asyncio
import math

import pytest
from lxml import etree
from simclient import SoapFault, xp

PTZ = "/onvif/ptz_service"
DEV = "/onvif/device_service"
PT = "<tptz:ProfileToken>Profile_1_main</tptz:ProfileToken>"
SPACES = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/"
DEGREES = SPACES + "SphericalPositionSpaceDegrees"
STEP_DEGREES = SPACES + "SphericalTranslationSpaceDegrees"
MILLIMETRES = "http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionSpaceMillimeter"
HOME = (4.8922, 52.3731, 12.0)  # lon, lat, elevation of the demo dome
EARTH = 6_371_008.8


async def fault_of(client, path, body):
    with pytest.raises(SoapFault) as err:
        await client.call(path, body)
    return err.value.subcodes


async def wait_idle(client, limit=10.0):
    for _ in range(int(limit / 0.05)):
        body = await client.call(PTZ, f"<tptz:GetStatus>{PT}</tptz:GetStatus>")
        s = body[0]
        if (
            xp(s, "string(tt:MoveStatus/tt:PanTilt)")
            == "IDLE"
            == xp(s, "string(tt:MoveStatus/tt:Zoom)")
        ):
            assert xp(s, "string(tt:Position/tt:PanTilt/@space)").endswith("PositionGenericSpace")
            return tuple(
                float(xp(s, f"string(tt:Position/tt:{axis})"))
                for axis in ("PanTilt/@x", "PanTilt/@y", "Zoom/@x")
            )
        await asyncio.sleep(0.05)
    raise AssertionError("PTZ never became idle")


def absolute(pan, tilt, space=DEGREES, zoom=""):
    return (
        f"<tptz:AbsoluteMove>{PT}<tptz:Position><tt:PanTilt x='{pan}' y='{tilt}' "
        f"space='{space}'/>{zoom}</tptz:Position></tptz:AbsoluteMove>"
    )


def relative(pan, tilt, space=STEP_DEGREES, zoom=""):
    return (
        f"<tptz:RelativeMove>{PT}<tptz:Translation><tt:PanTilt x='{pan}' y='{tilt}' "
        f"space='{space}'/>{zoom}</tptz:Translation></tptz:RelativeMove>"
    )


def geo_move(lon, lat, elevation, extra=""):
    return (
        f"<tptz:GeoMove>{PT}<tptz:Target lon='{lon}' lat='{lat}' elevation='{elevation}'/>"
        f"{extra}</tptz:GeoMove>"
    )


def offset(north, east, up):
    """The place `north`, `east` metres from the dome and `up` metres above it."""
    lat = HOME[1] + math.degrees(north / EARTH)
    lon = HOME[0] + math.degrees(east / (EARTH * math.cos(math.radians(HOME[1]))))
    return lon, lat, HOME[2] + up


@pytest.fixture(autouse=True)
def fast_dome(cams):
    """Speed the dome up (5 generic units/s) so tests do not wait on slow moves."""
    for motion in cams["ptz-dome"].runtime.motion.values():
        motion.pan.max_speed = motion.tilt.max_speed = motion.zoom.max_speed = 5.0


async def test_the_dome_offers_degree_spaces_and_geo_move(ptz_client, cams):
    nodes = await ptz_client.call(PTZ, "<tptz:GetNodes/>")
    node = xp(nodes, "tptz:PTZNode")[0]
    assert node.get("GeoMove") == "true"
    absolute_uris = xp(node, "tt:SupportedPTZSpaces/tt:AbsolutePanTiltPositionSpace/tt:URI/text()")
    assert absolute_uris == [SPACES + "PositionGenericSpace", DEGREES]  # the default first
    ranges = {
        xp(space, "string(tt:URI)"): [
            float(xp(space, f"string(tt:{r}/tt:{m})"))
            for r in ("XRange", "YRange")
            for m in ("Min", "Max")
        ]
        for space in xp(node, "tt:SupportedPTZSpaces/*[tt:YRange]")
    }
    assert ranges[DEGREES] == [-180, 180, -90, 0]
    assert ranges[STEP_DEGREES] == [-180, 180, -90, 90]
    options = await ptz_client.call(
        PTZ,
        "<tptz:GetConfigurationOptions><tptz:ConfigurationToken>PTZConfig_1"
        "</tptz:ConfigurationToken></tptz:GetConfigurationOptions>",
    )
    assert DEGREES in xp(options, "//tt:AbsolutePanTiltPositionSpace/tt:URI/text()")
    cams["ptz-dome"].ptz_nodes[0].pan_degrees = []  # no mapping: generic spaces, no GeoMove
    nodes = await ptz_client.call(PTZ, "<tptz:GetNodes/>")
    assert xp(nodes, "tptz:PTZNode/@GeoMove") == ["false"]
    assert DEGREES not in xp(nodes, "//tt:URI/text()")


async def test_an_absolute_move_in_degrees_lands_on_the_generic_position(ptz_client):
    await ptz_client.call(PTZ, absolute(90, -45))
    assert await wait_idle(ptz_client) == pytest.approx((0.5, 0.0, 0.0), abs=1e-3)
    await ptz_client.call(PTZ, absolute(-135, -90, zoom="<tt:Zoom x='0.4'/>"))
    assert await wait_idle(ptz_client) == pytest.approx((-0.75, -1.0, 0.4), abs=1e-3)
    await ptz_client.call(PTZ, absolute(180, 0))  # the far corner: a full turn, horizontal
    assert await wait_idle(ptz_client) == pytest.approx((1.0, 1.0, 0.4), abs=1e-3)


async def test_a_relative_move_in_degrees_steps_in_generic_units(ptz_client):
    await ptz_client.call(PTZ, relative(45, -22.5, zoom="<tt:Zoom x='0.2'/>"))
    assert await wait_idle(ptz_client) == pytest.approx((0.25, -0.5, 0.2), abs=1e-3)
    await ptz_client.call(PTZ, relative(-90, 90))  # past the top: stops at the border
    assert await wait_idle(ptz_client) == pytest.approx((-0.25, 1.0, 0.2), abs=1e-3)
    await ptz_client.call(PTZ, relative(0.1, -0.1, space=SPACES + "TranslationGenericSpace"))
    assert await wait_idle(ptz_client) == pytest.approx((-0.15, 0.9, 0.2), abs=1e-3)


async def test_the_configuration_limits_hold_for_moves_in_degrees(ptz_client):
    body = await ptz_client.call(
        PTZ,
        "<tptz:GetConfiguration><tptz:PTZConfigurationToken>PTZConfig_1"
        "</tptz:PTZConfigurationToken></tptz:GetConfiguration>",
    )
    cfg = body[0]
    xp(cfg, "tt:PanTiltLimits/tt:Range/tt:XRange/tt:Max")[0].text = "0.5"  # generic: 90 degrees
    await ptz_client.call(
        PTZ,
        f"<tptz:SetConfiguration>{etree.tostring(cfg).decode()}"
        "<tptz:ForcePersistence>true</tptz:ForcePersistence></tptz:SetConfiguration>",
    )
    await ptz_client.call(PTZ, absolute(170, -45))
    assert await wait_idle(ptz_client) == pytest.approx((0.5, 0.0, 0.0), abs=1e-3)


@pytest.mark.parametrize(
    ("body", "subcode"),
    [
        (absolute(0, -45, space=STEP_DEGREES), "SpaceNotSupported"),  # a translation space
        (absolute(0, 0, space=SPACES + "DigitalPositionSpace"), "SpaceNotSupported"),
        (relative(10, 0, space=DEGREES), "SpaceNotSupported"),
        (absolute(0, -45, zoom=f"<tt:Zoom x='10' space='{MILLIMETRES}'/>"), "SpaceNotSupported"),
        (absolute(181, -45), "InvalidPosition"),
        (absolute(0, 5), "InvalidPosition"),  # above the horizon
        (absolute(0, -91), "InvalidPosition"),
        (relative(190, 0), "InvalidTranslation"),
        (relative(0, -95), "InvalidTranslation"),
    ],
)
async def test_unoffered_spaces_and_values_outside_a_space_are_refused(ptz_client, body, subcode):
    assert await fault_of(ptz_client, PTZ, body) == ["ter:InvalidArgVal", f"ter:{subcode}"]


async def test_degree_spaces_are_refused_by_a_node_without_a_degree_mapping(ptz_client, cams):
    cams["ptz-dome"].ptz_nodes[0].tilt_degrees = []
    assert await fault_of(ptz_client, PTZ, absolute(90, -45)) == [
        "ter:InvalidArgVal",
        "ter:SpaceNotSupported",
    ]


async def test_geo_move_points_at_a_target_north_east_and_below(ptz_client):
    lon, lat, elevation = offset(100.0, 100.0, -10.0)  # 141 m away, 10 m below the dome
    await ptz_client.call(PTZ, geo_move(lon, lat, elevation))
    pan, tilt, zoom = await wait_idle(ptz_client)
    down = math.degrees(math.atan2(10.0, math.hypot(100.0, 100.0)))  # about 4 degrees
    assert pan == pytest.approx(45 / 180, abs=1e-3)  # bearing 45 degrees
    assert tilt == pytest.approx((90 - down) / 45 - 1, abs=1e-3)
    assert zoom == 0.0  # no area: zoom unchanged
    distance = math.sqrt(100**2 + 100**2 + 10**2)
    factor = 2 * distance * math.tan(math.radians(30)) / 50  # 50 m wide in a 60 degree view
    await ptz_client.call(PTZ, geo_move(lon, lat, elevation, "<tptz:AreaWidth>50</tptz:AreaWidth>"))
    assert (await wait_idle(ptz_client))[2] == pytest.approx((factor - 1) / 7, abs=1e-3)


async def test_geo_move_counts_pan_from_the_heading_of_the_location(ptz_client):
    await ptz_client.call(
        DEV,
        "<tds:SetGeoLocation><tds:Location Entity='Device'>"
        f"<tt:GeoLocation lon='{HOME[0]}' lat='{HOME[1]}' elevation='{HOME[2]}'/>"
        "<tt:GeoOrientation yaw='90'/></tds:Location></tds:SetGeoLocation>",
    )
    await ptz_client.call(PTZ, geo_move(*offset(-50.0, 0.0, -12.0)))  # south, on the ground
    pan, tilt, _ = await wait_idle(ptz_client)
    assert pan == pytest.approx(90 / 180, abs=1e-3)  # bearing 180, pan 0 facing east
    down = math.degrees(math.atan2(12.0, 50.0))
    assert tilt == pytest.approx((90 - down) / 45 - 1, abs=1e-3)


async def test_geo_move_faults(ptz_client, cams):
    target = geo_move(*offset(100.0, 0.0, -10.0))
    above = geo_move(*offset(100.0, 0.0, 30.0))  # the dome cannot look up
    assert await fault_of(ptz_client, PTZ, above) == [
        "ter:InvalidArgVal",
        "ter:UnreachablePosition",
    ]
    assert await fault_of(
        ptz_client, PTZ, f"<tptz:GeoMove>{PT}<tptz:Target lon='1'/></tptz:GeoMove>"
    ) == ["ter:InvalidArgVal", "ter:InvalidArgs"]
    await ptz_client.call(
        DEV, "<tds:DeleteGeoLocation><tds:Location Entity='Device'/></tds:DeleteGeoLocation>"
    )
    assert await fault_of(ptz_client, PTZ, target) == [
        "ter:InvalidArgVal",
        "ter:GeoLocationUnknown",
    ]
    cams["ptz-dome"].ptz_nodes[0].geo_move = False
    assert await fault_of(ptz_client, PTZ, target) == [
        "ter:InvalidArgVal",
        "ter:GeoMoveNotSupported",
    ]


async def test_the_device_geo_location_is_read_set_and_deleted(ptz_client, cams):
    caps = await ptz_client.call(DEV, "<tds:GetServiceCapabilities/>")
    assert xp(caps, "string(//tds:System/@GeoLocationEntries)") == "4"
    body = await ptz_client.call(DEV, "<tds:GetGeoLocation/>")
    (entry,) = xp(body, "tds:Location")
    assert entry.get("Entity") == "Device"
    where = xp(entry, "tt:GeoLocation")[0]
    assert [float(where.get(k)) for k in ("lon", "lat", "elevation")] == list(HOME)
    await ptz_client.call(
        DEV,
        "<tds:SetGeoLocation><tds:Location Entity='VideoSource' Token='VideoSource_1' "
        "Fixed='true'><tt:GeoLocation lon='4.9' lat='52.4' elevation='20'/></tds:Location>"
        "</tds:SetGeoLocation>",
    )
    body = await ptz_client.call(DEV, "<tds:GetGeoLocation/>")
    assert xp(body, "tds:Location/@Entity") == ["Device", "VideoSource"]
    assert cams["ptz-dome"].geo_location("VideoSource_1").elevation == 20.0  # its own wins
    fixed = "<tds:Location Entity='VideoSource' Token='VideoSource_1'/>"
    assert await fault_of(
        ptz_client, DEV, f"<tds:DeleteGeoLocation>{fixed}</tds:DeleteGeoLocation>"
    ) == ["ter:OperationProhibited"]
    assert await fault_of(
        ptz_client,
        DEV,
        "<tds:SetGeoLocation><tds:Location Entity='Car'/></tds:SetGeoLocation>",
    ) == ["ter:InvalidArgVal", "ter:InvalidArgs"]
    await ptz_client.call(
        DEV, "<tds:DeleteGeoLocation><tds:Location Entity='Device'/></tds:DeleteGeoLocation>"
    )
    body = await ptz_client.call(DEV, "<tds:GetGeoLocation/>")
    assert xp(body, "tds:Location/@Entity") == ["VideoSource"]
    assert await fault_of(
        ptz_client,
        DEV,
        "<tds:DeleteGeoLocation><tds:Location Entity='Device'/></tds:DeleteGeoLocation>",
    ) == ["ter:InvalidArgVal", "ter:NoEntity"]
