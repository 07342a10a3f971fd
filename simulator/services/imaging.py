"""Imaging (timg, clause 7): settings, options, presets and focus moves on a motion model."""

from __future__ import annotations

from simulator.auth import ACTUATE, PRE_AUTH, READ_MEDIA
from simulator.camera import Camera, Imaging, VideoSource
from simulator.ptz_motion import Axis, now
from simulator.services import Call, service
from simulator.soap import E, child, invalid_arg, not_supported, parse_float, text

svc = service("imaging", "timg", "/onvif/imaging_service", version=(19, 6))
FOCUS_SPEED = 0.5  # focus units (0..1) per second at speed 1
RANGES = {
    "Brightness": (0, 100),
    "ColorSaturation": (0, 100),
    "Contrast": (0, 100),
    "Sharpness": (0, 100),
    "ExposureTime": (10, 40000),
    "Gain": (0, 100),
    "Iris": (-22, 0),
    "WdrLevel": (0, 100),
    "Gains": (0, 255),
}
PRESETS = (  # token suffix, type, name, settings
    ("1", "ClearWeather", "Daylight", {"brightness": 50.0, "contrast": 50.0, "ircut": "ON"}),
    ("2", "Night", "Night", {"brightness": 70.0, "contrast": 40.0, "ircut": "OFF"}),
    ("3", "Indoor", "Indoor", {"brightness": 60.0, "contrast": 55.0, "ircut": "AUTO"}),
)


def capabilities(c: Camera):
    return E("timg:Capabilities", ImageStabilization=False, Presets=True, AdaptablePreset=False)


svc.capabilities = capabilities


def source(call: Call) -> VideoSource:
    token = text(call.body, "VideoSourceToken")
    vs = call.camera.video_source(token)
    if vs is None:
        raise invalid_arg("NoSource", f"no video source {token!r}")
    if not vs.has_imaging:
        raise not_supported("NoImagingForSource", f"video source {token!r} has no imaging")
    return vs


def focus_source(call: Call) -> VideoSource:
    """The video source of a focus move, stop or status: one with a remote focus."""
    vs = source(call)
    if not vs.remote_focus:
        raise not_supported(None, f"video source {vs.token!r} has a fixed focus")
    return vs


def focus_axis(call: Call, vs: VideoSource) -> Axis:
    axes = call.rt.focus
    if vs.token not in axes:
        axes[vs.token] = Axis(0.0, 1.0, FOCUS_SPEED, pos0=vs.focus_position)
    return axes[vs.token]


def settings_xml(s: Imaging, tag: str):
    return E(
        tag,
        E("tt:BacklightCompensation", E("tt:Mode", s.backlight_mode)),
        E("tt:Brightness", s.brightness),
        E("tt:ColorSaturation", s.saturation),
        E("tt:Contrast", s.contrast),
        E(
            "tt:Exposure",
            E("tt:Mode", s.exposure_mode),
            E("tt:ExposureTime", s.exposure_time),
            E("tt:Gain", s.gain),
            E("tt:Iris", s.iris),
        ),
        E("tt:Focus", E("tt:AutoFocusMode", s.focus_mode), E("tt:DefaultSpeed", s.focus_speed)),
        E("tt:IrCutFilter", s.ircut),
        E("tt:Sharpness", s.sharpness),
        E("tt:WideDynamicRange", E("tt:Mode", s.wdr_mode), E("tt:Level", s.wdr_level)),
        E(
            "tt:WhiteBalance",
            E("tt:Mode", s.wb_mode),
            E("tt:CrGain", s.cr_gain),
            E("tt:CbGain", s.cb_gain),
        ),
    )


def _num(el, name: str, key: str, current: float) -> float:
    value = parse_float(text(el, name), current)
    lo, hi = RANGES[key]
    if not lo <= value <= hi:
        raise invalid_arg("SettingsInvalid", f"{name} must lie in [{lo}, {hi}]")
    return value


def _mode(el, name: str, allowed: tuple[str, ...], current: str) -> str:
    value = text(el, name, current)
    if value not in allowed:
        raise invalid_arg("SettingsInvalid", f"{name} must be one of {allowed}")
    return value


