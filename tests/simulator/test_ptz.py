"""PTZ service (clause 8): every operation, with the motion model, presets, home and tours."""

import asyncio

import pytest
from simclient import SoapFault, xp

PTZ = "/onvif/ptz_service"
PT = "<tptz:ProfileToken>Profile_1_main</tptz:ProfileToken>"


async def fault_of(client, body):
    with pytest.raises(SoapFault) as err:
        await client.call(PTZ, body)
    return err.value.subcodes


async def status(client):
    body = await client.call(PTZ, f"<tptz:GetStatus>{PT}</tptz:GetStatus>")
    s = body[0]
    return (
        float(xp(s, "string(tt:Position/tt:PanTilt/@x)")),
        float(xp(s, "string(tt:Position/tt:PanTilt/@y)")),
        float(xp(s, "string(tt:Position/tt:Zoom/@x)")),
        xp(s, "string(tt:MoveStatus/tt:PanTilt)"),
        xp(s, "string(tt:MoveStatus/tt:Zoom)"),
    )


async def wait_idle(client, limit=10.0):
    for _ in range(int(limit / 0.05)):
        st = await status(client)
        if st[3] == "IDLE" and st[4] == "IDLE":
            return st
        await asyncio.sleep(0.05)
    raise AssertionError("PTZ never became idle")


@pytest.fixture(autouse=True)
def fast_dome(cams):
    """Speed the dome up (5 generic units/s) so tests do not wait on slow moves."""
    camera = cams["ptz-dome"]
    for motion in camera.runtime.motion.values():
        motion.pan.max_speed = motion.tilt.max_speed = motion.zoom.max_speed = 5.0


async def test_it_reports_capabilities_nodes_and_configurations(ptz_client):
    caps = await ptz_client.call(PTZ, "<tptz:GetServiceCapabilities/>")
    assert xp(caps, "tptz:Capabilities/@StatusPosition") == ["true"]
    nodes = await ptz_client.call(PTZ, "<tptz:GetNodes/>")
    assert xp(nodes, "tptz:PTZNode/@token") == ["PTZNode_1"]
    node = await ptz_client.call(
        PTZ, "<tptz:GetNode><tptz:NodeToken>PTZNode_1</tptz:NodeToken></tptz:GetNode>"
    )
    assert xp(node, "string(//tt:MaximumNumberOfPresetTours)") == "8"
    assert await fault_of(
        ptz_client, "<tptz:GetNode><tptz:NodeToken>x</tptz:NodeToken></tptz:GetNode>"
    ) == ["ter:InvalidArgVal", "ter:NoEntity"]
    cfgs = await ptz_client.call(PTZ, "<tptz:GetConfigurations/>")
    assert xp(cfgs, "tptz:PTZConfiguration/@token") == ["PTZConfig_1"]
    one = await ptz_client.call(
        PTZ,
        "<tptz:GetConfiguration><tptz:PTZConfigurationToken>PTZConfig_1"
        "</tptz:PTZConfigurationToken></tptz:GetConfiguration>",
    )
    assert xp(one, "string(//tt:DefaultPTZTimeout)") == "PT5S"
    opts = await ptz_client.call(
        PTZ,
        "<tptz:GetConfigurationOptions><tptz:ConfigurationToken>"
        "PTZConfig_1</tptz:ConfigurationToken></tptz:GetConfigurationOptions>",
    )
    assert xp(opts, "//tt:PTZTimeout/tt:Max/text()") == ["PT3600S"]
    compat = await ptz_client.call(
        PTZ, f"<tptz:GetCompatibleConfigurations>{PT}</tptz:GetCompatibleConfigurations>"
    )
    assert xp(compat, "tptz:PTZConfiguration/@token") == ["PTZConfig_1"]


async def test_it_sets_a_configuration_and_reverses_pan_tilt(ptz_client):
    body = await ptz_client.call(
        PTZ,
        "<tptz:GetConfiguration><tptz:PTZConfigurationToken>"
        "PTZConfig_1</tptz:PTZConfigurationToken></tptz:GetConfiguration>",
    )
    from lxml import etree

    cfg = body[0]
    xp(cfg, "tt:DefaultPTZTimeout")[0].text = "PT2S"
    xp(cfg, "tt:Extension/tt:PTControlDirection/tt:Reverse/tt:Mode")[0].text = "ON"
    await ptz_client.call(
        PTZ,
        f"<tptz:SetConfiguration>{etree.tostring(cfg).decode()}"
        "<tptz:ForcePersistence>true</tptz:ForcePersistence></tptz:SetConfiguration>",
    )
    await ptz_client.call(
        PTZ,
        f"<tptz:RelativeMove>{PT}<tptz:Translation><tt:PanTilt x='0.2' y='0'/>"
        "</tptz:Translation></tptz:RelativeMove>",
    )
    pan, *_ = await wait_idle(ptz_client)
    assert pan == pytest.approx(-0.2, abs=1e-3)  # reversed: positive went left


