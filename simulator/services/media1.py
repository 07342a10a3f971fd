"""Media ver10 (trt): the operations Media1-only clients use, on the same state as Media2."""

from __future__ import annotations

from simulator.auth import ACTUATE, PRE_AUTH, READ_MEDIA, READ_SYSTEM, WRITE_SYSTEM
from simulator.camera import Camera, Profile
from simulator.services import Call, service
from simulator.services import media2 as m2
from simulator.services import media2_osd as osd
from simulator.services import media_common as mc
from simulator.soap import RECEIVER, E, Fault, child, invalid_arg, text

svc = service("media", "trt", "/onvif/media_service", version=(21, 6))
# Media1 entity name -> Media2 kind; the v1 element names in tt:Profile follow the same order.
V1 = {
    "VideoSource": "VideoSource",
    "AudioSource": "AudioSource",
    "VideoEncoder": "VideoEncoder",
    "AudioEncoder": "AudioEncoder",
    "VideoAnalytics": "Analytics",
    "PTZ": "PTZ",
    "Metadata": "Metadata",
    "AudioOutput": "AudioOutput",
    "AudioDecoder": "AudioDecoder",
}


def capabilities(c: Camera):
    return E(
        "trt:Capabilities",
        E("trt:ProfileCapabilities", MaximumNumberOfProfiles=c.max_profiles),
        E(
            "trt:StreamingCapabilities",
            RTPMulticast=True,
            RTP_TCP=True,
            RTP_RTSP_TCP=True,
            NonAggregateControl=False,
            NoRTSPStreaming=False,
        ),
        SnapshotUri=True,
        Rotation=False,
        VideoSourceMode=True,
        OSD=True,
    )


svc.capabilities = capabilities


def profile_xml(c: Camera, p: Profile, tag: str):
    def cfg(v1: str):
        found = c.profile_config(p, V1[v1])
        return None if found is None else mc.config_xml(c, found, f"tt:{v1}Configuration", v1=True)

    ext = None
    if "AudioOutput" in p.configs or "AudioDecoder" in p.configs:
        ext = E("tt:Extension", cfg("AudioOutput"), cfg("AudioDecoder"))
    return E(
        tag, E("tt:Name", p.name), [cfg(k) for k in list(V1)[:7]], ext, token=p.token, fixed=p.fixed
    )


@svc.op("GetServiceCapabilities", PRE_AUTH)
def get_service_capabilities(call: Call):
    return E("trt:GetServiceCapabilitiesResponse", capabilities(call.camera))


@svc.op("GetVideoSources", READ_MEDIA)
def get_video_sources(call: Call):
    if call.camera.quirks.video_sources_fault:
        raise Fault(RECEIVER, [], "internal error")  # no subcode, as some cameras answer
    return E(
        "trt:GetVideoSourcesResponse",
        [
            E(
                "trt:VideoSources",
                E("tt:Framerate", v.framerate),
                E("tt:Resolution", E("tt:Width", v.width), E("tt:Height", v.height)),
                token=v.token,
            )
            for v in call.camera.video_sources
        ],
    )


@svc.op("GetAudioSources", READ_MEDIA)
def get_audio_sources(call: Call):
    m2.require_kind(call.camera, "AudioSource")
    return E(
        "trt:GetAudioSourcesResponse",
        [E("trt:AudioSources", E("tt:Channels", 1), token=t) for t in call.camera.audio_sources],
    )


@svc.op("GetAudioOutputs", READ_MEDIA)
def get_audio_outputs(call: Call):
    m2.require_kind(call.camera, "AudioOutput")
    return E(
        "trt:GetAudioOutputsResponse",
        [E("trt:AudioOutputs", token=t) for t in call.camera.audio_outputs],
    )


@svc.op("GetProfiles", READ_MEDIA)
def get_profiles(call: Call):
    c = call.camera
    return E("trt:GetProfilesResponse", [profile_xml(c, p, "trt:Profiles") for p in c.profiles])


@svc.op("GetProfile", READ_MEDIA)
def get_profile(call: Call):
    p = m2.get_profile(call.camera, text(call.body, "ProfileToken"))
    return E("trt:GetProfileResponse", profile_xml(call.camera, p, "trt:Profile"))


@svc.op("CreateProfile", ACTUATE)
def create_profile(call: Call):
    c = call.camera
    name, token = text(call.body, "Name") or "", text(call.body, "Token")
    if not name or len(name) > 64:
        raise invalid_arg("InvalidArgs", "Name must be 1..64 characters")
    if token is not None and c.profile(token) is not None:
        raise invalid_arg("ProfileExists", f"profile {token!r} exists")
    if len(c.profiles) >= c.max_profiles:
        raise m2.action_failed("MaxNVTProfiles", "maximum number of profiles reached")
    p = Profile(token or c.next_token("Profile"), name, False, {})
    c.profiles.append(p)
    m2.profile_changed(call, p)
    return E("trt:CreateProfileResponse", profile_xml(c, p, "trt:Profile"))


