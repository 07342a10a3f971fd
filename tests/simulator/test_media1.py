"""Media ver10 operations used by Media1-only clients."""

import pytest
from lxml import etree
from simclient import Client, SoapFault, xp

M1 = "/onvif/media_service"
ENTITIES = [
    "VideoSource",
    "VideoEncoder",
    "AudioSource",
    "AudioEncoder",
    "Metadata",
    "AudioOutput",
    "AudioDecoder",
]


async def test_it_lists_sources_and_profiles(audio):
    caps = await audio.call(M1, "<trt:GetServiceCapabilities/>")
    assert xp(caps, "trt:Capabilities/@SnapshotUri") == ["true"]
    sources = await audio.call(M1, "<trt:GetVideoSources/>")
    assert xp(sources, "string(//tt:Resolution/tt:Width)") == "1280"
    assert xp(await audio.call(M1, "<trt:GetAudioSources/>"), "trt:AudioSources/@token")
    assert xp(await audio.call(M1, "<trt:GetAudioOutputs/>"), "trt:AudioOutputs/@token")
    profiles = await audio.call(M1, "<trt:GetProfiles/>")
    assert xp(profiles, "trt:Profiles/@token") == ["Profile_1_main", "Profile_1_sub"]
    assert xp(profiles, "string(//tt:VideoEncoderConfiguration/tt:Encoding)") == "H264"
    assert xp(profiles, "//tt:Extension/tt:AudioOutputConfiguration")
    one = await audio.call(
        M1, "<trt:GetProfile><trt:ProfileToken>Profile_1_sub</trt:ProfileToken></trt:GetProfile>"
    )
    assert xp(one, "trt:Profile/@fixed") == ["true"]


async def test_it_refuses_audio_sources_without_audio(ptz_client):
    with pytest.raises(SoapFault) as err:
        await ptz_client.call(M1, "<trt:GetAudioSources/>")
    assert err.value.subcodes == ["ter:ActionNotSupported", "ter:AudioNotSupported"]


async def test_it_builds_a_profile_with_typed_add_and_remove(ptz_client):
    body = await ptz_client.call(
        M1,
        "<trt:CreateProfile><trt:Name>v1</trt:Name><trt:Token>"
        "my-profile-token</trt:Token></trt:CreateProfile>",
    )
    assert xp(body, "trt:Profile/@token") == ["my-profile-token"]
    pt = "<trt:ProfileToken>my-profile-token</trt:ProfileToken>"
    for entity, token in (
        ("VideoSource", "VideoSourceConfig_1"),
        ("VideoEncoder", "VideoEncoder_1_sub"),
        ("PTZ", "PTZConfig_1"),
    ):
        await ptz_client.call(
            M1,
            f"<trt:Add{entity}Configuration>{pt}<trt:ConfigurationToken>"
            f"{token}</trt:ConfigurationToken></trt:Add{entity}Configuration>",
        )
    got = await ptz_client.call(M1, f"<trt:GetProfile>{pt}</trt:GetProfile>")
    assert xp(got, "string(//tt:PTZConfiguration/tt:NodeToken)") == "PTZNode_1"
    await ptz_client.call(M1, f"<trt:RemovePTZConfiguration>{pt}</trt:RemovePTZConfiguration>")
    with pytest.raises(SoapFault) as err:
        await ptz_client.call(
            M1, f"<trt:RemoveVideoSourceConfiguration>{pt}</trt:RemoveVideoSourceConfiguration>"
        )
    assert err.value.subcodes == ["ter:Action", "ter:ConfigurationConflict"]
    await ptz_client.call(M1, f"<trt:DeleteProfile>{pt}</trt:DeleteProfile>")
    with pytest.raises(SoapFault) as err:
        await ptz_client.call(M1, f"<trt:GetProfile>{pt}</trt:GetProfile>")
    assert err.value.subcodes == ["ter:InvalidArgVal", "ter:NoProfile"]