async def test_pan_tilt_limits_of_the_configuration_stop_moves(ptz_client):
    from lxml import etree

    body = await ptz_client.call(
        PTZ,
        "<tptz:GetConfiguration><tptz:PTZConfigurationToken>"
        "PTZConfig_1</tptz:PTZConfigurationToken></tptz:GetConfiguration>",
    )
    cfg = body[0]
    xrange = xp(cfg, "tt:PanTiltLimits/tt:Range/tt:XRange")[0]
    xp(xrange, "tt:Max")[0].text = "0.3"
    await ptz_client.call(
        PTZ,
        f"<tptz:SetConfiguration>{etree.tostring(cfg).decode()}"
        "<tptz:ForcePersistence>true</tptz:ForcePersistence></tptz:SetConfiguration>",
    )
    await ptz_client.call(
        PTZ,
        f"<tptz:AbsoluteMove>{PT}<tptz:Position><tt:PanTilt x='0.9' y='0'/></tptz:Position>"
        "</tptz:AbsoluteMove>",
    )
    pan, *_ = await wait_idle(ptz_client)
    assert pan == pytest.approx(0.3, abs=1e-3)  # stopped at the limit
    again = await ptz_client.call(
        PTZ,
        "<tptz:GetConfiguration><tptz:PTZConfigurationToken>"
        "PTZConfig_1</tptz:PTZConfigurationToken></tptz:GetConfiguration>",
    )
    assert xp(again, "string(//tt:PanTiltLimits/tt:Range/tt:XRange/tt:Max)") == "0.3"
    xp(xrange, "tt:Max")[0].text = "7"  # beyond the node's own range
    subs = await fault_of(
        ptz_client,
        f"<tptz:SetConfiguration>{etree.tostring(cfg).decode()}"
        "<tptz:ForcePersistence>true</tptz:ForcePersistence></tptz:SetConfiguration>",
    )
    assert subs == ["ter:InvalidArgVal", "ter:ConfigModify"]


async def test_it_moves_continuously_and_honours_the_timeout(ptz_client, cams):
    for m in cams["ptz-dome"].runtime.motion.values():
        m.pan.max_speed = 0.25
    await ptz_client.call(
        PTZ,
        f"<tptz:ContinuousMove>{PT}<tptz:Velocity><tt:PanTilt x='1' y='0'/>"
        "</tptz:Velocity><tptz:Timeout>PT1S</tptz:Timeout></tptz:ContinuousMove>",
    )
    assert (await status(ptz_client))[3] == "MOVING"
    pan, *_ = await wait_idle(ptz_client)
    assert pan == pytest.approx(0.25, abs=0.01)  # 0.25 units/s for 1 s
    assert await fault_of(
        ptz_client,
        f"<tptz:ContinuousMove>{PT}<tptz:Velocity><tt:PanTilt x='2' "
        "y='0'/></tptz:Velocity></tptz:ContinuousMove>",
    ) == ["ter:InvalidArgVal", "ter:InvalidVelocity"]
    assert await fault_of(
        ptz_client,
        f"<tptz:ContinuousMove>{PT}<tptz:Velocity><tt:Zoom x='1'/>"
        "</tptz:Velocity><tptz:Timeout>PT2H</tptz:Timeout></tptz:ContinuousMove>",
    ) == ["ter:InvalidArgVal", "ter:TimeoutNotSupported"]


