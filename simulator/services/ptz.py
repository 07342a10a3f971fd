"""PTZ (tptz, clause 8): nodes, configurations, moves on the motion model, presets, home, aux."""

from __future__ import annotations

from dataclasses import dataclass

from simulator.auth import ACTUATE, PRE_AUTH, READ_MEDIA
from simulator.camera import Camera, Configuration, Preset, Profile, PTZNode
from simulator.ptz_motion import Motion, now
from simulator.services import Call, service
from simulator.services import media_common as mc
from simulator.soap import (
    RECEIVER,
    E,
    Fault,
    action_failed,
    child,
    invalid_arg,
    iso_time,
    local,
    not_supported,
    parse_bool,
    parse_duration,
    parse_float,
    qn,
    text,
)

svc = service("ptz", "tptz", "/onvif/ptz_service", version=(21, 12), available=lambda c: c.has_ptz)
TIMEOUT_RANGE = (0.1, 3600.0)
SPACES = {
    "pt_abs": mc.PT_POS,
    "z_abs": mc.Z_POS,
    "pt_rel": mc.PT_REL,
    "z_rel": mc.Z_REL,
    "pt_vel": mc.PT_VEL,
    "z_vel": mc.Z_VEL,
    "pt_speed": mc.PT_SPEED,
    "z_speed": mc.Z_SPEED,
}
PRESET_TOPIC = "tns1:PTZController/PTZPresets/"


def capabilities(c: Camera):
    return E(
        "tptz:Capabilities",
        EFlip=True,
        Reverse=True,
        GetCompatibleConfigurations=True,
        MoveStatus=True,
        StatusPosition=True,
    )


svc.capabilities = capabilities


@dataclass
class Target:
    profile: Profile
    cfg: Configuration
    node: PTZNode
    motion: Motion


def target(call: Call) -> Target:
    c = call.camera
    token = text(call.body, "ProfileToken")
    p = c.profile(token)
    if p is None:
        raise invalid_arg("NoProfile", f"no profile {token!r}")
    cfg = c.profile_config(p, "PTZ")
    if cfg is None:
        raise invalid_arg("NoPTZProfile", f"profile {token!r} has no PTZ configuration")
    return Target(p, cfg, c.node(cfg.source), call.rt.motion[cfg.source])


def space_xml(tag: str, uri: str, x: tuple[float, float], y: tuple[float, float] | None = None):
    return E(
        tag, E("tt:URI", uri), mc.range_("tt:XRange", *x), mc.range_("tt:YRange", *y) if y else None
    )


def spaces_xml(node: PTZNode, tag: str = "tt:SupportedPTZSpaces"):
    pt, tl, z = tuple(node.pan_limits), tuple(node.tilt_limits), tuple(node.zoom_limits)
    return E(
        tag,
        space_xml("tt:AbsolutePanTiltPositionSpace", mc.PT_POS, pt, tl),
        space_xml("tt:AbsoluteZoomPositionSpace", mc.Z_POS, z),
        space_xml("tt:RelativePanTiltTranslationSpace", mc.PT_REL, (-1, 1), (-1, 1)),
        space_xml("tt:RelativeZoomTranslationSpace", mc.Z_REL, (-1, 1)),
        space_xml("tt:ContinuousPanTiltVelocitySpace", mc.PT_VEL, (-1, 1), (-1, 1)),
        space_xml("tt:ContinuousZoomVelocitySpace", mc.Z_VEL, (-1, 1)),
        space_xml("tt:PanTiltSpeedSpace", mc.PT_SPEED, (0, 1)),
        space_xml("tt:ZoomSpeedSpace", mc.Z_SPEED, (0, 1)),
    )


