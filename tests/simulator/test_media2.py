"""Media2 service (clause 6): every operation, validated against the official XSDs."""

import pytest
from simclient import Client, SoapFault, xp

M2 = "/onvif/media2_service"
VSC = "VideoSourceConfig_1"


async def fault_of(client, body, path=M2):
    with pytest.raises(SoapFault) as err:
        await client.call(path, body)
    return err.value.subcodes


async def test_it_reports_service_capabilities_before_authentication(cams):
    async with Client(cams["dual-sensor"], user=None) as anon:
        body = await anon.call(M2, "<tr2:GetServiceCapabilities/>")
    assert xp(body, "tr2:Capabilities/@Mask") == ["true"]
    assert "VideoEncoder" in xp(body, "string(//tr2:ProfileCapabilities/@ConfigurationsSupported)")


async def test_it_lists_profiles_with_and_without_configurations(ptz_client):
    bare = await ptz_client.call(M2, "<tr2:GetProfiles/>")
    assert xp(bare, "tr2:Profiles/@token") == ["Profile_1_main", "Profile_1_sub"]
    assert xp(bare, "//tr2:Configurations") == []
    full = await ptz_client.call(M2, "<tr2:GetProfiles><tr2:Type>All</tr2:Type></tr2:GetProfiles>")
    assert (
        xp(full, "string(tr2:Profiles[1]/tr2:Configurations/tr2:PTZ/tt:NodeToken)") == "PTZNode_1"
    )
    only = await ptz_client.call(
        M2,
        "<tr2:GetProfiles><tr2:Token>Profile_1_sub</tr2:Token>"
        "<tr2:Type>VideoEncoder</tr2:Type></tr2:GetProfiles>",
    )
    assert xp(only, "count(//tr2:VideoEncoder)") == 1 and xp(only, "//tr2:VideoSource") == []
    subs = await fault_of(
        ptz_client, "<tr2:GetProfiles><tr2:Token>nope</tr2:Token></tr2:GetProfiles>"
    )
    assert subs == ["ter:InvalidArgVal", "ter:NoProfile"]


async def test_it_creates_extends_shrinks_and_deletes_a_profile(dual):
    body = await dual.call(
        M2,
        "<tr2:CreateProfile><tr2:Name>mine</tr2:Name><tr2:Configuration><tr2:Type>VideoSource"
        f"</tr2:Type><tr2:Token>{VSC}</tr2:Token></tr2:Configuration></tr2:CreateProfile>",
    )
    token = xp(body, "string(tr2:Token)")
    await dual.call(
        M2,
        f"<tr2:AddConfiguration><tr2:ProfileToken>{token}</tr2:ProfileToken>"
        "<tr2:Name>renamed</tr2:Name><tr2:Configuration><tr2:Type>VideoEncoder</tr2:Type>"
        "<tr2:Token>VideoEncoder_1_sub</tr2:Token></tr2:Configuration></tr2:AddConfiguration>",
    )
    got = await dual.call(
        M2,
        f"<tr2:GetProfiles><tr2:Token>{token}</tr2:Token><tr2:Type>All"
        "</tr2:Type></tr2:GetProfiles>",
    )
    assert xp(got, "string(//tr2:Name)") == "renamed"
    assert xp(got, "//tr2:VideoEncoder/@token") == ["VideoEncoder_1_sub"]
    conflict = await fault_of(
        dual,
        f"<tr2:RemoveConfiguration><tr2:ProfileToken>{token}"
        "</tr2:ProfileToken><tr2:Configuration><tr2:Type>VideoSource</tr2:Type>"
        "</tr2:Configuration></tr2:RemoveConfiguration>",
    )
    assert conflict == ["ter:Action", "ter:ConfigurationConflict"]
    await dual.call(
        M2,
        f"<tr2:RemoveConfiguration><tr2:ProfileToken>{token}</tr2:ProfileToken>"
        "<tr2:Configuration><tr2:Type>All</tr2:Type></tr2:Configuration>"
        "</tr2:RemoveConfiguration>",
    )
    await dual.call(M2, f"<tr2:DeleteProfile><tr2:Token>{token}</tr2:Token></tr2:DeleteProfile>")
    fixed = await fault_of(
        dual, "<tr2:DeleteProfile><tr2:Token>Profile_1_main</tr2:Token></tr2:DeleteProfile>"
    )
    assert fixed == ["ter:Action", "ter:DeletionOfFixedProfile"]