def apply_settings(s: Imaging, el) -> Imaging:
    """A copy of ``s`` updated from an ImagingSettings20 element (every field optional)."""
    n = Imaging(**vars(s))
    n.brightness = _num(el, "Brightness", "Brightness", s.brightness)
    n.saturation = _num(el, "ColorSaturation", "ColorSaturation", s.saturation)
    n.contrast = _num(el, "Contrast", "Contrast", s.contrast)
    n.sharpness = _num(el, "Sharpness", "Sharpness", s.sharpness)
    n.ircut = _mode(el, "IrCutFilter", ("ON", "OFF", "AUTO"), s.ircut)
    if (b := child(el, "BacklightCompensation")) is not None:
        n.backlight_mode = _mode(b, "Mode", ("OFF", "ON"), s.backlight_mode)
    if (x := child(el, "Exposure")) is not None:
        n.exposure_mode = _mode(x, "Mode", ("AUTO", "MANUAL"), s.exposure_mode)
        n.exposure_time = _num(x, "ExposureTime", "ExposureTime", s.exposure_time)
        n.gain = _num(x, "Gain", "Gain", s.gain)
        n.iris = _num(x, "Iris", "Iris", s.iris)
    if (f := child(el, "Focus")) is not None:
        n.focus_mode = _mode(f, "AutoFocusMode", ("AUTO", "MANUAL"), s.focus_mode)
        n.focus_speed = parse_float(text(f, "DefaultSpeed"), s.focus_speed)
        if not 0 < n.focus_speed <= 1:
            raise invalid_arg("SettingsInvalid", "DefaultSpeed must lie in (0, 1]")
    if (w := child(el, "WideDynamicRange")) is not None:
        n.wdr_mode = _mode(w, "Mode", ("OFF", "ON"), s.wdr_mode)
        n.wdr_level = _num(w, "Level", "WdrLevel", s.wdr_level)
    if (wb := child(el, "WhiteBalance")) is not None:
        n.wb_mode = _mode(wb, "Mode", ("AUTO", "MANUAL"), s.wb_mode)
        n.cr_gain = _num(wb, "CrGain", "Gains", s.cr_gain)
        n.cb_gain = _num(wb, "CbGain", "Gains", s.cb_gain)
    return n


@svc.op("GetServiceCapabilities", PRE_AUTH)
def get_service_capabilities(call: Call):
    return E("timg:GetServiceCapabilitiesResponse", capabilities(call.camera))


@svc.op("GetImagingSettings", READ_MEDIA)
def get_imaging_settings(call: Call):
    vs = source(call)
    return E("timg:GetImagingSettingsResponse", settings_xml(vs.imaging, "timg:ImagingSettings"))


@svc.op("SetImagingSettings", ACTUATE)
def set_imaging_settings(call: Call):
    vs = source(call)
    el = child(call.body, "ImagingSettings")
    if el is None:
        raise invalid_arg("SettingsInvalid", "ImagingSettings missing")
    vs.imaging = apply_settings(vs.imaging, el)
    vs.imaging.current_preset = ""  # settings no longer match a preset
    return E("timg:SetImagingSettingsResponse")


@svc.op("GetOptions", READ_MEDIA)
def get_options(call: Call):
    source(call)
    rng = lambda tag, key: E(tag, E("tt:Min", RANGES[key][0]), E("tt:Max", RANGES[key][1]))  # noqa: E731
    opts = E(
        "timg:ImagingOptions",
        E("tt:BacklightCompensation", E("tt:Mode", "OFF"), E("tt:Mode", "ON")),
        rng("tt:Brightness", "Brightness"),
        rng("tt:ColorSaturation", "ColorSaturation"),
        rng("tt:Contrast", "Contrast"),
        E(
            "tt:Exposure",
            E("tt:Mode", "AUTO"),
            E("tt:Mode", "MANUAL"),
            rng("tt:ExposureTime", "ExposureTime"),
            rng("tt:Gain", "Gain"),
            rng("tt:Iris", "Iris"),
        ),
        E(
            "tt:Focus",
            E("tt:AutoFocusModes", "AUTO"),
            E("tt:AutoFocusModes", "MANUAL"),
            E("tt:DefaultSpeed", E("tt:Min", 0.1), E("tt:Max", 1.0)),
        ),
        [E("tt:IrCutFilterModes", m) for m in ("ON", "OFF", "AUTO")],
        rng("tt:Sharpness", "Sharpness"),
        E(
            "tt:WideDynamicRange",
            E("tt:Mode", "OFF"),
            E("tt:Mode", "ON"),
            rng("tt:Level", "WdrLevel"),
        ),
        E(
            "tt:WhiteBalance",
            E("tt:Mode", "AUTO"),
            E("tt:Mode", "MANUAL"),
            rng("tt:YrGain", "Gains"),
            rng("tt:YbGain", "Gains"),
        ),
    )
    return E("timg:GetOptionsResponse", opts)