def node_xml(node: PTZNode, tag: str):
    tours = E(
        "tt:Extension",
        E(
            "tt:SupportedPresetTour",
            E("tt:MaximumNumberOfPresetTours", node.max_tours),
            [E("tt:PTZPresetTourOperation", op) for op in ("Start", "Stop", "Pause")],
        ),
    )
    return E(
        tag,
        E("tt:Name", node.name),
        spaces_xml(node),
        E("tt:MaximumNumberOfPresets", node.max_presets),
        E("tt:HomeSupported", node.home_supported),
        [E("tt:AuxiliaryCommands", a) for a in node.aux_commands],
        tours,
        token=node.token,
        FixedHomePosition=node.fixed_home,
        GeoMove=False,
    )


def vector_xml(tag: str, pan: float, tilt: float, zoom: float):
    return E(
        tag, E("tt:PanTilt", x=pan, y=tilt, space=mc.PT_POS), E("tt:Zoom", x=zoom, space=mc.Z_POS)
    )


def preset_xml(p: Preset, tag: str = "tptz:Preset"):
    return E(
        tag,
        E("tt:Name", p.name),
        vector_xml("tt:PTZPosition", p.pan, p.tilt, p.zoom),
        token=p.token,
    )


# -- parsing helpers --------------------------------------------------------------------------
def _axes(el, pt_space: str, z_space: str, sub: str, lo: float = -1.0, hi: float = 1.0):
    """(pan, tilt, zoom) from a PTZVector/PTZSpeed element; None for absent axes."""
    pan = tilt = zoom = None
    pt, z = child(el, "PanTilt"), child(el, "Zoom")
    if pt is not None:
        if pt.get("space") not in (None, pt_space):
            raise invalid_arg("SpaceNotSupported", f"space {pt.get('space')} is not supported")
        pan, tilt = parse_float(pt.get("x"), 0.0), parse_float(pt.get("y"), 0.0)
        if not (lo <= pan <= hi and lo <= tilt <= hi):
            raise invalid_arg(sub, f"pan/tilt outside [{lo}, {hi}]")
    if z is not None:
        if z.get("space") not in (None, z_space):
            raise invalid_arg("SpaceNotSupported", f"space {z.get('space')} is not supported")
        zoom = parse_float(z.get("x"), 0.0)
        zlo = 0.0 if sub == "InvalidPosition" else lo
        if not zlo <= zoom <= hi:
            raise invalid_arg(sub, f"zoom outside [{zlo}, {hi}]")
    return pan, tilt, zoom


def speeds(call: Call, t: Target) -> tuple[float, float]:
    el = child(call.body, "Speed")
    pt, _, z = (
        _axes(el, mc.PT_SPEED, mc.Z_SPEED, "InvalidSpeed", -1.0, 1.0)
        if el is not None
        else (None, None, None)
    )
    pt_speed = abs(pt) if pt is not None else t.cfg.pt_speed
    sp = child(el, "PanTilt")
    if sp is not None:
        pt_speed = max(abs(parse_float(sp.get("x"), 0.0)), abs(parse_float(sp.get("y"), 0.0)))
    if (pt is not None and pt < 0) or (z is not None and z < 0):
        raise invalid_arg("InvalidSpeed", "speeds are not negative")
    return pt_speed, z if z is not None else t.cfg.zoom_speed


# -- preset events and moves ------------------------------------------------------------------
def _preset_event(call: Call, t: Target, what: str, preset: Preset) -> None:
    call.rt.events.publish(
        PRESET_TOPIC + what,
        [("PTZConfigurationToken", t.cfg.token)],
        [("PresetToken", preset.token), ("PresetName", preset.name)],
    )


def begin_move(
    call: Call, t: Target, preset: Preset | None = None, from_tour: bool = False
) -> None:
    """Bookkeeping before any move: tour interruption and the preset event sequence."""
    rt, key = call.rt, t.node.token
    if not from_tour:
        from simulator.services.ptz_tours import stop_tour_of_node

        stop_tour_of_node(call, t.node)
    pending = rt.preset_watch.pop(key, None)
    if pending is not None:
        handle, preset_pending = pending
        handle.cancel()
        _preset_event(call, t, "Aborted", preset_pending)
    reached = rt.at_preset.pop(key, None)
    if reached is not None and (p := _find_preset(t.node, reached)) is not None:
        _preset_event(call, t, "Left", p)
    if preset is not None:
        _preset_event(call, t, "Invoked", preset)


