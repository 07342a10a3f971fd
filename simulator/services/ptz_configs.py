"""PTZ configurations (tptz, clause 8.2-8.3, 8.10): read, options, set (limits, defaults,
E-Flip, Reverse), and which configurations fit a profile."""

from __future__ import annotations

from simulator.auth import ACTUATE, READ_MEDIA
from simulator.camera import Configuration, PTZNode
from simulator.ptz_motion import Motion, now
from simulator.services import Call
from simulator.services import media_common as mc
from simulator.services.ptz import TIMEOUT_RANGE, _axes, spaces_xml, svc
from simulator.soap import E, child, invalid_arg, parse_duration, parse_float, text


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