KINDS = [
    "VideoSource",
    "VideoEncoder",
    "AudioSource",
    "AudioEncoder",
    "Metadata",
    "AudioOutput",
    "AudioDecoder",
]


@pytest.mark.parametrize("kind", [*KINDS, "Analytics"])
async def test_it_lists_each_kind_of_configuration(kind, cams):
    camera = cams["audio-cam"] if kind.startswith("Audio") else cams["bullet-analytics"]
    async with Client(camera) as client:
        body = await client.call(M2, f"<tr2:Get{kind}Configurations/>")
        tokens = xp(body, "tr2:Configurations/@token")
        assert tokens
        one = await client.call(
            M2,
            f"<tr2:Get{kind}Configurations><tr2:ConfigurationToken>"
            f"{tokens[0]}</tr2:ConfigurationToken></tr2:Get{kind}Configurations>",
        )
        assert xp(one, "tr2:Configurations/@token") == tokens[:1]
        missing = await fault_of(
            client,
            f"<tr2:Get{kind}Configurations><tr2:ConfigurationToken>x"
            f"</tr2:ConfigurationToken></tr2:Get{kind}Configurations>",
        )
    assert missing == ["ter:InvalidArgVal", "ter:NoConfig"]


@pytest.mark.parametrize("kind", KINDS)
async def test_it_returns_options_for_each_kind(kind, audio):
    body = await audio.call(M2, f"<tr2:Get{kind}ConfigurationOptions/>")
    assert xp(body, "tr2:Options")


@pytest.mark.parametrize("kind", ["AudioSource", "AudioOutput", "AudioDecoder", "Analytics"])
async def test_it_refuses_audio_and_analytics_on_cameras_without_them(kind, ptz_client):
    subs = await fault_of(ptz_client, f"<tr2:Get{kind}Configurations/>")
    assert subs[0] == "ter:ActionNotSupported"


async def test_it_modifies_every_settable_configuration(audio):
    configs = {}
    for kind in KINDS:
        body = await audio.call(M2, f"<tr2:Get{kind}Configurations/>")
        configs[kind] = body[0]
    enc = configs["VideoEncoder"]
    xp(enc, "tt:Resolution/tt:Width")[0].text = "1280"
    xp(enc, "tt:Resolution/tt:Height")[0].text = "720"
    xp(enc, "tt:Name")[0].text = "changed"
    xp(configs["AudioOutput"], "tt:OutputLevel")[0].text = "80"
    from lxml import etree

    for kind, el in configs.items():
        el.tag = "{http://www.onvif.org/ver20/media/wsdl}Configuration"
        await audio.call(
            M2,
            f"<tr2:Set{kind}Configuration>{etree.tostring(el).decode()}"
            f"</tr2:Set{kind}Configuration>",
        )
    after = await audio.call(M2, "<tr2:GetVideoEncoderConfigurations/>")
    assert xp(after, "string(tr2:Configurations[1]/tt:Resolution/tt:Width)") == "1280"
    assert xp(after, "string(tr2:Configurations[1]/tt:Name)") == "changed"
    out = await audio.call(M2, "<tr2:GetAudioOutputConfigurations/>")
    assert xp(out, "string(//tt:OutputLevel)") == "80"


async def test_it_refuses_an_unsupported_resolution(audio):
    body = await audio.call(M2, "<tr2:GetVideoEncoderConfigurations/>")
    el = body[0]
    xp(el, "tt:Resolution/tt:Width")[0].text = "1234"
    from lxml import etree

    el.tag = "{http://www.onvif.org/ver20/media/wsdl}Configuration"
    subs = await fault_of(
        audio,
        "<tr2:SetVideoEncoderConfiguration>"
        f"{etree.tostring(el).decode()}</tr2:SetVideoEncoderConfiguration>",
    )
    assert subs == ["ter:InvalidArgVal", "ter:ConfigModify"]


