"""Media2 (tr2, clause 6): profiles, configurations and options, URIs, modes, OSD, masks."""

from __future__ import annotations

from simulator.auth import ACTUATE, PRE_AUTH, READ_MEDIA, READ_SYSTEM, WRITE_SYSTEM
from simulator.camera import KINDS, Camera, Configuration, Profile
from simulator.services import Call, service
from simulator.services import media_common as mc
from simulator.soap import (
    SENDER,
    E,
    Fault,
    action_failed,
    child,
    children,
    invalid_arg,
    not_supported,
    text,
)

svc = service(
    "media2",
    "tr2",
    "/onvif/media2_service",
    version=(21, 6),
    available=lambda c: not c.quirks.media1_only,
)
PROTOCOLS = ("RtspUnicast", "RtspMulticast", "RTSP", "RtspOverHttp")
DEPENDS = {
    "VideoEncoder": ("VideoSource",),
    "AudioEncoder": ("AudioSource",),
    "PTZ": ("VideoSource",),
    "AudioDecoder": ("AudioOutput",),
    "Metadata": ("VideoSource",),
    "Analytics": ("VideoSource", "AudioSource"),
}


def supported_kinds(c: Camera) -> list[str]:
    present = {cfg.kind for cfg in c.configurations}
    return [k for k in KINDS if k in present]


def capabilities(c: Camera):
    return E(
        "tr2:Capabilities",
        E(
            "tr2:ProfileCapabilities",
            MaximumNumberOfProfiles=c.max_profiles,
            ConfigurationsSupported=" ".join(supported_kinds(c)),
        ),
        E(
            "tr2:StreamingCapabilities",
            RTSPStreaming=True,
            RTPMulticast=True,
            RTP_RTSP_TCP=True,
            NonAggregateControl=False,
            AutoStartMulticast=True,
        ),
        SnapshotUri=True,
        Rotation=False,
        VideoSourceMode=True,
        OSD=True,
        TemporaryOSDText=False,
        Mask=True,
        SourceMask=False,
    )


svc.capabilities = capabilities


def require_kind(c: Camera, kind: str) -> None:
    """Audio/analytics operations on a camera without that hardware: ActionNotSupported."""
    missing = {
        "AudioSource": ("AudioNotSupported", not c.audio_sources),
        "AudioEncoder": ("AudioNotSupported", not c.audio_sources),
        "AudioOutput": ("AudioOutputNotSupported", not c.audio_outputs),
        "AudioDecoder": ("AudioDecodingNotSupported", not c.audio_outputs),
        "Analytics": ("VideoAnalyticsNotSupported", not c.has_analytics),
        "PTZ": ("PTZNotSupported", not c.has_ptz),
    }.get(kind)
    if missing and missing[1]:
        raise not_supported(missing[0], f"this camera has no {kind} support")


def get_profile(c: Camera, token: str | None) -> Profile:
    p = c.profile(token)
    if p is None:
        raise invalid_arg("NoProfile", f"no profile {token!r}")
    return p


def check_dependencies(c: Camera, configs: dict[str, str]) -> None:
    for kind in configs:
        needs = DEPENDS.get(kind, ())
        if needs and not any(n in configs for n in needs):
            raise action_failed("ConfigurationConflict", f"{kind} needs a {' or '.join(needs)}")


def profile_xml(c: Camera, p: Profile, types: set[str]):
    configs = None
    if types:
        want = set(KINDS) if "All" in types else types
        order = (
            "VideoSource",
            "AudioSource",
            "VideoEncoder",
            "AudioEncoder",
            "Analytics",
            "PTZ",
            "Metadata",
            "AudioOutput",
            "AudioDecoder",
        )
        configs = E(
            "tr2:Configurations",
            [
                mc.config_xml(c, cfg, f"tr2:{k}")
                for k in order
                if k in want and (cfg := c.profile_config(p, k)) is not None
            ],
        )
    return E("tr2:Profiles", E("tr2:Name", p.name), configs, token=p.token, fixed=p.fixed)


def profile_changed(call: Call, p: Profile) -> None:
    call.rt.events.publish("tns1:Media/ProfileChanged", [("Token", p.token)], [])


def config_changed(call: Call, cfg: Configuration) -> None:
    call.rt.events.publish(
        "tns1:Media/ConfigurationChanged", [("Token", cfg.token), ("Type", cfg.kind)], []
    )


