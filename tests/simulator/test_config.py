"""Fleet descriptions: defaults, TOML, and saving state that loads back unchanged."""

from simulator import config


def test_it_loads_the_demo_set_with_defaults():
    cams = config.load(base_port=18080)
    assert [c.name for c in cams] == ["ptz-dome", "bullet-analytics", "audio-cam", "dual-sensor"]
    assert [c.port for c in cams] == [18080, 18081, 18082, 18083]
    assert {c.rtsp_port for c in cams} == {0}  # a free port each, taken when RTSP starts
    assert [c.rtsp_port for c in config.load(rtsp_base_port=8554)] == [8554, 8555, 8556, 8557]
    assert [u.level for u in cams[0].users] == ["Administrator", "Operator", "User"]
    assert cams[0].has_ptz and cams[1].has_analytics and cams[2].audio_sources
    assert len(cams[3].video_sources) == 2 and len(cams[3].profiles) == 4


def test_it_repeats_cameras_and_can_give_each_its_own_address():
    cams = config.load(count=6, base_port=20000, address_per_camera=True, rtsp_base_port=8554)
    assert [c.host for c in cams[:2]] == ["127.1.0.1", "127.1.0.2"]
    assert {c.port for c in cams} == {20000} and {c.rtsp_port for c in cams} == {8554}
    assert len({c.identity.serial for c in cams}) == 6


def test_it_reads_toml(tmp_path):
    path = tmp_path / "fleet.toml"
    path.write_text(
        '[[cameras]]\nname = "t1"\naudio_sources = ["A1"]\n[cameras.quirks]\nmedia1_only = true\n'
    )
    (cam,) = config.load(path, base_port=0)
    assert cam.quirks.media1_only and cam.audio_sources == ["A1"] and cam.port == 0


def test_saved_state_loads_back_unchanged(tmp_path):
    cams = config.load(base_port=18080)
    cams[0].ptz_nodes[0].presets[0].name = "Moved"
    cams[3].profiles[0].name = "Renamed"
    path = tmp_path / "state.yaml"
    config.save(cams, path)
    again = config.load(path, base_port=18080)
    assert [config.to_dict(c) for c in again] == [config.to_dict(c) for c in cams]


async def test_saved_state_keeps_the_ptz_position_and_stops_tours(tmp_path):
    from simulator.ptz_motion import now
    from simulator.runtime import Runtime

    (camera,) = config.load(base_port=0)[:1]
    rt = Runtime(camera)
    rt.motion["PTZNode_1"].goto(now() - 100, 0.3, -0.2, 0.5, 1.0, 1.0)  # long arrived
    camera.ptz_nodes[0].tours[0].state = "Touring"
    path = tmp_path / "state.yaml"
    config.save([camera], path)
    (again,) = config.load(path, base_port=0)
    assert again.ptz_nodes[0].position == [0.3, -0.2, 0.5]
    assert again.ptz_nodes[0].tours[0].state == "Idle"
    assert Runtime(again).motion["PTZNode_1"].position() == (0.3, -0.2, 0.5)


async def test_cameras_can_each_have_their_own_loopback_address():
    import socket

    from simclient import Client, xp

    from simulator.server import Simulator

    with socket.socket() as s:
        s.bind(("127.1.0.1", 0))
        port = s.getsockname()[1]
    cams = config.load(base_port=port, count=2, address_per_camera=True)
    sim = Simulator(cams)
    await sim.start()
    try:
        for camera in cams:
            async with Client(camera) as client:
                body = await client.call("/onvif/device_service", "<tds:GetNetworkInterfaces/>")
            assert xp(body, "string(//tt:IPv4//tt:Address)") == camera.host
    finally:
        await sim.stop()
    assert [c.host for c in cams] == ["127.1.0.1", "127.1.0.2"]