async def test_it_reports_encoder_instances(dual):
    body = await dual.call(
        M2,
        f"<tr2:GetVideoEncoderInstances><tr2:ConfigurationToken>{VSC}"
        "</tr2:ConfigurationToken></tr2:GetVideoEncoderInstances>",
    )
    assert xp(body, "string(tr2:Info/tr2:Total)") == "4"


@pytest.mark.parametrize(
    ("protocol", "prefix"),
    [
        ("RtspUnicast", "rtsp://127.0.0.1:{rtsp}/Profile_1_main"),
        ("RTSP", "rtsp://127.0.0.1:{rtsp}/Profile_1_main"),
        ("RtspMulticast", "rtsp://127.0.0.1:{rtsp}/Profile_1_main?multicast"),
        ("RtspOverHttp", "http://127.0.0.1:{http}/rtsp-over-http/Profile_1_main"),
    ],
)
async def test_it_returns_stream_uris(protocol, prefix, dual, cams):
    body = await dual.call(
        M2,
        f"<tr2:GetStreamUri><tr2:Protocol>{protocol}</tr2:Protocol>"
        "<tr2:ProfileToken>Profile_1_main</tr2:ProfileToken></tr2:GetStreamUri>",
    )
    camera = cams["dual-sensor"]
    assert xp(body, "string(tr2:Uri)") == prefix.format(rtsp=camera.rtsp_port, http=camera.port)


async def test_it_returns_a_snapshot_uri_that_serves_a_jpeg(dual, cams):
    body = await dual.call(
        M2,
        "<tr2:GetSnapshotUri><tr2:ProfileToken>Profile_2_sub"
        "</tr2:ProfileToken></tr2:GetSnapshotUri>",
    )
    uri = xp(body, "string(tr2:Uri)")
    assert uri == f"http://127.0.0.1:{cams['dual-sensor'].port}/snapshot/Profile_2_sub"
    async with dual.session.get(uri) as resp:
        assert resp.status == 401 and resp.headers["WWW-Authenticate"].startswith("Digest ")
    async with Client(cams["dual-sensor"], "user", "user", auth="digest") as viewer:
        resp = await viewer.session.get(uri)
        assert resp.content_type == "image/jpeg"
        assert (await resp.read())[:2] == b"\xff\xd8"


async def test_it_starts_and_stops_multicast(dual):
    start = "<tr2:StartMulticastStreaming><tr2:ProfileToken>Profile_1_main</tr2:ProfileToken>"
    await dual.call(M2, start + "</tr2:StartMulticastStreaming>")
    body = await dual.call(
        M2,
        "<tr2:GetVideoEncoderConfigurations><tr2:ConfigurationToken>"
        "VideoEncoder_1_main</tr2:ConfigurationToken>"
        "</tr2:GetVideoEncoderConfigurations>",
    )
    assert xp(body, "string(//tt:Multicast/tt:AutoStart)") == "true"
    await dual.call(
        M2,
        "<tr2:StopMulticastStreaming><tr2:ProfileToken>Profile_1_main"
        "</tr2:ProfileToken></tr2:StopMulticastStreaming>",
    )


async def test_it_accepts_a_synchronization_point(dual):
    body = await dual.call(
        M2,
        "<tr2:SetSynchronizationPoint><tr2:ProfileToken>Profile_1_main"
        "</tr2:ProfileToken></tr2:SetSynchronizationPoint>",
    )
    assert body.tag.endswith("SetSynchronizationPointResponse")