def watch_arrival(call: Call, t: Target, preset: Preset) -> None:
    import asyncio

    rt, key = call.rt, t.node.token

    def reached() -> None:
        rt.preset_watch.pop(key, None)
        rt.at_preset[key] = preset.token
        _preset_event(call, t, "Reached", preset)

    delay = max(0.0, t.motion.arrival() - now())
    rt.preset_watch[key] = (asyncio.get_running_loop().call_later(delay, reached), preset)


def _find_preset(node: PTZNode, token: str | None) -> Preset | None:
    return next((p for p in node.presets if p.token == token), None)


def goto(
    call: Call,
    t: Target,
    pos,
    pt_speed: float,
    z_speed: float,
    preset: Preset | None = None,
    from_tour: bool = False,
) -> None:
    begin_move(call, t, preset, from_tour)
    t.motion.goto(now(), *pos, pt_speed, z_speed)
    if preset is not None:
        watch_arrival(call, t, preset)


# -- operations -----------------------------------------------------------------------------
@svc.op("GetServiceCapabilities", PRE_AUTH)
def get_service_capabilities(call: Call):
    return E("tptz:GetServiceCapabilitiesResponse", capabilities(call.camera))


@svc.op("GetNodes", READ_MEDIA)
def get_nodes(call: Call):
    nodes = [node_xml(n, "tptz:PTZNode") for n in call.camera.ptz_nodes]
    return E("tptz:GetNodesResponse", [undeclared_prefix(call, n, "PTZNode") for n in nodes])


@svc.op("GetNode", READ_MEDIA)
def get_node(call: Call):
    token = text(call.body, "NodeToken")
    node = call.camera.node(token)
    if node is None:
        raise invalid_arg("NoEntity", f"no PTZ node {token!r}")
    return E("tptz:GetNodeResponse", node_xml(node, "tptz:PTZNode"))


def _config(call: Call, name: str = "PTZConfigurationToken") -> Configuration:
    token = text(call.body, name)
    cfg = call.camera.config("PTZ", token)
    if cfg is None:
        raise invalid_arg("NoConfig", f"no PTZ configuration {token!r}")
    return cfg


@svc.op("GetConfigurations", READ_MEDIA)
def get_configurations(call: Call):
    c = call.camera
    return E(
        "tptz:GetConfigurationsResponse",
        [mc.config_xml(c, cfg, "tptz:PTZConfiguration") for cfg in c.configs("PTZ")],
    )


@svc.op("GetConfiguration", READ_MEDIA)
def get_configuration(call: Call):
    cfg = _config(call)
    return E(
        "tptz:GetConfigurationResponse", mc.config_xml(call.camera, cfg, "tptz:PTZConfiguration")
    )


@svc.op("GetConfigurationOptions", READ_MEDIA)
def get_configuration_options(call: Call):
    cfg = _config(call, "ConfigurationToken")
    node = call.camera.node(cfg.source)
    opts = E(
        "tptz:PTZConfigurationOptions",
        spaces_xml(node, "tt:Spaces"),
        E("tt:PTZTimeout", E("tt:Min", "PT0.1S"), E("tt:Max", f"PT{TIMEOUT_RANGE[1]:g}S")),
        E(
            "tt:PTControlDirection",
            E("tt:EFlip", E("tt:Mode", "OFF"), E("tt:Mode", "ON")),
            E("tt:Reverse", E("tt:Mode", "OFF"), E("tt:Mode", "ON")),
        ),
    )
    return E("tptz:GetConfigurationOptionsResponse", opts)