@pytest.mark.parametrize("entity", ENTITIES)
async def test_it_reads_and_writes_each_configuration(entity, audio):
    body = await audio.call(M1, f"<trt:Get{entity}Configurations/>")
    token = xp(body, "trt:Configurations/@token")[0]
    tok = f"<trt:ConfigurationToken>{token}</trt:ConfigurationToken>"
    one = await audio.call(
        M1, f"<trt:Get{entity}Configuration>{tok}</trt:Get{entity}Configuration>"
    )
    compat = await audio.call(
        M1,
        f"<trt:GetCompatible{entity}Configurations><trt:ProfileToken>"
        f"Profile_1_main</trt:ProfileToken></trt:GetCompatible{entity}Configurations>",
    )
    assert token in xp(compat, "trt:Configurations/@token")
    el = one[0]
    el.tag = "{http://www.onvif.org/ver10/media/wsdl}Configuration"
    xp(el, "tt:Name")[0].text = f"{entity} renamed"
    await audio.call(
        M1,
        f"<trt:Set{entity}Configuration>{etree.tostring(el).decode()}"
        "<trt:ForcePersistence>true</trt:ForcePersistence>"
        f"</trt:Set{entity}Configuration>",
    )
    again = await audio.call(
        M1, f"<trt:Get{entity}Configuration>{tok}</trt:Get{entity}Configuration>"
    )
    assert xp(again, "string(*/tt:Name)") == f"{entity} renamed"
    opts = await audio.call(
        M1, f"<trt:Get{entity}ConfigurationOptions>{tok}</trt:Get{entity}ConfigurationOptions>"
    )
    assert xp(opts, "trt:Options")


async def test_it_lists_analytics_configurations(bullet):
    body = await bullet.call(M1, "<trt:GetVideoAnalyticsConfigurations/>")
    assert xp(body, "//tt:Rule/@Name") == ["DoorLine", "Lobby", "Motion"]


async def test_it_returns_stream_and_snapshot_uris(audio, cams):
    setup = (
        "<trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport><tt:Protocol>RTSP"
        "</tt:Protocol></tt:Transport></trt:StreamSetup>"
    )
    body = await audio.call(
        M1,
        f"<trt:GetStreamUri>{setup}<trt:ProfileToken>Profile_1_main"
        "</trt:ProfileToken></trt:GetStreamUri>",
    )
    rtsp_port = cams["audio-cam"].rtsp_port
    assert xp(body, "string(//tt:Uri)") == f"rtsp://127.0.0.1:{rtsp_port}/Profile_1_main"
    assert xp(body, "string(//tt:Timeout)") == "PT0S"
    snap = await audio.call(
        M1,
        "<trt:GetSnapshotUri><trt:ProfileToken>Profile_1_main"
        "</trt:ProfileToken></trt:GetSnapshotUri>",
    )
    port = cams["audio-cam"].port
    assert xp(snap, "string(//tt:Uri)") == f"http://127.0.0.1:{port}/snapshot/Profile_1_main"
    bad = setup.replace("RTP-Unicast", "RTP-Multicast").replace(">RTSP<", ">HTTP<")
    with pytest.raises(SoapFault) as err:
        await audio.call(
            M1,
            f"<trt:GetStreamUri>{bad}<trt:ProfileToken>Profile_1_main"
            "</trt:ProfileToken></trt:GetStreamUri>",
        )
    assert err.value.subcodes == ["ter:InvalidArgVal", "ter:InvalidStreamSetup"]


async def test_it_handles_multicast_sync_modes_and_encoder_instances(audio):
    pt = "<trt:ProfileToken>Profile_1_main</trt:ProfileToken>"
    for op in ("StartMulticastStreaming", "StopMulticastStreaming", "SetSynchronizationPoint"):
        body = await audio.call(M1, f"<trt:{op}>{pt}</trt:{op}>")
        assert body.tag.endswith(f"{op}Response")
    modes = await audio.call(
        M1,
        "<trt:GetVideoSourceModes><trt:VideoSourceToken>VideoSource_1"
        "</trt:VideoSourceToken></trt:GetVideoSourceModes>",
    )
    assert len(xp(modes, "trt:VideoSourceModes")) == 2
    inst = await audio.call(
        M1,
        "<trt:GetGuaranteedNumberOfVideoEncoderInstances>"
        "<trt:ConfigurationToken>VideoSourceConfig_1</trt:ConfigurationToken>"
        "</trt:GetGuaranteedNumberOfVideoEncoderInstances>",
    )
    assert xp(inst, "string(trt:TotalNumber)") == "4"


async def test_it_sets_a_video_source_mode_that_needs_a_reboot(cams):
    camera = cams["dual-sensor"]
    camera.reboot_seconds = 0.3
    async with Client(camera) as client:
        body = await client.call(
            M1,
            "<trt:SetVideoSourceMode><trt:VideoSourceToken>VideoSource_1"
            "</trt:VideoSourceToken><trt:VideoSourceModeToken>VideoSource_1_mode2"
            "</trt:VideoSourceModeToken></trt:SetVideoSourceMode>",
        )
    assert xp(body, "string(trt:Reboot)") == "true"


