"""PTZ (tptz, clause 8): nodes, configurations, moves on the motion model, presets, home, aux.

Positions live in the generic spaces (GetStatus and presets report them there). A node with a
degree mapping (PTZNode.pan_degrees/tilt_degrees) also offers SphericalPositionSpaceDegrees and
SphericalTranslationSpaceDegrees: AbsoluteMove and RelativeMove convert those to generic units,
and GeoMove aims with the same mapping (degrees of pan from the location's yaw, 0 = north;
degrees of tilt from the horizontal, negative = down).
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.auth import ACTUATE, PRE_AUTH, READ_MEDIA
from simulator.camera import Camera, Configuration, Preset, Profile, PTZNode
from simulator.ptz_motion import (
    Motion,
    degree_ranges,
    has_degrees,
    look_at,
    now,
    point_at,
    to_generic,
    translation_ranges,
    zoom_for_area,
)
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
GEO_KEYS = ("lon", "lat", "elevation")


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


def geo_move_offered(node: PTZNode) -> bool:
    return node.geo_move and has_degrees(node)


def spaces_xml(node: PTZNode, tag: str = "tt:SupportedPTZSpaces"):
    pt, tl, z = tuple(node.pan_limits), tuple(node.tilt_limits), tuple(node.zoom_limits)
    degrees = has_degrees(node)
    return E(
        tag,
        space_xml("tt:AbsolutePanTiltPositionSpace", mc.PT_POS, pt, tl),
        space_xml("tt:AbsolutePanTiltPositionSpace", mc.PT_POS_DEG, *degree_ranges(node))
        if degrees
        else None,
        space_xml("tt:AbsoluteZoomPositionSpace", mc.Z_POS, z),
        space_xml("tt:RelativePanTiltTranslationSpace", mc.PT_REL, (-1, 1), (-1, 1)),
        space_xml("tt:RelativePanTiltTranslationSpace", mc.PT_REL_DEG, *translation_ranges(node))
        if degrees
        else None,
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
        GeoMove=geo_move_offered(node),
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
    pan, tilt = _pan_tilt(child(el, "PanTilt"), pt_space, sub, lo, hi)
    zoom = _zoom(child(el, "Zoom"), z_space, sub, 0.0 if sub == "InvalidPosition" else lo, hi)
    return pan, tilt, zoom


def _pan_tilt(pt, space: str, sub: str, lo: float, hi: float) -> tuple[float | None, float | None]:
    if pt is None:
        return None, None
    if pt.get("space") not in (None, space):
        raise invalid_arg("SpaceNotSupported", f"space {pt.get('space')} is not supported")
    pan, tilt = parse_float(pt.get("x"), 0.0), parse_float(pt.get("y"), 0.0)
    if not (lo <= pan <= hi and lo <= tilt <= hi):
        raise invalid_arg(sub, f"pan/tilt outside [{lo}, {hi}]")
    return pan, tilt


def _zoom(z, space: str, sub: str, lo: float, hi: float) -> float | None:
    if z is None:
        return None
    if z.get("space") not in (None, space):
        raise invalid_arg("SpaceNotSupported", f"space {z.get('space')} is not supported")
    zoom = parse_float(z.get("x"), 0.0)
    if not lo <= zoom <= hi:
        raise invalid_arg(sub, f"zoom outside [{lo}, {hi}]")
    return zoom


def move_vector(el, node: PTZNode, relative: bool) -> tuple[float | None, ...]:
    """(pan, tilt, zoom) in generic units from an AbsoluteMove Position or a RelativeMove
    Translation in any space the node offers (no space attribute: the configuration's default,
    the generic one); None for absent axes."""
    if relative:
        pt_space, z_space, degrees, sub = mc.PT_REL, mc.Z_REL, mc.PT_REL_DEG, "InvalidTranslation"
    else:
        pt_space, z_space, degrees, sub = mc.PT_POS, mc.Z_POS, mc.PT_POS_DEG, "InvalidPosition"
    pt = child(el, "PanTilt")
    if pt is not None and pt.get("space") == degrees and has_degrees(node):
        pan, tilt = parse_float(pt.get("x"), 0.0), parse_float(pt.get("y"), 0.0)
        (xlo, xhi), (ylo, yhi) = translation_ranges(node) if relative else degree_ranges(node)
        if not (xlo <= pan <= xhi and ylo <= tilt <= yhi):
            raise invalid_arg(
                sub,
                f"pan/tilt ({pan:g}, {tilt:g}) degrees outside {xlo:g}..{xhi:g} x {ylo:g}..{yhi:g}",
            )
        spans = node.pan_degrees, node.tilt_degrees
        if relative:  # a step in degrees is a step in generic units at the mapping's slope
            pan, tilt = (v * 2.0 / (s[1] - s[0]) for v, s in zip((pan, tilt), spans, strict=True))
        else:
            pan, tilt = (to_generic(v, s) for v, s in zip((pan, tilt), spans, strict=True))
    else:
        pan, tilt = _pan_tilt(pt, pt_space, sub, -1.0, 1.0)
    return pan, tilt, _zoom(child(el, "Zoom"), z_space, sub, -1.0 if relative else 0.0, 1.0)


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


@svc.op("AbsoluteMove", ACTUATE)
def absolute_move(call: Call):
    t = target(call)
    pos = move_vector(child(call.body, "Position"), t.node, relative=False)
    goto(call, t, pos, *speeds(call, t))
    return E("tptz:AbsoluteMoveResponse")


def _direction(t: Target) -> float:
    return -1.0 if t.cfg.reverse == "ON" else 1.0


@svc.op("RelativeMove", ACTUATE)
def relative_move(call: Call):
    t = target(call)
    dp, dt, dz = move_vector(child(call.body, "Translation"), t.node, relative=True)
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


def _geo_target(call: Call) -> tuple[float, float, float]:
    el = child(call.body, "Target")
    lon, lat, up = (parse_float(el.get(k)) if el is not None else None for k in GEO_KEYS)
    if lon is None or lat is None or up is None:
        raise invalid_arg("InvalidArgs", "Target needs lon, lat and elevation")
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise invalid_arg("InvalidArgs", "Target lon/lat outside -180..180 / -90..90 degrees")
    return lon, lat, up


def aim(t: Target, pan_deg: float, tilt_deg: float) -> tuple[float, float]:
    """Generic pan/tilt that look at (pan, tilt) degrees, or UnreachablePosition."""
    found = point_at(t.node, pan_deg, tilt_deg, t.motion.pan.position())
    if found is None:
        (plo, phi), (tlo, thi) = degree_ranges(t.node)
        raise invalid_arg(
            "UnreachablePosition",
            f"the target is at pan {(pan_deg + 180) % 360 - 180:.1f}, tilt {tilt_deg:.1f} "
            f"degrees, outside the node's {plo:g}..{phi:g} x {tlo:g}..{thi:g}",
        )
    return found


def _area_zoom(call: Call, node: PTZNode, distance: float) -> float | None:
    """The zoom that frames AreaWidth x AreaHeight metres at the target (None: unchanged)."""
    from simulator.media.scene import MAX_ZOOM  # the zoom factor the picture is drawn with

    width, height = (parse_float(text(call.body, n)) for n in ("AreaWidth", "AreaHeight"))
    if any(size is not None and size <= 0 for size in (width, height)):
        raise invalid_arg("InvalidArgs", "AreaWidth and AreaHeight are positive metres")
    return zoom_for_area(distance, width, height, node.fov_degrees, MAX_ZOOM)


@svc.op("GeoMove", ACTUATE)
def geo_move(call: Call):
    """Point at a place: its bearing and elevation angle from the camera's GeoLocation (flat
    earth, see ptz_motion.look_at), pan counted from the location's yaw (absent: north)."""
    t = target(call)
    if not geo_move_offered(t.node):
        raise invalid_arg("GeoMoveNotSupported", "this PTZ node does not support GeoMove")
    goal = _geo_target(call)
    vsc = call.camera.config("VideoSource", t.profile.configs.get("VideoSource"))
    here = call.camera.geo_location(vsc.source if vsc is not None else None)
    if here is None:
        raise invalid_arg("GeoLocationUnknown", "the camera's location is not set (SetGeoLocation)")
    origin = (here.lon, here.lat, here.elevation)  # all set (Camera.geo_location)
    bearing, elevation, distance = look_at(origin, goal)  # type: ignore[arg-type]
    if distance < 0.01:
        raise invalid_arg("UnreachablePosition", "the target is where the camera is")
    pan, tilt = aim(t, bearing - (here.yaw or 0.0), elevation)
    zoom = _area_zoom(call, t.node, distance)
    goto(call, t, (pan, tilt, zoom), *speeds(call, t))
    return E("tptz:GeoMoveResponse")


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