async def test_it_moves_absolutely_with_a_speed_and_stops(ptz_client):
    await ptz_client.call(
        PTZ,
        f"<tptz:AbsoluteMove>{PT}<tptz:Position><tt:PanTilt x='0.5' y='-0.5'/>"
        "<tt:Zoom x='0.3'/></tptz:Position><tptz:Speed><tt:PanTilt x='1' y='1'/>"
        "</tptz:Speed></tptz:AbsoluteMove>",
    )
    assert await wait_idle(ptz_client) == pytest.approx((0.5, -0.5, 0.3, "IDLE", "IDLE"))
    await ptz_client.call(
        PTZ,
        f"<tptz:ContinuousMove>{PT}<tptz:Velocity><tt:PanTilt x='-0.1' "
        "y='0'/></tptz:Velocity></tptz:ContinuousMove>",
    )
    await ptz_client.call(PTZ, f"<tptz:Stop>{PT}<tptz:PanTilt>true</tptz:PanTilt></tptz:Stop>")
    assert (await status(ptz_client))[3] == "IDLE"
    assert await fault_of(
        ptz_client,
        f"<tptz:AbsoluteMove>{PT}<tptz:Position><tt:PanTilt x='3' "
        "y='0'/></tptz:Position></tptz:AbsoluteMove>",
    ) == ["ter:InvalidArgVal", "ter:InvalidPosition"]
    assert await fault_of(
        ptz_client,
        f"<tptz:AbsoluteMove>{PT}<tptz:Position><tt:PanTilt x='0' "
        "y='0' space='urn:bogus'/></tptz:Position></tptz:AbsoluteMove>",
    ) == ["ter:InvalidArgVal", "ter:SpaceNotSupported"]


async def test_it_moves_relatively_up_to_the_border(ptz_client):
    await ptz_client.call(
        PTZ,
        f"<tptz:RelativeMove>{PT}<tptz:Translation><tt:PanTilt x='1' y='1'/>"
        "<tt:Zoom x='0.5'/></tptz:Translation></tptz:RelativeMove>",
    )
    await wait_idle(ptz_client)
    await ptz_client.call(
        PTZ,
        f"<tptz:RelativeMove>{PT}<tptz:Translation><tt:PanTilt x='1' y='0'/>"
        "</tptz:Translation></tptz:RelativeMove>",
    )
    pan, tilt, zoom, *_ = await wait_idle(ptz_client)
    assert (pan, tilt, zoom) == pytest.approx((1.0, 1.0, 0.5))


async def test_it_refuses_moves_on_a_profile_without_ptz(ptz_client, cams):
    bad = "<tptz:GetStatus><tptz:ProfileToken>Profile_X</tptz:ProfileToken></tptz:GetStatus>"
    assert await fault_of(ptz_client, bad) == ["ter:InvalidArgVal", "ter:NoProfile"]
    cams["ptz-dome"].profiles[1].configs.pop("PTZ")
    sub = bad.replace("Profile_X", "Profile_1_sub")
    assert await fault_of(ptz_client, sub) == ["ter:InvalidArgVal", "ter:NoPTZProfile"]


async def test_it_answers_action_not_supported_on_a_camera_without_ptz(bullet):
    with pytest.raises(SoapFault) as err:
        await bullet.call(PTZ, "<tptz:GetNodes/>")
    assert err.value.subcodes == ["ter:ActionNotSupported"]


async def test_it_manages_presets_and_reports_preset_events(ptz_client, cams):
    events = cams["ptz-dome"].runtime.events.subscribe(["tns1:PTZController/PTZPresets"], 60)
    presets = await ptz_client.call(PTZ, f"<tptz:GetPresets>{PT}</tptz:GetPresets>")
    assert xp(presets, "tptz:Preset/tt:Name/text()") == ["Entrance", "Parking", "Gate"]
    await ptz_client.call(
        PTZ, f"<tptz:GotoPreset>{PT}<tptz:PresetToken>Preset_2</tptz:PresetToken></tptz:GotoPreset>"
    )
    assert await wait_idle(ptz_client) == pytest.approx((0.5, -0.3, 0.4, "IDLE", "IDLE"))
    await asyncio.sleep(0.05)
    await ptz_client.call(
        PTZ,
        f"<tptz:RelativeMove>{PT}<tptz:Translation><tt:PanTilt x='0.1' "
        "y='0'/></tptz:Translation></tptz:RelativeMove>",
    )
    topics = [m.topic.rsplit("/", 1)[1] for m in events.queue]
    assert topics == ["Invoked", "Reached", "Left"]
    await wait_idle(ptz_client)
    body = await ptz_client.call(
        PTZ, f"<tptz:SetPreset>{PT}<tptz:PresetName>Mine</tptz:PresetName></tptz:SetPreset>"
    )
    token = xp(body, "string(tptz:PresetToken)")
    again = await ptz_client.call(PTZ, f"<tptz:GetPresets>{PT}</tptz:GetPresets>")
    assert xp(again, f"string(tptz:Preset[@token='{token}']/tt:PTZPosition/tt:PanTilt/@x)") == "0.6"
    assert await fault_of(
        ptz_client, f"<tptz:SetPreset>{PT}<tptz:PresetName>Gate</tptz:PresetName></tptz:SetPreset>"
    ) == ["ter:InvalidArgVal", "ter:PresetExist"]
    await ptz_client.call(
        PTZ,
        f"<tptz:RemovePreset>{PT}<tptz:PresetToken>{token}</tptz:PresetToken></tptz:RemovePreset>",
    )
    assert await fault_of(
        ptz_client,
        f"<tptz:GotoPreset>{PT}<tptz:PresetToken>{token}</tptz:PresetToken></tptz:GotoPreset>",
    ) == ["ter:InvalidArgVal", "ter:NoToken"]


