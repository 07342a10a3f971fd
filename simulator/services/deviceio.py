"""Device IO (tmd, clause 5): video/audio inputs and outputs, relay outputs and digital inputs
(simulator.io keeps their state and events); no serial ports."""

from __future__ import annotations

from simulator import io
from simulator.auth import ACTUATE, PRE_AUTH, READ_MEDIA, READ_SYSTEM
from simulator.camera import Camera, Relay
from simulator.services import Call, service
from simulator.services import media2 as m2
from simulator.services import media_common as mc
from simulator.soap import E, child, children, invalid_arg, parse_duration, text

svc = service(
    "deviceio", "tmd", "/onvif/deviceio_service", version=(21, 6), extra_prefixes=("tds",)
)


def capabilities(c: Camera):
    return E(
        "tmd:Capabilities",
        VideoSources=len(c.video_sources),
        VideoOutputs=len(c.video_outputs),
        AudioSources=len(c.audio_sources),
        AudioOutputs=len(c.audio_outputs),
        RelayOutputs=len(c.relays),
        SerialPorts=0,
        DigitalInputs=len(c.digital_inputs),
        DigitalInputOptions=bool(c.digital_inputs),
    )


svc.capabilities = capabilities


@svc.op("GetServiceCapabilities", PRE_AUTH)
def get_service_capabilities(call: Call):
    return E("tmd:GetServiceCapabilitiesResponse", capabilities(call.camera))


@svc.op("GetVideoSources", READ_MEDIA)
def get_video_sources(call: Call):
    return E(
        "tmd:GetVideoSourcesResponse", [E("tmd:Token", v.token) for v in call.camera.video_sources]
    )


@svc.op("GetAudioSources", READ_MEDIA)
def get_audio_sources(call: Call):
    return E("tmd:GetAudioSourcesResponse", [E("tmd:Token", t) for t in call.camera.audio_sources])


@svc.op("GetAudioOutputs", READ_MEDIA)
def get_audio_outputs(call: Call):
    return E("tmd:GetAudioOutputsResponse", [E("tmd:Token", t) for t in call.camera.audio_outputs])


@svc.op("GetVideoOutputs", READ_MEDIA)
def get_video_outputs(call: Call):
    outs = [
        E(
            "tmd:VideoOutputs",
            E(
                "tt:Layout",
                E(
                    "tt:PaneLayout",
                    E("tt:Pane", f"{o.token}_pane1"),
                    E("tt:Area", bottom=-1, top=1, right=1, left=-1),
                ),
            ),
            E("tt:Resolution", E("tt:Width", o.width), E("tt:Height", o.height)),
            E("tt:RefreshRate", o.refresh),
            E("tt:AspectRatio", round(o.width / o.height, 4)),
            token=o.token,
        )
        for o in call.camera.video_outputs
    ]
    return E("tmd:GetVideoOutputsResponse", outs)


def video_output(call: Call, token: str | None):
    out = next((o for o in call.camera.video_outputs if o.token == token), None)
    if out is None:
        raise invalid_arg("NoVideoOutput", f"no video output {token!r}")
    return out


def output_config_xml(call: Call, token: str, tag: str):
    name = call.camera.video_output_configs[token]
    return E(
        tag,
        E("tt:Name", name),
        E("tt:UseCount", 1),
        E("tt:OutputToken", token),
        token=f"{token}_config",
    )


@svc.op("GetVideoOutputConfiguration", READ_MEDIA)
def get_video_output_configuration(call: Call):
    out = video_output(call, text(call.body, "VideoOutputToken"))
    return E(
        "tmd:GetVideoOutputConfigurationResponse",
        output_config_xml(call, out.token, "tmd:VideoOutputConfiguration"),
    )


@svc.op("SetVideoOutputConfiguration", ACTUATE)
def set_video_output_configuration(call: Call):
    el = child(call.body, "Configuration")
    out = video_output(call, text(el, "OutputToken"))
    name = text(el, "Name")
    if not name or len(name) > 64:
        raise invalid_arg("ConfigModify", "Name must be 1..64 characters")
    call.camera.video_output_configs[out.token] = name
    return E("tmd:SetVideoOutputConfigurationResponse")