@svc.op("DeleteProfile", ACTUATE)
def delete_profile(call: Call):
    call.body = E("trt:DeleteProfile", E("trt:Token", text(call.body, "ProfileToken")))
    m2.delete_profile(call)
    return E("trt:DeleteProfileResponse")


# Media1 configuration topics (tns1:Configuration/...): the ones of a source carry /MediaService.
V1_TOPICS = {
    v1: f"Configuration/{v1}Configuration"
    + ("/MediaService" if v1 in ("VideoSource", "AudioSource", "AudioOutput") else "")
    for v1 in V1
    if v1 != "AudioDecoder"
}


def v1_config_changed(call: Call, v1: str, cfg) -> None:
    if v1 in V1_TOPICS:
        element = mc.config_xml(call.camera, cfg, f"tt:{v1}Configuration", v1=True)
        call.rt.events.publish(
            f"tns1:{V1_TOPICS[v1]}",
            [("Token", cfg.token)],
            [],
            elements=[("Configuration", element)],
        )


def _register(v1: str) -> None:
    kind = V1[v1]

    @svc.op(f"Add{v1}Configuration", ACTUATE)
    def add(call: Call):
        c = call.camera
        m2.require_kind(c, kind)
        p = m2.get_profile(c, text(call.body, "ProfileToken"))
        token = text(call.body, "ConfigurationToken")
        if c.config(kind, token) is None:
            raise invalid_arg("NoConfig", f"no {kind} configuration {token!r}")
        m2.check_dependencies(c, p.configs | {kind: token})
        p.configs[kind] = token
        m2.profile_changed(call, p)
        return E(f"trt:Add{v1}ConfigurationResponse")

    @svc.op(f"Remove{v1}Configuration", ACTUATE)
    def remove(call: Call):
        c = call.camera
        m2.require_kind(c, kind)
        p = m2.get_profile(c, text(call.body, "ProfileToken"))
        remaining = {k: v for k, v in p.configs.items() if k != kind}
        m2.check_dependencies(c, remaining)
        p.configs = remaining
        m2.profile_changed(call, p)
        return E(f"trt:Remove{v1}ConfigurationResponse")

    if kind == "PTZ":
        return

    @svc.op(f"Get{v1}Configurations", READ_MEDIA)
    def get_all(call: Call):
        m2.require_kind(call.camera, kind)
        return E(
            f"trt:Get{v1}ConfigurationsResponse",
            [
                mc.config_xml(call.camera, cfg, "trt:Configurations", v1=True)
                for cfg in call.camera.configs(kind)
            ],
        )

    @svc.op(f"Get{v1}Configuration", READ_MEDIA)
    def get_one(call: Call):
        m2.require_kind(call.camera, kind)
        token = text(call.body, "ConfigurationToken")
        cfg = call.camera.config(kind, token)
        if cfg is None:
            raise invalid_arg("NoConfig", f"no {kind} configuration {token!r}")
        return E(
            f"trt:Get{v1}ConfigurationResponse",
            mc.config_xml(call.camera, cfg, "trt:Configuration", v1=True),
        )

    @svc.op(f"GetCompatible{v1}Configurations", READ_MEDIA)
    def get_compatible(call: Call):
        m2.require_kind(call.camera, kind)
        m2.get_profile(call.camera, text(call.body, "ProfileToken"))
        return E(
            f"trt:GetCompatible{v1}ConfigurationsResponse",
            [
                mc.config_xml(call.camera, cfg, "trt:Configurations", v1=True)
                for cfg in call.camera.configs(kind)
            ],
        )

    if kind == "Analytics":
        return

    @svc.op(f"Set{v1}Configuration", ACTUATE)
    def set_one(call: Call):
        c = call.camera
        m2.require_kind(c, kind)
        el = child(call.body, "Configuration")
        cfg = c.config(kind, el.get("token") if el is not None else None)
        if cfg is None:
            raise invalid_arg("NoConfig", f"no such {kind} configuration")
        mc.apply_config(c, cfg, el)
        m2.config_changed(call, cfg)
        v1_config_changed(call, v1, cfg)
        return E(f"trt:Set{v1}ConfigurationResponse")


for _v1 in V1:
    _register(_v1)