def config_refs(call: Call) -> dict[str, str]:
    refs = {}
    for ref in children(call.body, "Configuration"):
        kind, token = text(ref, "Type"), text(ref, "Token")
        if kind == "All":
            continue
        if kind not in KINDS:
            raise invalid_arg("NoConfig", f"unknown configuration type {kind!r}")
        require_kind(call.camera, kind)
        if call.camera.config(kind, token) is None:
            raise invalid_arg("NoConfig", f"no {kind} configuration {token!r}")
        refs[kind] = token
    return refs


@svc.op("GetServiceCapabilities", PRE_AUTH)
def get_service_capabilities(call: Call):
    return E("tr2:GetServiceCapabilitiesResponse", capabilities(call.camera))


@svc.op("CreateProfile", ACTUATE)
def create_profile(call: Call):
    c = call.camera
    name = text(call.body, "Name") or ""
    if not name or len(name) > 64:
        raise invalid_arg("InvalidArgs", "Name must be 1..64 characters")
    if len(c.profiles) >= c.max_profiles:
        raise action_failed("MaxNVTProfiles", "maximum number of profiles reached")
    refs = config_refs(call)
    check_dependencies(c, refs)
    p = Profile(c.next_token("Profile"), name, False, refs)
    c.profiles.append(p)
    profile_changed(call, p)
    return E("tr2:CreateProfileResponse", E("tr2:Token", p.token))


@svc.op("GetProfiles", READ_MEDIA)
def get_profiles(call: Call):
    c = call.camera
    token = text(call.body, "Token")
    profiles = [get_profile(c, token)] if token is not None else c.profiles
    types = {t.text for t in children(call.body, "Type")}
    return E("tr2:GetProfilesResponse", [profile_xml(c, p, types) for p in profiles])


@svc.op("AddConfiguration", ACTUATE)
def add_configuration(call: Call):
    c = call.camera
    p = get_profile(c, text(call.body, "ProfileToken"))
    refs = config_refs(call)
    check_dependencies(c, p.configs | refs)
    if (name := text(call.body, "Name")) is not None:
        p.name = name
    p.configs.update(refs)
    profile_changed(call, p)
    return E("tr2:AddConfigurationResponse")


@svc.op("RemoveConfiguration", ACTUATE)
def remove_configuration(call: Call):
    c = call.camera
    p = get_profile(c, text(call.body, "ProfileToken"))
    kinds = {text(r, "Type") for r in children(call.body, "Configuration")}
    remaining = {} if "All" in kinds else {k: v for k, v in p.configs.items() if k not in kinds}
    check_dependencies(c, remaining)
    p.configs = remaining
    profile_changed(call, p)
    return E("tr2:RemoveConfigurationResponse")


@svc.op("DeleteProfile", ACTUATE)
def delete_profile(call: Call):
    c = call.camera
    p = get_profile(c, text(call.body, "Token"))
    if p.fixed:
        raise Fault(SENDER, ["ter:Action", "ter:DeletionOfFixedProfile"], "fixed profile")
    c.profiles.remove(p)
    profile_changed(call, p)
    return E("tr2:DeleteProfileResponse")


def select_configs(call: Call, kind: str) -> list[Configuration]:
    c = call.camera
    require_kind(c, kind)
    token, profile_token = text(call.body, "ConfigurationToken"), text(call.body, "ProfileToken")
    if profile_token is not None:
        get_profile(c, profile_token)
    if token is not None:
        cfg = c.config(kind, token)
        if cfg is None:
            raise invalid_arg("NoConfig", f"no {kind} configuration {token!r}")
        return [cfg]
    return c.configs(kind)


def _register_kind(kind: str, wsdl_name: str) -> None:
    @svc.op(f"Get{wsdl_name}Configurations", READ_MEDIA)
    def get_configs(call: Call):
        found = select_configs(call, kind)
        return E(
            f"tr2:Get{wsdl_name}ConfigurationsResponse",
            [mc.config_xml(call.camera, cfg, "tr2:Configurations") for cfg in found],
        )

    if kind == "Analytics":
        return

    @svc.op(f"Set{wsdl_name}Configuration", ACTUATE)
    def set_config(call: Call):
        c = call.camera
        require_kind(c, kind)
        el = child(call.body, "Configuration")
        cfg = c.config(kind, el.get("token") if el is not None else None)
        if cfg is None:
            raise invalid_arg("NoConfig", f"no such {kind} configuration")
        mc.apply_config(c, cfg, el)
        config_changed(call, cfg)
        return E(f"tr2:Set{wsdl_name}ConfigurationResponse")

    @svc.op(f"Get{wsdl_name}ConfigurationOptions", READ_MEDIA)
    def get_options(call: Call):
        select_configs(call, kind)
        return E(f"tr2:Get{wsdl_name}ConfigurationOptionsResponse", options(call.camera, kind))