@svc.op("SetConfiguration", ACTUATE)
def set_configuration(call: Call):
    el = child(call.body, "PTZConfiguration")
    cfg = call.camera.config("PTZ", el.get("token") if el is not None else None)
    if cfg is None:
        raise invalid_arg("NoConfig", "no such PTZ configuration")
    if text(el, "NodeToken") != cfg.source:
        raise invalid_arg("ConfigModify", "NodeToken cannot be changed")
    name = text(el, "Name") or cfg.name
    timeout = cfg.timeout
    if (value := text(el, "DefaultPTZTimeout")) is not None:
        timeout = parse_duration(value)
        if not TIMEOUT_RANGE[0] <= timeout <= TIMEOUT_RANGE[1]:
            raise invalid_arg("ConfigModify", "DefaultPTZTimeout out of range")
    pt_speed, _, z_speed = (cfg.pt_speed, None, cfg.zoom_speed)
    if (sp := child(el, "DefaultPTZSpeed")) is not None:
        p, _, z = _axes(sp, mc.PT_SPEED, mc.Z_SPEED, "ConfigModify", 0.0, 1.0)
        pt_speed, z_speed = p if p is not None else pt_speed, z if z is not None else z_speed
    direction = child(child(el, "Extension"), "PTControlDirection")
    eflip = text(child(direction, "EFlip"), "Mode", cfg.eflip)
    reverse = text(child(direction, "Reverse"), "Mode", cfg.reverse)
    if eflip not in ("OFF", "ON") or reverse not in ("OFF", "ON"):
        raise invalid_arg("ConfigModify", "unsupported EFlip/Reverse mode")
    limits = _limits(el, call.camera.node(cfg.source), cfg)
    cfg.name, cfg.timeout, cfg.pt_speed, cfg.zoom_speed = name, timeout, pt_speed, z_speed
    cfg.eflip, cfg.reverse = eflip, reverse
    if limits != cfg.limits:
        cfg.limits = limits
        apply_limits(call.rt.motion[cfg.source], limits)
    call.rt.events.publish(
        "tns1:Media/ConfigurationChanged", [("Token", cfg.token), ("Type", "PTZ")], []
    )
    return E("tptz:SetConfigurationResponse")


def _range(el, name: str) -> tuple[float | None, float | None]:
    r = child(el, name)
    return parse_float(text(r, "Min"), None), parse_float(text(r, "Max"), None)


def _limits(el, node: PTZNode, cfg: Configuration) -> list[float]:
    """The configuration's PanTiltLimits and ZoomLimits, inside the node's own ranges."""
    current = cfg.limits or [*node.pan_limits, *node.tilt_limits, *node.zoom_limits]
    found = list(current)
    pt, z = child(child(el, "PanTiltLimits"), "Range"), child(child(el, "ZoomLimits"), "Range")
    for start, rng, name in ((0, pt, "XRange"), (2, pt, "YRange"), (4, z, "XRange")):
        if rng is None:
            continue
        lo, hi = _range(rng, name)
        if lo is None or hi is None:
            continue
        own = [*node.pan_limits, *node.tilt_limits, *node.zoom_limits][start : start + 2]
        if not own[0] <= lo < hi <= own[1]:
            raise invalid_arg("ConfigModify", f"limits {lo}..{hi} outside the node's {own}")
        found[start : start + 2] = [lo, hi]
    return found


def apply_limits(motion: Motion, limits: list[float]) -> None:
    """Moves from now on stay inside the limits (a position outside comes back in)."""
    moment = now()
    for axis, (lo, hi) in zip(motion.axes, (limits[0:2], limits[2:4], limits[4:6]), strict=True):
        axis.settle(moment)
        axis.lo, axis.hi = lo, hi
        axis.pos0 = min(hi, max(lo, axis.pos0))


@svc.op("GetCompatibleConfigurations", READ_MEDIA)
def get_compatible_configurations(call: Call):
    c = call.camera
    token = text(call.body, "ProfileToken")
    p = c.profile(token)
    if p is None:
        raise invalid_arg("NoProfile", f"no profile {token!r}")
    return E(
        "tptz:GetCompatibleConfigurationsResponse",
        [mc.config_xml(c, cfg, "tptz:PTZConfiguration") for cfg in c.configs("PTZ")],
    )