async def test_it_reports_aborted_when_a_preset_move_is_interrupted(ptz_client, cams):
    for m in cams["ptz-dome"].runtime.motion.values():
        m.pan.max_speed = m.tilt.max_speed = 0.1
    events = cams["ptz-dome"].runtime.events.subscribe(["tns1:PTZController/PTZPresets"], 60)
    await ptz_client.call(
        PTZ, f"<tptz:GotoPreset>{PT}<tptz:PresetToken>Preset_3</tptz:PresetToken></tptz:GotoPreset>"
    )
    await ptz_client.call(PTZ, f"<tptz:Stop>{PT}</tptz:Stop>")
    assert [m.topic.rsplit("/", 1)[1] for m in events.queue] == ["Invoked", "Aborted"]


async def test_it_goes_home_and_sets_home(ptz_client, cams):
    await ptz_client.call(
        PTZ,
        f"<tptz:AbsoluteMove>{PT}<tptz:Position><tt:PanTilt x='0.3' y='0.3'/>"
        "</tptz:Position></tptz:AbsoluteMove>",
    )
    await wait_idle(ptz_client)
    await ptz_client.call(PTZ, f"<tptz:SetHomePosition>{PT}</tptz:SetHomePosition>")
    await ptz_client.call(
        PTZ,
        f"<tptz:AbsoluteMove>{PT}<tptz:Position><tt:PanTilt x='-0.3' y='0'/>"
        "</tptz:Position></tptz:AbsoluteMove>",
    )
    await wait_idle(ptz_client)
    await ptz_client.call(PTZ, f"<tptz:GotoHomePosition>{PT}</tptz:GotoHomePosition>")
    assert (await wait_idle(ptz_client))[:2] == pytest.approx((0.3, 0.3))
    cams["ptz-dome"].ptz_nodes[0].fixed_home = True
    assert await fault_of(ptz_client, f"<tptz:SetHomePosition>{PT}</tptz:SetHomePosition>") == [
        "ter:Action",
        "ter:CannotOverwriteHome",
    ]


async def test_it_runs_auxiliary_commands(ptz_client, cams):
    body = await ptz_client.call(
        PTZ,
        f"<tptz:SendAuxiliaryCommand>{PT}<tptz:AuxiliaryData>"
        "tt:Wiper|On</tptz:AuxiliaryData></tptz:SendAuxiliaryCommand>",
    )
    assert xp(body, "string(tptz:AuxiliaryResponse)") == "tt:Wiper|On"
    assert cams["ptz-dome"].ptz_nodes[0].aux_state == {"tt:Wiper": "On"}


async def test_it_refuses_geo_move_on_a_node_without_it(ptz_client, cams):
    cams["ptz-dome"].ptz_nodes[0].geo_move = False  # the demo dome has it (test_ptz_spaces)
    assert await fault_of(
        ptz_client, f"<tptz:GeoMove>{PT}<tptz:Target lon='1' lat='2' elevation='3'/></tptz:GeoMove>"
    ) == ["ter:InvalidArgVal", "ter:GeoMoveNotSupported"]


async def test_it_runs_a_preset_tour_and_reports_its_state(ptz_client, cams):
    node = cams["ptz-dome"].ptz_nodes[0]
    for spot in node.tours[0].spots:
        spot.stay = 0.1
    events = cams["ptz-dome"].runtime.events.subscribe(["tns1:PTZController"], 60)
    tours = await ptz_client.call(PTZ, f"<tptz:GetPresetTours>{PT}</tptz:GetPresetTours>")
    assert xp(tours, "string(//tt:Status/tt:State)") == "Idle"
    tt = "<tptz:PresetTourToken>Tour_1</tptz:PresetTourToken>"
    await ptz_client.call(
        PTZ,
        f"<tptz:OperatePresetTour>{PT}{tt}<tptz:Operation>Start"
        "</tptz:Operation></tptz:OperatePresetTour>",
    )
    await asyncio.sleep(0.3)
    one = await ptz_client.call(PTZ, f"<tptz:GetPresetTour>{PT}{tt}</tptz:GetPresetTour>")
    assert xp(one, "string(//tt:Status/tt:State)") == "Touring"
    assert xp(one, "//tt:Status/tt:CurrentTourSpot")
    await ptz_client.call(
        PTZ,
        f"<tptz:OperatePresetTour>{PT}{tt}<tptz:Operation>Pause"
        "</tptz:Operation></tptz:OperatePresetTour>",
    )
    assert node.tours[0].state == "Paused"
    await ptz_client.call(
        PTZ,
        f"<tptz:OperatePresetTour>{PT}{tt}<tptz:Operation>Stop"
        "</tptz:Operation></tptz:OperatePresetTour>",
    )
    states = [dict(m.data)["StateChange"] for m in events.queue if "PresetTours" in m.topic]
    reached = [dict(m.data)["PresetToken"] for m in events.queue if m.topic.endswith("Reached")]
    assert states.count("true") == 3  # Touring, Paused, Idle
    assert reached[:1] == ["Preset_1"]