for _kind, _name in (
    ("VideoSource", "VideoSource"),
    ("VideoEncoder", "VideoEncoder"),
    ("AudioSource", "AudioSource"),
    ("AudioEncoder", "AudioEncoder"),
    ("Analytics", "Analytics"),
    ("Metadata", "Metadata"),
    ("AudioOutput", "AudioOutput"),
    ("AudioDecoder", "AudioDecoder"),
):
    _register_kind(_kind, _name)


def options(c: Camera, kind: str, tag: str = "tr2:Options"):
    rng = lambda tag, lo, hi: E(tag, E("tt:Min", lo), E("tt:Max", hi))  # noqa: E731
    if kind == "VideoSource":
        w = max(v.width for v in c.video_sources)
        h = max(v.height for v in c.video_sources)
        return E(
            tag,
            E(
                "tt:BoundsRange",
                rng("tt:XRange", 0, w),
                rng("tt:YRange", 0, h),
                rng("tt:WidthRange", 1, w),
                rng("tt:HeightRange", 1, h),
            ),
            [E("tt:VideoSourceTokensAvailable", v.token) for v in c.video_sources],
            MaximumNumberOfProfiles=c.max_profiles,
        )
    if kind == "VideoEncoder":
        return [
            E(
                tag,
                E("tt:Encoding", enc),
                rng("tt:QualityRange", 0.0, 10.0),
                [
                    E("tt:ResolutionsAvailable", E("tt:Width", w), E("tt:Height", h))
                    for w, h in mc.RESOLUTIONS
                ],
                rng("tt:BitrateRange", 64, 16384),
                GovLengthRange="1 300" if enc != "JPEG" else None,
                FrameRatesSupported="30 25 15 10 5 1",
                ProfilesSupported={"H264": "Baseline Main High", "H265": "Main"}.get(enc),
                ConstantBitRateSupported=True,
            )
            for enc in mc.V2_ENCODINGS
        ]
    if kind == "AudioSource":
        return E(tag, [E("tt:InputTokensAvailable", t) for t in c.audio_sources])
    if kind in ("AudioEncoder", "AudioDecoder"):
        return [
            E(
                tag,
                E("tt:Encoding", enc),
                E("tt:BitrateList", E("tt:Items", 32), E("tt:Items", 64)),
                E("tt:SampleRateList", E("tt:Items", 8), E("tt:Items", 16)),
            )
            for enc in mc.AUDIO_ENCODINGS
        ]
    if kind == "Metadata":
        return E(
            tag,
            E(
                "tt:PTZStatusFilterOptions",
                E("tt:PanTiltStatusSupported", c.has_ptz),
                E("tt:ZoomStatusSupported", c.has_ptz),
                E("tt:PanTiltPositionSupported", c.has_ptz),
                E("tt:ZoomPositionSupported", c.has_ptz),
            ),
            GeoLocation=False,
        )
    if kind == "AudioOutput":
        return E(
            tag,
            [E("tt:OutputTokensAvailable", t) for t in c.audio_outputs],
            [
                E("tt:SendPrimacyOptions", f"www.onvif.org/ver20/HalfDuplex/{m}")
                for m in ("Server", "Client", "Auto")
            ],
            rng("tt:OutputLevelRange", 0, 100),
        )
    raise ValueError(kind)


@svc.op("GetVideoEncoderInstances", READ_MEDIA)
def get_video_encoder_instances(call: Call):
    token = text(call.body, "ConfigurationToken")
    if call.camera.config("VideoSource", token) is None:
        raise invalid_arg("NoConfig", f"no video source configuration {token!r}")
    codecs = [E("tr2:Codec", E("tr2:Encoding", e), E("tr2:Number", 4)) for e in mc.V2_ENCODINGS]
    return E("tr2:GetVideoEncoderInstancesResponse", E("tr2:Info", codecs, E("tr2:Total", 4)))


def stream_uri(call: Call, p: Profile, protocol: str) -> str:
    c = call.camera
    if c.profile_config(p, "VideoSource") is None or c.profile_config(p, "VideoEncoder") is None:
        raise action_failed("IncompleteConfiguration", "profile has no video source/encoder")
    if protocol == "RtspMulticast":
        m = c.profile_config(p, "VideoEncoder").multicast
        if not m.port or m.address in ("", "0.0.0.0"):
            raise invalid_arg("InvalidMulticastSettings", "no multicast address configured")
    host = call.rt.advertised.rsplit(":", 1)[0]
    if protocol == "RtspOverHttp":
        return f"http://{call.rt.advertised}/rtsp-over-http/{p.token}"
    suffix = "?multicast" if protocol == "RtspMulticast" else ""
    return f"rtsp://{host}:{c.rtsp_port}/{p.token}{suffix}"