@svc.op("GetVideoOutputConfigurationOptions", READ_MEDIA)
def get_video_output_configuration_options(call: Call):
    video_output(call, text(call.body, "VideoOutputToken"))
    return E(
        "tmd:GetVideoOutputConfigurationOptionsResponse", E("tmd:VideoOutputConfigurationOptions")
    )


# -- deprecated duplicates of Media operations (still in deviceio.wsdl), by physical token -------
def _by_source(call: Call, kind: str, field: str):
    token = text(call.body, field)
    m2.require_kind(call.camera, kind)
    cfg = next((x for x in call.camera.configs(kind) if x.source == token), None)
    if cfg is None:
        raise invalid_arg("NoConfig", f"no {kind} configuration for {token!r}")
    return cfg


def _register(kind: str, field: str, tag: str, options_tag: str) -> None:
    @svc.op(f"Get{kind}Configuration", READ_MEDIA)
    def get(call: Call):
        cfg = _by_source(call, kind, field)
        return E(f"tmd:Get{kind}ConfigurationResponse", mc.config_xml(call.camera, cfg, tag))

    @svc.op(f"Set{kind}Configuration", ACTUATE)
    def set_(call: Call):
        m2.require_kind(call.camera, kind)
        el = child(call.body, "Configuration")
        cfg = call.camera.config(kind, el.get("token") if el is not None else None)
        if cfg is None:
            raise invalid_arg("NoConfig", f"no such {kind} configuration")
        mc.apply_config(call.camera, cfg, el)
        m2.config_changed(call, cfg)
        return E(f"tmd:Set{kind}ConfigurationResponse")

    @svc.op(f"Get{kind}ConfigurationOptions", READ_MEDIA)
    def options(call: Call):
        _by_source(call, kind, field)
        return E(
            f"tmd:Get{kind}ConfigurationOptionsResponse", m2.options(call.camera, kind, options_tag)
        )


_register(
    "VideoSource",
    "VideoSourceToken",
    "tmd:VideoSourceConfiguration",
    "tmd:VideoSourceConfigurationOptions",
)
_register(
    "AudioSource", "AudioSourceToken", "tmd:AudioSourceConfiguration", "tmd:AudioSourceOptions"
)
_register(
    "AudioOutput", "AudioOutputToken", "tmd:AudioOutputConfiguration", "tmd:AudioOutputOptions"
)


# -- relays and digital inputs ----------------------------------------------------------------
RELAY_MODES, IDLE_STATES = ("Monostable", "Bistable"), ("closed", "open")
DELAY_RANGE = (0.5, 60.0)  # seconds a monostable relay stays active


def _duration(seconds: float) -> str:
    return f"PT{seconds:g}S"


def relay_xml(relay: Relay, tag: str = "tds:RelayOutputs"):
    return E(
        tag,
        E(
            "tt:Properties",
            E("tt:Mode", relay.mode),
            E("tt:DelayTime", _duration(relay.delay)),
            E("tt:IdleState", relay.idle_state),
        ),
        token=relay.token,
    )


def find_relay(c: Camera, token: str | None) -> Relay:
    relay = next((r for r in c.relays if r.token == token), None)
    if relay is None:
        raise invalid_arg("RelayToken", f"no relay output {token!r}")
    return relay


@svc.op("GetRelayOutputs", READ_MEDIA)
def get_relay_outputs(call: Call):
    return E("tds:GetRelayOutputsResponse", [relay_xml(r) for r in call.camera.relays])


@svc.op("GetRelayOutputOptions", PRE_AUTH)
def get_relay_output_options(call: Call):
    c = call.camera
    token = text(call.body, "RelayOutputToken")
    relays = [find_relay(c, token)] if token is not None else c.relays
    options = [
        E(
            "tmd:RelayOutputOptions",
            [E("tmd:Mode", m) for m in RELAY_MODES],
            E("tmd:DelayTimes", f"{DELAY_RANGE[0]:g} {DELAY_RANGE[1]:g}"),
            token=r.token,
        )
        for r in relays
    ]
    return E("tmd:GetRelayOutputOptionsResponse", options)