async def test_it_stops_a_finite_tour_by_itself(ptz_client, cams):
    node = cams["ptz-dome"].ptz_nodes[0]
    body = await ptz_client.call(PTZ, f"<tptz:CreatePresetTour>{PT}</tptz:CreatePresetTour>")
    token = xp(body, "string(tptz:PresetTourToken)")
    spot = (
        "<tt:TourSpot><tt:PresetDetail><tt:PresetToken>{}</tt:PresetToken></tt:PresetDetail>"
        "<tt:StayTime>PT0.1S</tt:StayTime></tt:TourSpot>"
    )
    await ptz_client.call(
        PTZ,
        f"<tptz:ModifyPresetTour>{PT}<tptz:PresetTour token='{token}'>"
        "<tt:Name>Short</tt:Name><tt:Status><tt:State>Idle</tt:State></tt:Status>"
        "<tt:AutoStart>false</tt:AutoStart><tt:StartingCondition><tt:RecurringTime>1"
        "</tt:RecurringTime><tt:Direction>Backward</tt:Direction></tt:StartingCondition>"
        + spot.format("Preset_1")
        + spot.format("Preset_2")
        + "</tptz:PresetTour></tptz:ModifyPresetTour>",
    )
    opts = await ptz_client.call(
        PTZ, f"<tptz:GetPresetTourOptions>{PT}</tptz:GetPresetTourOptions>"
    )
    assert "Preset_1" in xp(opts, "//tt:PresetDetail/tt:PresetToken/text()")
    tt = f"<tptz:PresetTourToken>{token}</tptz:PresetTourToken>"
    await ptz_client.call(
        PTZ,
        f"<tptz:OperatePresetTour>{PT}{tt}<tptz:Operation>Start"
        "</tptz:Operation></tptz:OperatePresetTour>",
    )
    for _ in range(100):
        if node.tours[-1].state == "Idle":
            break
        await asyncio.sleep(0.05)
    assert node.tours[-1].state == "Idle"
    assert (await status(ptz_client))[:2] == pytest.approx(
        (-0.5, 0.2)
    )  # backward: ends at Preset_1
    await ptz_client.call(PTZ, f"<tptz:RemovePresetTour>{PT}{tt}</tptz:RemovePresetTour>")
    assert await fault_of(ptz_client, f"<tptz:GetPresetTour>{PT}{tt}</tptz:GetPresetTour>") == [
        "ter:InvalidArgVal",
        "ter:NoToken",
    ]


async def test_a_manual_move_interrupts_a_tour(ptz_client, cams):
    tt = "<tptz:PresetTourToken>Tour_1</tptz:PresetTourToken>"
    await ptz_client.call(
        PTZ,
        f"<tptz:OperatePresetTour>{PT}{tt}<tptz:Operation>Start"
        "</tptz:Operation></tptz:OperatePresetTour>",
    )
    await ptz_client.call(PTZ, f"<tptz:Stop>{PT}</tptz:Stop>")
    assert cams["ptz-dome"].ptz_nodes[0].tours[0].state == "Idle"


async def test_an_auto_start_tour_runs_when_the_camera_comes_up():
    from simulator import config
    from simulator.server import Simulator

    (camera,) = config.load(base_port=0)[:1]
    camera.ptz_nodes[0].tours[0].auto_start = True
    sim = Simulator([camera])
    await sim.start()
    try:
        assert camera.ptz_nodes[0].tours[0].state == "Touring"
        await asyncio.sleep(0.1)
        assert camera.runtime.motion["PTZNode_1"].pan_tilt_moving()
    finally:
        await sim.stop()