def _rng(tag, lo, hi):
    return E(tag, E("tt:Min", lo), E("tt:Max", hi))


@svc.op("GetVideoSourceConfigurationOptions", READ_MEDIA)
def get_video_source_configuration_options(call: Call):
    m2.select_configs(call, "VideoSource")
    return E(
        "trt:GetVideoSourceConfigurationOptionsResponse",
        m2.options(call.camera, "VideoSource", "trt:Options"),
    )


@svc.op("GetVideoEncoderConfigurationOptions", READ_MEDIA)
def get_video_encoder_configuration_options(call: Call):
    m2.select_configs(call, "VideoEncoder")
    res = [
        E("tt:ResolutionsAvailable", E("tt:Width", w), E("tt:Height", h)) for w, h in mc.RESOLUTIONS
    ]
    opts = E(
        "trt:Options",
        _rng("tt:QualityRange", 0, 10),
        E("tt:JPEG", res, _rng("tt:FrameRateRange", 1, 30), _rng("tt:EncodingIntervalRange", 1, 1)),
        E(
            "tt:H264",
            [r.__copy__() for r in res],
            _rng("tt:GovLengthRange", 1, 300),
            _rng("tt:FrameRateRange", 1, 30),
            _rng("tt:EncodingIntervalRange", 1, 1),
            [E("tt:H264ProfilesSupported", p) for p in ("Baseline", "Main", "High")],
        ),
    )
    return E("trt:GetVideoEncoderConfigurationOptionsResponse", opts)


@svc.op("GetAudioSourceConfigurationOptions", READ_MEDIA)
def get_audio_source_configuration_options(call: Call):
    m2.select_configs(call, "AudioSource")
    return E(
        "trt:GetAudioSourceConfigurationOptionsResponse",
        m2.options(call.camera, "AudioSource", "trt:Options"),
    )


@svc.op("GetAudioEncoderConfigurationOptions", READ_MEDIA)
def get_audio_encoder_configuration_options(call: Call):
    m2.select_configs(call, "AudioEncoder")
    opts = [
        E(
            "tt:Options",
            E("tt:Encoding", enc),
            E("tt:BitrateList", E("tt:Items", 64)),
            E("tt:SampleRateList", E("tt:Items", 8)),
        )
        for enc in ("G711", "G726", "AAC")
    ]
    return E("trt:GetAudioEncoderConfigurationOptionsResponse", E("trt:Options", opts))


@svc.op("GetMetadataConfigurationOptions", READ_MEDIA)
def get_metadata_configuration_options(call: Call):
    m2.select_configs(call, "Metadata")
    return E(
        "trt:GetMetadataConfigurationOptionsResponse",
        m2.options(call.camera, "Metadata", "trt:Options"),
    )


@svc.op("GetAudioOutputConfigurationOptions", READ_MEDIA)
def get_audio_output_configuration_options(call: Call):
    m2.select_configs(call, "AudioOutput")
    return E(
        "trt:GetAudioOutputConfigurationOptionsResponse",
        m2.options(call.camera, "AudioOutput", "trt:Options"),
    )


@svc.op("GetAudioDecoderConfigurationOptions", READ_MEDIA)
def get_audio_decoder_configuration_options(call: Call):
    m2.select_configs(call, "AudioDecoder")
    g711 = E(
        "tt:G711DecOptions",
        E("tt:Bitrate", E("tt:Items", 64)),
        E("tt:SampleRateRange", E("tt:Items", 8)),
    )
    return E("trt:GetAudioDecoderConfigurationOptionsResponse", E("trt:Options", g711))


@svc.op("GetGuaranteedNumberOfVideoEncoderInstances", READ_MEDIA)
def get_guaranteed_number_of_video_encoder_instances(call: Call):
    token = text(call.body, "ConfigurationToken")
    if call.camera.config("VideoSource", token) is None:
        raise invalid_arg("NoConfig", f"no video source configuration {token!r}")
    return E(
        "trt:GetGuaranteedNumberOfVideoEncoderInstancesResponse",
        E("trt:TotalNumber", 4),
        E("trt:JPEG", 4),
        E("trt:H264", 4),
    )


def media_uri(tag: str, uri: str):
    return E(
        tag,
        E("tt:Uri", uri),
        E("tt:InvalidAfterConnect", False),
        E("tt:InvalidAfterReboot", False),
        E("tt:Timeout", "PT0S"),
    )