async def test_it_manages_osds(audio):
    opts = await audio.call(
        M1,
        "<trt:GetOSDOptions><trt:ConfigurationToken>VideoSourceConfig_1"
        "</trt:ConfigurationToken></trt:GetOSDOptions>",
    )
    assert xp(opts, "trt:OSDOptions/tt:MaximumNumberOfOSDs/@Total") == ["8"]
    osd = (
        "<trt:OSD token='x'><tt:VideoSourceConfigurationToken>VideoSourceConfig_1"
        "</tt:VideoSourceConfigurationToken><tt:Type>Text</tt:Type><tt:Position><tt:Type>"
        "UpperRight</tt:Type></tt:Position><tt:TextString><tt:Type>DateAndTime</tt:Type>"
        "<tt:DateFormat>yyyy-MM-dd</tt:DateFormat><tt:TimeFormat>HH:mm:ss</tt:TimeFormat>"
        "</tt:TextString></trt:OSD>"
    )
    token = xp(
        await audio.call(M1, f"<trt:CreateOSD>{osd}</trt:CreateOSD>"), "string(trt:OSDToken)"
    )
    got = await audio.call(M1, f"<trt:GetOSD><trt:OSDToken>{token}</trt:OSDToken></trt:GetOSD>")
    assert xp(got, "string(//tt:DateFormat)") == "yyyy-MM-dd"
    await audio.call(
        M1,
        "<trt:SetOSD>"
        + osd.replace("'x'", f"'{token}'").replace("UpperRight", "LowerLeft")
        + "</trt:SetOSD>",
    )
    listed = await audio.call(M1, "<trt:GetOSDs/>")
    assert xp(listed, "//tt:Position/tt:Type/text()") == ["LowerLeft"]
    await audio.call(M1, f"<trt:DeleteOSD><trt:OSDToken>{token}</trt:OSDToken></trt:DeleteOSD>")
    assert xp(await audio.call(M1, "<trt:GetOSDs/>"), "trt:OSDs") == []


async def test_it_writes_a_video_analytics_configuration(bullet):
    body = await bullet.call(
        M1,
        "<trt:GetVideoAnalyticsConfiguration><trt:ConfigurationToken>"
        "VideoAnalyticsConfig_1</trt:ConfigurationToken>"
        "</trt:GetVideoAnalyticsConfiguration>",
    )
    el = body[0]
    el.tag = "{http://www.onvif.org/ver10/media/wsdl}Configuration"
    rules = xp(el, "tt:RuleEngineConfiguration")[0]
    rules.remove(xp(rules, "tt:Rule[@Name='Motion']")[0])
    await bullet.call(
        M1,
        f"<trt:SetVideoAnalyticsConfiguration>{etree.tostring(el).decode()}"
        "<trt:ForcePersistence>true</trt:ForcePersistence>"
        "</trt:SetVideoAnalyticsConfiguration>",
    )
    after = await bullet.call(M1, "<trt:GetVideoAnalyticsConfigurations/>")
    assert xp(after, "//tt:Rule/@Name") == ["DoorLine", "Lobby"]


async def test_it_announces_media1_configuration_changes(audio, cams):
    sub = cams["audio-cam"].runtime.events.subscribe(["tns1:Configuration"], 60)
    body = await audio.call(M1, "<trt:GetVideoSourceConfiguration><trt:ConfigurationToken>"
                            "VideoSourceConfig_1</trt:ConfigurationToken>"
                            "</trt:GetVideoSourceConfiguration>")  # fmt: skip
    el = body[0]
    el.tag = "{http://www.onvif.org/ver10/media/wsdl}Configuration"
    await audio.call(M1, f"<trt:SetVideoSourceConfiguration>{etree.tostring(el).decode()}"
                     "<trt:ForcePersistence>true</trt:ForcePersistence>"
                     "</trt:SetVideoSourceConfiguration>")  # fmt: skip
    (msg,) = sub.queue
    assert msg.topic == "tns1:Configuration/VideoSourceConfiguration/MediaService"
    xml = cams["audio-cam"].runtime.events.notification(msg, sub)
    assert xp(xml, "string(.//tt:ElementItem/tt:VideoSourceConfiguration/@token)") == (
        "VideoSourceConfig_1"
    )