@svc.op("GetStreamUri", READ_MEDIA)
def get_stream_uri(call: Call):
    protocol = text(call.body, "Protocol")
    p = get_profile(call.camera, text(call.body, "ProfileToken"))
    if protocol not in PROTOCOLS:
        raise invalid_arg("InvalidStreamSetup", f"unsupported protocol {protocol!r}")
    return E("tr2:GetStreamUriResponse", E("tr2:Uri", stream_uri(call, p, protocol)))


@svc.op("GetSnapshotUri", READ_MEDIA)
def get_snapshot_uri(call: Call):
    p = get_profile(call.camera, text(call.body, "ProfileToken"))
    if call.camera.profile_config(p, "VideoSource") is None:
        raise action_failed("IncompleteConfiguration", "profile has no video source")
    return E("tr2:GetSnapshotUriResponse", E("tr2:Uri", call.rt.url(f"/snapshot/{p.token}")))


def set_multicast(call: Call, on: bool) -> None:
    c = call.camera
    p = get_profile(c, text(call.body, "ProfileToken"))
    if on and c.profile_config(p, "VideoEncoder") is None:
        raise action_failed("IncompleteConfiguration", "profile has no video encoder")
    for kind in ("VideoEncoder", "AudioEncoder", "Metadata"):
        if (cfg := c.profile_config(p, kind)) is not None:
            cfg.multicast.auto_start = on
    (call.rt.multicast.add if on else call.rt.multicast.discard)(p.token)


@svc.op("StartMulticastStreaming", ACTUATE)
def start_multicast_streaming(call: Call):
    set_multicast(call, True)
    return E("tr2:StartMulticastStreamingResponse")


@svc.op("StopMulticastStreaming", ACTUATE)
def stop_multicast_streaming(call: Call):
    set_multicast(call, False)
    return E("tr2:StopMulticastStreamingResponse")


@svc.op("SetSynchronizationPoint", ACTUATE)
def set_synchronization_point(call: Call):
    profile = get_profile(call.camera, text(call.body, "ProfileToken"))
    if call.rt.server is not None:
        call.rt.server.media.synchronize(profile.token)  # key frames on its streams at once
    events = call.rt.events
    for sub in list(events.subscriptions.values()):
        events.synchronize(sub)
    return E("tr2:SetSynchronizationPointResponse")


def video_source_or_fault(c: Camera, token: str | None):
    vs = c.video_source(token)
    if vs is None:
        raise invalid_arg("NoVideoSource", f"no video source {token!r}")
    return vs


def modes_xml(c: Camera, token: str | None, tag: str, extension: bool = False):
    vs = video_source_or_fault(c, token)
    prefix = tag.split(":")[0]
    return [
        E(
            tag,
            E(f"{prefix}:MaxFramerate", m.fps),
            E(f"{prefix}:MaxResolution", E("tt:Width", m.width), E("tt:Height", m.height)),
            E(f"{prefix}:Encodings", m.encodings),
            E(f"{prefix}:Reboot", m.reboot),
            E(f"{prefix}:Description", m.description) if m.description else None,
            token=m.token,
            Enabled=m.token == vs.mode,
        )
        for m in vs.modes
    ]


@svc.op("GetVideoSourceModes", READ_SYSTEM)
def get_video_source_modes(call: Call):
    modes = modes_xml(call.camera, text(call.body, "VideoSourceToken"), "tr2:VideoSourceModes")
    return E("tr2:GetVideoSourceModesResponse", modes)


def switch_mode(call: Call) -> bool:
    vs = video_source_or_fault(call.camera, text(call.body, "VideoSourceToken"))
    token = text(call.body, "VideoSourceModeToken")
    mode = next((m for m in vs.modes if m.token == token), None)
    if mode is None:
        raise invalid_arg("NoVideoSourceMode", f"no video source mode {token!r}")
    vs.mode, vs.width, vs.height, vs.framerate = mode.token, mode.width, mode.height, mode.fps
    if mode.reboot and call.rt.server is not None:
        call.rt.spawn(call.rt.server.reboot(call.camera.reboot_seconds))
    return mode.reboot


@svc.op("SetVideoSourceMode", WRITE_SYSTEM)
def set_video_source_mode(call: Call):
    return E("tr2:SetVideoSourceModeResponse", E("tr2:Reboot", switch_mode(call)))