@svc.op("GetStreamUri", READ_MEDIA)
def get_stream_uri(call: Call):
    setup = child(call.body, "StreamSetup")
    stream, proto = text(setup, "Stream"), text(child(setup, "Transport"), "Protocol")
    p = m2.get_profile(call.camera, text(call.body, "ProfileToken"))
    combos = {
        ("RTP-Unicast", "UDP"): "RtspUnicast",
        ("RTP-Unicast", "RTSP"): "RTSP",
        ("RTP-Unicast", "HTTP"): "RtspOverHttp",
        ("RTP-Unicast", "TCP"): "RTSP",
        ("RTP-Multicast", "UDP"): "RtspMulticast",
    }
    if (stream, proto) not in combos:
        raise invalid_arg("InvalidStreamSetup", f"unsupported stream setup {stream}/{proto}")
    uri = m2.stream_uri(call, p, combos[stream, proto])
    return E("trt:GetStreamUriResponse", media_uri("trt:MediaUri", uri))


@svc.op("GetSnapshotUri", READ_MEDIA)
def get_snapshot_uri(call: Call):
    p = m2.get_profile(call.camera, text(call.body, "ProfileToken"))
    uri = call.rt.url(f"/snapshot/{p.token}")
    return E("trt:GetSnapshotUriResponse", media_uri("trt:MediaUri", uri))


@svc.op("StartMulticastStreaming", ACTUATE)
def start_multicast_streaming(call: Call):
    m2.set_multicast(call, True)
    return E("trt:StartMulticastStreamingResponse")


@svc.op("StopMulticastStreaming", ACTUATE)
def stop_multicast_streaming(call: Call):
    m2.set_multicast(call, False)
    return E("trt:StopMulticastStreamingResponse")


@svc.op("SetSynchronizationPoint", ACTUATE)
def set_synchronization_point(call: Call):
    m2.set_synchronization_point(call)
    return E("trt:SetSynchronizationPointResponse")


@svc.op("GetVideoSourceModes", READ_SYSTEM)
def get_video_source_modes(call: Call):
    modes = m2.modes_xml(call.camera, text(call.body, "VideoSourceToken"), "trt:VideoSourceModes")
    return E("trt:GetVideoSourceModesResponse", modes)


@svc.op("SetVideoSourceMode", WRITE_SYSTEM)
def set_video_source_mode(call: Call):
    return E("trt:SetVideoSourceModeResponse", E("trt:Reboot", m2.switch_mode(call)))


@svc.op("GetOSDs", READ_MEDIA)
def get_osds(call: Call):
    body = osd.get_osds(call)
    return E(
        "trt:GetOSDsResponse",
        [mc.osd_xml(osd.find_osd(call.camera, o.get("token")), "trt:OSDs") for o in body],
    )


@svc.op("GetOSD", READ_MEDIA)
def get_osd(call: Call):
    found = osd.find_osd(call.camera, text(call.body, "OSDToken"))
    return E("trt:GetOSDResponse", mc.osd_xml(found, "trt:OSD"))


@svc.op("GetOSDOptions", READ_MEDIA)
def get_osd_options(call: Call):
    return E("trt:GetOSDOptionsResponse", osd.osd_options_common(call, "trt:OSDOptions"))


@svc.op("SetOSD", ACTUATE)
def set_osd(call: Call):
    osd.set_osd_common(call)
    return E("trt:SetOSDResponse")


@svc.op("CreateOSD", ACTUATE)
def create_osd(call: Call):
    return E("trt:CreateOSDResponse", E("trt:OSDToken", osd.create_osd_common(call)))


@svc.op("DeleteOSD", ACTUATE)
def delete_osd(call: Call):
    osd.delete_osd(call)
    return E("trt:DeleteOSDResponse")


@svc.op("SetVideoAnalyticsConfiguration", ACTUATE)
def set_video_analytics_configuration(call: Call):
    from simulator.services import analytics as an

    c = call.camera
    m2.require_kind(c, "Analytics")
    el = child(call.body, "Configuration")
    cfg = c.config("Analytics", el.get("token") if el is not None else None)
    if cfg is None:
        raise invalid_arg("NoConfig", "no such analytics configuration")
    name = text(el, "Name")
    if not name or len(name) > 64:
        raise invalid_arg("ConfigModify", "Name must be 1..64 characters")
    rules = an.parse_items(child(el, "RuleEngineConfiguration"), "Rule")
    modules = an.parse_items(child(el, "AnalyticsEngineConfiguration"), "AnalyticsModule")
    for module in modules:
        an.check_module(module)
    for rule in rules:
        an.validate_rule(rule, modules)
    cfg.name, cfg.rules, cfg.modules = name, rules, modules
    call.rt.scene.changed()
    m2.config_changed(call, cfg)
    v1_config_changed(call, "VideoAnalytics", cfg)
    return E("trt:SetVideoAnalyticsConfigurationResponse")