@svc.op("AbsoluteMove", ACTUATE)
def absolute_move(call: Call):
    t = target(call)
    pos = _axes(child(call.body, "Position"), mc.PT_POS, mc.Z_POS, "InvalidPosition")
    goto(call, t, pos, *speeds(call, t))
    return E("tptz:AbsoluteMoveResponse")


def _direction(t: Target) -> float:
    return -1.0 if t.cfg.reverse == "ON" else 1.0


@svc.op("RelativeMove", ACTUATE)
def relative_move(call: Call):
    t = target(call)
    dp, dt, dz = _axes(child(call.body, "Translation"), mc.PT_REL, mc.Z_REL, "InvalidTranslation")
    pan, tilt, zoom = t.motion.position()
    sign = _direction(t)
    pos = (
        None if dp is None else pan + sign * dp,
        None if dt is None else tilt + sign * dt,
        None if dz is None else zoom + dz,
    )
    goto(call, t, pos, *speeds(call, t))  # targets past a limit stop at the border
    return E("tptz:RelativeMoveResponse")


@svc.op("ContinuousMove", ACTUATE)
def continuous_move(call: Call):
    t = target(call)
    vp, vt, vz = _axes(child(call.body, "Velocity"), mc.PT_VEL, mc.Z_VEL, "InvalidVelocity")
    timeout = t.cfg.timeout
    if (value := text(call.body, "Timeout")) is not None:
        timeout = parse_duration(value)
        if not TIMEOUT_RANGE[0] <= timeout <= TIMEOUT_RANGE[1]:
            raise invalid_arg("TimeoutNotSupported", f"Timeout must be within {TIMEOUT_RANGE} s")
    begin_move(call, t)
    moment, sign = now(), _direction(t)
    for axis, v in ((t.motion.pan, vp), (t.motion.tilt, vt)):
        if v is not None:
            axis.move_velocity(moment, sign * v, timeout)
    if vz is not None:
        t.motion.zoom.move_velocity(moment, vz, timeout)
    return E("tptz:ContinuousMoveResponse")


@svc.op("GeoMove", ACTUATE)
def geo_move(call: Call):
    target(call)
    raise invalid_arg("GeoMoveNotSupported", "this PTZ node does not support GeoMove")


@svc.op("Stop", ACTUATE)
def stop(call: Call):
    t = target(call)
    pan_tilt = parse_bool(text(call.body, "PanTilt"), True)
    zoom = parse_bool(text(call.body, "Zoom"), True)
    begin_move(call, t)
    t.motion.stop(now(), pan_tilt, zoom)
    return E("tptz:StopResponse")


def status_xml(c: Camera, motion: Motion, tag: str = "tptz:PTZStatus"):
    moment = now()
    state = lambda moving: "MOVING" if moving else "IDLE"  # noqa: E731
    return E(
        tag,
        vector_xml("tt:Position", *motion.position(moment)),
        E(
            "tt:MoveStatus",
            E("tt:PanTilt", state(motion.pan_tilt_moving(moment))),
            E("tt:Zoom", state(motion.zoom_moving(moment))),
        ),
        E("tt:UtcTime", iso_time(c.clock())),
    )


XSD_TYPES = {"MaximumNumberOfPresets": "int", "HomeSupported": "boolean", "UtcTime": "dateTime"}


def undeclared_prefix(call: Call, element, type_name: str):
    """The undeclared_prefix quirk: xsi:type names the element's type with a prefix ("ptz")
    and some of its fields' types with "xsd", neither declared in the answer, as some SOAP
    stacks write them."""
    if call.camera.quirks.undeclared_prefix:
        element.set(qn("xsi:type"), f"ptz:{type_name}")
        for field in element.iter():
            kind = XSD_TYPES.get(local(field))
            if kind is not None:
                field.set(qn("xsi:type"), f"xsd:{kind}")
    return element