async def test_it_lists_and_switches_video_source_modes(dual, cams):
    body = await dual.call(
        M2,
        "<tr2:GetVideoSourceModes><tr2:VideoSourceToken>VideoSource_2"
        "</tr2:VideoSourceToken></tr2:GetVideoSourceModes>",
    )
    assert xp(body, "tr2:VideoSourceModes/@Enabled") == ["true", "false"]
    cams["dual-sensor"].video_sources[1].modes[1].reboot = False
    body = await dual.call(
        M2,
        "<tr2:SetVideoSourceMode><tr2:VideoSourceToken>VideoSource_2"
        "</tr2:VideoSourceToken><tr2:VideoSourceModeToken>VideoSource_2_mode2"
        "</tr2:VideoSourceModeToken></tr2:SetVideoSourceMode>",
    )
    assert xp(body, "string(tr2:Reboot)") == "false"
    assert cams["dual-sensor"].video_sources[1].width == 1280
    subs = await fault_of(
        dual,
        "<tr2:GetVideoSourceModes><tr2:VideoSourceToken>x"
        "</tr2:VideoSourceToken></tr2:GetVideoSourceModes>",
    )
    assert subs == ["ter:InvalidArgVal", "ter:NoVideoSource"]


OSD = (
    "<tr2:OSD token='ignored'><tt:VideoSourceConfigurationToken>{vsc}"
    "</tt:VideoSourceConfigurationToken>"
    "<tt:Type>Text</tt:Type><tt:Position><tt:Type>Custom</tt:Type><tt:Pos x='-0.5' y='0.5'/>"
    "</tt:Position><tt:TextString><tt:Type>Plain</tt:Type><tt:PlainText>{text}</tt:PlainText>"
    "</tt:TextString></tr2:OSD>"
)


async def test_it_creates_reads_modifies_and_deletes_an_osd(dual):
    opts = await dual.call(
        M2,
        f"<tr2:GetOSDOptions><tr2:ConfigurationToken>{VSC}"
        "</tr2:ConfigurationToken></tr2:GetOSDOptions>",
    )
    assert "Custom" in xp(opts, "//tt:PositionOption/text()")
    body = await dual.call(
        M2, f"<tr2:CreateOSD>{OSD.format(vsc=VSC, text='Gate 1')}</tr2:CreateOSD>"
    )
    token = xp(body, "string(tr2:OSDToken)")
    got = await dual.call(M2, f"<tr2:GetOSDs><tr2:OSDToken>{token}</tr2:OSDToken></tr2:GetOSDs>")
    assert xp(got, "string(//tt:PlainText)") == "Gate 1"
    assert xp(got, "//tt:Pos/@x") == ["-0.5"]
    changed = OSD.format(vsc=VSC, text="Gate 2").replace("'ignored'", f"'{token}'")
    await dual.call(M2, f"<tr2:SetOSD>{changed}</tr2:SetOSD>")
    got = await dual.call(
        M2, f"<tr2:GetOSDs><tr2:ConfigurationToken>{VSC}</tr2:ConfigurationToken></tr2:GetOSDs>"
    )
    assert xp(got, "//tt:PlainText/text()") == ["Gate 2"]
    await dual.call(M2, f"<tr2:DeleteOSD><tr2:OSDToken>{token}</tr2:OSDToken></tr2:DeleteOSD>")
    assert xp(await dual.call(M2, "<tr2:GetOSDs/>"), "tr2:OSDs") == []
    subs = await fault_of(
        dual, f"<tr2:DeleteOSD><tr2:OSDToken>{token}</tr2:OSDToken></tr2:DeleteOSD>"
    )
    assert subs == ["ter:InvalidArgVal", "ter:NoConfig"]


MASK = (
    "<tr2:Mask><tr2:ConfigurationToken>{vsc}</tr2:ConfigurationToken><tr2:Polygon>{points}"
    "</tr2:Polygon><tr2:Type>{kind}</tr2:Type><tr2:Enabled>true</tr2:Enabled></tr2:Mask>"
)
SQUARE = "".join(
    f"<tt:Point x='{x}' y='{y}'/>" for x, y in ((0, 0), (0.5, 0), (0.5, 0.5), (0, 0.5))
)