@svc.op("SetRelayOutputSettings", ACTUATE)
def set_relay_output_settings(call: Call):
    el = child(call.body, "RelayOutput")
    relay = find_relay(call.camera, el.get("token") if el is not None else None)
    props = child(el, "Properties")
    mode = text(props, "Mode", relay.mode)
    idle = text(props, "IdleState", relay.idle_state)
    delay = parse_duration(text(props, "DelayTime") or _duration(relay.delay))
    if mode not in RELAY_MODES:
        raise invalid_arg("ModeError", f"unsupported relay mode {mode!r}")
    if idle not in IDLE_STATES:
        raise invalid_arg("ModeError", f"unsupported idle state {idle!r}")
    if mode == "Monostable" and not DELAY_RANGE[0] <= delay <= DELAY_RANGE[1]:
        raise invalid_arg("ModeError", f"DelayTime must lie in {DELAY_RANGE} seconds")
    relay.mode, relay.idle_state, relay.delay = mode, idle, delay
    return E("tmd:SetRelayOutputSettingsResponse")


@svc.op("SetRelayOutputState", ACTUATE)
def set_relay_output_state(call: Call):
    relay = find_relay(call.camera, text(call.body, "RelayOutputToken"))
    state = text(call.body, "LogicalState")
    if state not in ("active", "inactive"):
        raise invalid_arg("ModeError", f"LogicalState must be active or inactive, not {state!r}")
    io.set_relay(call.rt, relay, state == "active")
    return E("tds:SetRelayOutputStateResponse")


@svc.op("GetDigitalInputs", READ_SYSTEM)
def get_digital_inputs(call: Call):
    inputs = [
        E("tmd:DigitalInputs", token=i.token, IdleState=i.idle_state)
        for i in call.camera.digital_inputs
    ]
    return E("tmd:GetDigitalInputsResponse", inputs)


@svc.op("GetDigitalInputConfigurationOptions", READ_SYSTEM)
def get_digital_input_configuration_options(call: Call):
    token = text(call.body, "Token")
    if token is not None and not any(i.token == token for i in call.camera.digital_inputs):
        raise invalid_arg("NoConfig", f"no digital input {token!r}")
    return E(
        "tmd:GetDigitalInputConfigurationOptionsResponse",
        E("tmd:DigitalInputOptions", [E("tmd:IdleState", s) for s in IDLE_STATES]),
    )


@svc.op("SetDigitalInputConfigurations", ACTUATE)
def set_digital_input_configurations(call: Call):
    c = call.camera
    wanted = []
    for el in children(call.body, "DigitalInputs"):  # all or nothing
        found = next((i for i in c.digital_inputs if i.token == el.get("token")), None)
        if found is None:
            raise invalid_arg("NoConfig", f"no digital input {el.get('token')!r}")
        idle = el.get("IdleState", found.idle_state)
        if idle not in IDLE_STATES:
            raise invalid_arg("SettingsInvalid", f"{found.token}: unsupported idle state {idle!r}")
        wanted.append((found, idle))
    for found, idle in wanted:
        found.idle_state = idle
    return E("tmd:SetDigitalInputConfigurationsResponse")


@svc.op("GetSerialPorts", READ_SYSTEM)
def get_serial_ports(call: Call):
    return E("tmd:GetSerialPortsResponse")


def _no_serial(call: Call):
    raise invalid_arg("InvalidSerialPort", "this camera has no serial ports")


for _op, _access in (
    ("GetSerialPortConfiguration", READ_SYSTEM),
    ("SetSerialPortConfiguration", ACTUATE),
    ("GetSerialPortConfigurationOptions", READ_SYSTEM),
    ("SendReceiveSerialCommand", ACTUATE),
):
    svc.op(_op, _access)(_no_serial)