def preset_xml(vs: VideoSource, suffix: str, kind: str, name: str, tag: str = "timg:Preset"):
    return E(tag, E("timg:Name", name), token=f"{vs.token}_ImagingPreset_{suffix}", type=kind)


@svc.op("GetPresets", READ_MEDIA)
def get_presets(call: Call):
    vs = source(call)
    return E("timg:GetPresetsResponse", [preset_xml(vs, *p[:3]) for p in PRESETS])


@svc.op("GetCurrentPreset", READ_MEDIA)
def get_current_preset(call: Call):
    vs = source(call)
    current = next(
        (p for p in PRESETS if preset_xml(vs, *p[:3]).get("token") == vs.imaging.current_preset),
        None,
    )
    return E("timg:GetCurrentPresetResponse", preset_xml(vs, *current[:3]) if current else None)


@svc.op("SetCurrentPreset", ACTUATE)
def set_current_preset(call: Call):
    vs = source(call)
    token = text(call.body, "PresetToken")
    for p in PRESETS:
        if f"{vs.token}_ImagingPreset_{p[0]}" == token:
            for key, value in p[3].items():
                setattr(vs.imaging, key, value)
            vs.imaging.current_preset = token
            return E("timg:SetCurrentPresetResponse")
    raise invalid_arg("NoImagingPreset", f"no imaging preset {token!r}")


@svc.op("GetMoveOptions", READ_MEDIA)
def get_move_options(call: Call):
    if not source(call).remote_focus:  # empty: focus moves are not supported (clause 7.4.2)
        return E("timg:GetMoveOptionsResponse", E("timg:MoveOptions"))
    unit = lambda tag, lo=0.0: E(tag, E("tt:Min", lo), E("tt:Max", 1.0))  # noqa: E731
    opts = E(
        "timg:MoveOptions",
        E("tt:Absolute", unit("tt:Position"), unit("tt:Speed", 0.1)),
        E("tt:Relative", unit("tt:Distance", -1.0), unit("tt:Speed", 0.1)),
        E("tt:Continuous", unit("tt:Speed", -1.0)),
    )
    return E("timg:GetMoveOptionsResponse", opts)


@svc.op("Move", ACTUATE)
def move(call: Call):
    vs = focus_source(call)
    focus = child(call.body, "Focus")
    axis, moment = focus_axis(call, vs), now()
    absolute, relative = child(focus, "Absolute"), child(focus, "Relative")
    continuous = child(focus, "Continuous")

    def checked(value: float | None, lo: float, name: str) -> float:
        if value is None or not lo <= value <= 1.0:
            raise invalid_arg("SettingsInvalid", f"{name} must lie in [{lo}, 1]")
        return value

    if absolute is not None:
        pos = checked(parse_float(text(absolute, "Position")), 0.0, "Position")
        speed = checked(parse_float(text(absolute, "Speed"), vs.imaging.focus_speed), 0.0, "Speed")
        axis.move_to(moment, pos, speed)
    elif relative is not None:
        dist = checked(parse_float(text(relative, "Distance")), -1.0, "Distance")
        speed = checked(parse_float(text(relative, "Speed"), vs.imaging.focus_speed), 0.0, "Speed")
        axis.move_to(moment, axis.position(moment) + dist, speed)
    elif continuous is not None:
        speed = checked(parse_float(text(continuous, "Speed")), -1.0, "Speed")
        axis.move_velocity(moment, speed, 3600.0)
    else:
        raise invalid_arg("SettingsInvalid", "Focus needs Absolute, Relative or Continuous")
    vs.imaging.focus_mode = "MANUAL"  # any manual focus move switches autofocus off
    return E("timg:MoveResponse")


@svc.op("Stop", ACTUATE)
def stop(call: Call):
    vs = focus_source(call)
    axis = focus_axis(call, vs)
    axis.stop(now())
    vs.focus_position = axis.position()
    return E("timg:StopResponse")


@svc.op("GetStatus", READ_MEDIA)
def get_status(call: Call):
    vs = focus_source(call)
    axis = focus_axis(call, vs)
    status = E(
        "tt:FocusStatus20",
        E("tt:Position", axis.position()),
        E("tt:MoveStatus", "MOVING" if axis.moving() else "IDLE"),
    )
    return E("timg:GetStatusResponse", E("timg:Status", status))