async def test_it_creates_reads_modifies_and_deletes_a_privacy_mask(dual):
    opts = await dual.call(
        M2,
        f"<tr2:GetMaskOptions><tr2:ConfigurationToken>{VSC}"
        "</tr2:ConfigurationToken></tr2:GetMaskOptions>",
    )
    assert xp(opts, "string(//tr2:MaxMasks)") == "4"
    body = await dual.call(
        M2,
        "<tr2:CreateMask>"
        + MASK.format(vsc=VSC, points=SQUARE, kind="Color")
        + "</tr2:CreateMask>",
    )
    token = xp(body, "string(tr2:Token)")
    got = await dual.call(M2, f"<tr2:GetMasks><tr2:Token>{token}</tr2:Token></tr2:GetMasks>")
    assert xp(got, "count(//tt:Point)") == 4
    blurred = MASK.format(vsc=VSC, points=SQUARE, kind="Blurred").replace(
        "<tr2:Mask>", f"<tr2:Mask token='{token}'>"
    )
    await dual.call(M2, f"<tr2:SetMask>{blurred}</tr2:SetMask>")
    got = await dual.call(
        M2, f"<tr2:GetMasks><tr2:ConfigurationToken>{VSC}</tr2:ConfigurationToken></tr2:GetMasks>"
    )
    assert xp(got, "//tr2:Type/text()") == ["Blurred"]
    await dual.call(M2, f"<tr2:DeleteMask><tr2:Token>{token}</tr2:Token></tr2:DeleteMask>")
    assert xp(await dual.call(M2, "<tr2:GetMasks/>"), "tr2:Masks") == []
    line = "<tt:Point x='0' y='0'/><tt:Point x='1' y='1'/>"
    subs = await fault_of(
        dual,
        "<tr2:CreateMask>" + MASK.format(vsc=VSC, points=line, kind="Color") + "</tr2:CreateMask>",
    )
    assert subs == ["ter:InvalidArgVal", "ter:InvalidPolygon"]


async def test_it_announces_profile_and_configuration_changes(dual, cams):
    events = cams["dual-sensor"].runtime.events
    sub = events.subscribe(["tns1:Media"], 60)
    body = await dual.call(M2, "<tr2:CreateProfile><tr2:Name>x</tr2:Name></tr2:CreateProfile>")
    token = xp(body, "string(tr2:Token)")
    assert [(m.topic, m.source) for m in sub.queue] == [
        ("tns1:Media/ProfileChanged", [("Token", token)])
    ]


async def test_osd_options_offer_colours_and_an_osd_keeps_them(dual):
    opts = await dual.call(
        M2,
        f"<tr2:GetOSDOptions><tr2:ConfigurationToken>{VSC}"
        "</tr2:ConfigurationToken></tr2:GetOSDOptions>",
    )
    assert xp(opts, "count(//tt:TextOption/tt:FontColor/tt:Color/tt:ColorList)") == 4
    assert xp(opts, "string(//tt:TextOption/tt:BackgroundColor/tt:Transparent/tt:Max)") == "1"
    osd = (
        f"<tr2:OSD token='x'><tt:VideoSourceConfigurationToken>{VSC}"
        "</tt:VideoSourceConfigurationToken><tt:Type>Text</tt:Type>"
        "<tt:Position><tt:Type>UpperLeft</tt:Type></tt:Position><tt:TextString>"
        "<tt:Type>Plain</tt:Type><tt:FontColor><tt:Color X='81' Y='90' Z='240'/></tt:FontColor>"
        "<tt:BackgroundColor Transparent='1'><tt:Color X='16' Y='128' Z='128'/>"
        "</tt:BackgroundColor><tt:PlainText>Hi</tt:PlainText></tt:TextString></tr2:OSD>"
    )
    body = await dual.call(M2, f"<tr2:CreateOSD>{osd}</tr2:CreateOSD>")
    token = xp(body, "string(tr2:OSDToken)")
    got = await dual.call(M2, f"<tr2:GetOSDs><tr2:OSDToken>{token}</tr2:OSDToken></tr2:GetOSDs>")
    assert xp(got, "string(//tt:FontColor/tt:Color/@Z)") == "240.0"
    assert xp(got, "string(//tt:BackgroundColor/@Transparent)") == "1"
    pink = osd.replace("X='81' Y='90' Z='240'", "X='1' Y='2' Z='3'")
    subs = await fault_of(dual, f"<tr2:CreateOSD>{pink}</tr2:CreateOSD>")
    assert subs == ["ter:InvalidArgVal", "ter:ConfigModify"]