@svc.op("GetStatus", READ_MEDIA)
def get_status(call: Call):
    status = status_xml(call.camera, target(call).motion)
    return E("tptz:GetStatusResponse", undeclared_prefix(call, status, "PTZStatus"))


@svc.op("SetPreset", ACTUATE)
def set_preset(call: Call):
    t = target(call)
    name, token = text(call.body, "PresetName"), text(call.body, "PresetToken")
    if name is not None and not 0 < len(name) <= 64:
        raise invalid_arg("InvalidPresetName", "PresetName must be 1..64 characters")
    if t.motion.pan_tilt_moving() or t.motion.zoom_moving():
        raise action_failed("MovingPTZ", "the PTZ unit is moving")
    existing = _find_preset(t.node, token) if token is not None else None
    if token is not None and existing is None:
        raise invalid_arg("NoToken", f"no preset {token!r}")
    if name is not None and any(p.name == name and p is not existing for p in t.node.presets):
        raise invalid_arg("PresetExist", f"a preset named {name!r} exists")
    pan, tilt, zoom = t.motion.position()
    if existing is None:
        if len(t.node.presets) >= t.node.max_presets:
            raise action_failed("TooManyPresets", "maximum number of presets reached")
        token = call.camera.next_token("Preset")
        t.node.presets.append(Preset(token, name or token, pan, tilt, zoom))
    else:
        existing.pan, existing.tilt, existing.zoom = pan, tilt, zoom
        existing.name = name or existing.name
    return E("tptz:SetPresetResponse", E("tptz:PresetToken", token))


@svc.op("GetPresets", READ_MEDIA)
def get_presets(call: Call):
    return E("tptz:GetPresetsResponse", [preset_xml(p) for p in target(call).node.presets])


def preset_or_fault(node: PTZNode, token: str | None) -> Preset:
    preset = _find_preset(node, token)
    if preset is None:
        raise invalid_arg("NoToken", f"no preset {token!r}")
    return preset


@svc.op("GotoPreset", ACTUATE)
def goto_preset(call: Call):
    t = target(call)
    preset = preset_or_fault(t.node, text(call.body, "PresetToken"))
    goto(call, t, (preset.pan, preset.tilt, preset.zoom), *speeds(call, t), preset=preset)
    return E("tptz:GotoPresetResponse")


@svc.op("RemovePreset", ACTUATE)
def remove_preset(call: Call):
    t = target(call)
    t.node.presets.remove(preset_or_fault(t.node, text(call.body, "PresetToken")))
    return E("tptz:RemovePresetResponse")


@svc.op("GotoHomePosition", ACTUATE)
def goto_home_position(call: Call):
    t = target(call)
    if not t.node.home_supported:
        raise invalid_arg("NoHomePosition", "this node has no home position")
    goto(call, t, tuple(t.node.home), *speeds(call, t))
    return E("tptz:GotoHomePositionResponse")


@svc.op("SetHomePosition", ACTUATE)
def set_home_position(call: Call):
    t = target(call)
    if not t.node.home_supported:
        raise invalid_arg("NoHomePosition", "this node has no home position")
    if t.node.fixed_home:
        raise Fault(
            RECEIVER, ["ter:Action", "ter:CannotOverwriteHome"], "the home position is fixed"
        )
    t.node.home = list(t.motion.position())
    return E("tptz:SetHomePositionResponse")


@svc.op("SendAuxiliaryCommand", ACTUATE)
def send_auxiliary_command(call: Call):
    t = target(call)
    data = text(call.body, "AuxiliaryData") or ""
    if data not in t.node.aux_commands:
        raise not_supported(reason=f"auxiliary command {data!r} is not supported")
    command, _, value = data.partition("|")
    t.node.aux_state[command] = value
    return E("tptz:SendAuxiliaryCommandResponse", E("tptz:AuxiliaryResponse", data))
