from __future__ import annotations

import pytest

from cameras.onvif import NotSupported, OnvifClient
from cameras.onvif.imaging import get_options
from cameras.onvif.media import get_profiles
from cameras.onvif.ptz import get_nodes, get_presets
from simulator.camera import Camera


async def test_ptz_nodes_and_presets(fleet: dict[str, Camera]) -> None:
    camera = fleet["ptz-dome"]
    async with OnvifClient(camera.host, camera.port, "admin", "admin") as onvif:
        await onvif.connect()
        nodes = await get_nodes(onvif)
        profile = (await get_profiles(onvif))[0]
        presets = await get_presets(onvif, profile.token)
    assert [n.token for n in nodes] == ["PTZNode_1"]
    assert nodes[0].home_supported
    assert any("PositionGenericSpace" in space for space in nodes[0].spaces)
    # The first space of each group (the generic one; the dome also offers degrees).
    groups = {space.group: space for space in reversed(nodes[0].space_groups)}
    assert len(groups) == 8  # every group of tt:PTZSpaces, the speed spaces too
    assert len(nodes[0].space_groups) == 10 and nodes[0].geo_move and nodes[0].max_tours == 8
    assert groups["PanTiltSpeedSpace"].x == (0.0, 1.0) and groups["ZoomSpeedSpace"].y is None
    assert groups["ContinuousPanTiltVelocitySpace"].y == (-1.0, 1.0)
    node = camera.ptz_nodes[0]
    assert groups["AbsolutePanTiltPositionSpace"].x == tuple(node.pan_limits)
    assert {p.name: (p.pan, p.tilt, p.zoom) for p in presets}["Parking"] == pytest.approx(
        (0.5, -0.3, 0.4)
    )


async def test_a_camera_without_ptz_says_so(fleet: dict[str, Camera]) -> None:
    camera = fleet["bullet-analytics"]
    async with OnvifClient(camera.host, camera.port, "admin", "admin") as onvif:
        await onvif.connect()
        with pytest.raises(NotSupported, match="does not offer the PTZ service"):
            await get_nodes(onvif)


async def test_imaging_options(fleet: dict[str, Camera]) -> None:
    camera = fleet["bullet-analytics"]
    async with OnvifClient(camera.host, camera.port, "admin", "admin") as onvif:
        await onvif.connect()
        options = await get_options(onvif, "VideoSource_1")
    assert options.ranges["Brightness"][0] < options.ranges["Brightness"][1]
    assert options.video_source_token == "VideoSource_1"
