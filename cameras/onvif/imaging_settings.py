"""Imaging settings, options, presets and status (clause 7): GetImagingSettings,
SetImagingSettings, GetOptions, GetPresets, GetCurrentPreset, SetCurrentPreset, GetStatus.

ImagingSettings20 has many optional parts, nested in extensions; the VMS names each value it
edits by a flat key (`IMAGING_FIELDS`: where the value sits in the settings, where its range
or choices sit in the options). Settings are a {key: value} dict of what the camera reported;
options a {key: Range | tuple of choices} of what it offers: a page shows a control for each
offered key only. A change is written onto the camera's own settings (read, changed, sent
back), so what the VMS does not model is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from zeep.helpers import serialize_object

from cameras.onvif.config_read import num, plain_text, rng, texts
from cameras.onvif.config_types import Range

if TYPE_CHECKING:
    from cameras.onvif.client import OnvifClient

RANGE, CHOICE = "range", "choice"
EXT, EXT2, EXT3 = (
    ("Extension",),
    ("Extension", "Extension"),
    ("Extension", "Extension", "Extension"),
)


@dataclass(frozen=True)
class ImagingField:
    key: str
    label: str
    kind: str  # RANGE or CHOICE
    settings: tuple[str, ...]  # path in tt:ImagingSettings20
    options: tuple[str, ...]  # path in tt:ImagingOptions20
    group: str


def _f(
    key: str,
    label: str,
    kind: str,
    settings: tuple[str, ...],
    options: tuple[str, ...] | None = None,
    group: str = "",
) -> ImagingField:
    return ImagingField(key, label, kind, settings, options or settings, group)


IMAGING_FIELDS = (
    _f("brightness", "Brightness", RANGE, ("Brightness",), group="Picture"),
    _f("contrast", "Contrast", RANGE, ("Contrast",), group="Picture"),
    _f("saturation", "Colour saturation", RANGE, ("ColorSaturation",), group="Picture"),
    _f("sharpness", "Sharpness", RANGE, ("Sharpness",), group="Picture"),
    _f(
        "ir_cut_filter",
        "IR cut filter",
        CHOICE,
        ("IrCutFilter",),
        ("IrCutFilterModes",),
        "Day and night",
    ),
    _f(
        "ir_cut_boundary_type",
        "Switch IR cut at",
        CHOICE,
        (*EXT2, "IrCutFilterAutoAdjustment", "BoundaryType"),
        group="Day and night",
    ),
    _f(
        "ir_cut_boundary_offset",
        "Switching point offset",
        RANGE,
        (*EXT2, "IrCutFilterAutoAdjustment", "BoundaryOffset"),
        group="Day and night",
    ),
    _f("exposure_mode", "Exposure", CHOICE, ("Exposure", "Mode"), group="Exposure"),
    _f("exposure_priority", "Priority", CHOICE, ("Exposure", "Priority"), group="Exposure"),
    *(
        _f(
            f"exposure_window_{side}",
            f"Metering window {side}",
            RANGE,
            ("Exposure", "Window", side),
            group="Exposure",
        )
        for side in ("top", "bottom", "left", "right")
    ),
    _f(
        "exposure_time", "Exposure time (µs)", RANGE, ("Exposure", "ExposureTime"), group="Exposure"
    ),
    _f("gain", "Gain (dB)", RANGE, ("Exposure", "Gain"), group="Exposure"),
    _f("iris", "Iris (dB)", RANGE, ("Exposure", "Iris"), group="Exposure"),
    _f(
        "min_exposure_time",
        "Shortest exposure (µs)",
        RANGE,
        ("Exposure", "MinExposureTime"),
        group="Exposure",
    ),
    _f(
        "max_exposure_time",
        "Longest exposure (µs)",
        RANGE,
        ("Exposure", "MaxExposureTime"),
        group="Exposure",
    ),
    _f("min_gain", "Lowest gain (dB)", RANGE, ("Exposure", "MinGain"), group="Exposure"),
    _f("max_gain", "Highest gain (dB)", RANGE, ("Exposure", "MaxGain"), group="Exposure"),
    _f("min_iris", "Smallest iris (dB)", RANGE, ("Exposure", "MinIris"), group="Exposure"),
    _f("max_iris", "Largest iris (dB)", RANGE, ("Exposure", "MaxIris"), group="Exposure"),
    _f(
        "focus_mode",
        "Focus",
        CHOICE,
        ("Focus", "AutoFocusMode"),
        ("Focus", "AutoFocusModes"),
        "Focus",
    ),
    _f("focus_speed", "Focus speed", RANGE, ("Focus", "DefaultSpeed"), group="Focus"),
    _f("focus_near", "Near limit (m)", RANGE, ("Focus", "NearLimit"), group="Focus"),
    _f("focus_far", "Far limit (m)", RANGE, ("Focus", "FarLimit"), group="Focus"),
    _f("wdr_mode", "Wide dynamic range", CHOICE, ("WideDynamicRange", "Mode"), group="Light"),
    _f("wdr_level", "WDR level", RANGE, ("WideDynamicRange", "Level"), group="Light"),
    _f(
        "backlight_mode",
        "Backlight compensation",
        CHOICE,
        ("BacklightCompensation", "Mode"),
        group="Light",
    ),
    _f(
        "backlight_level",
        "Backlight level",
        RANGE,
        ("BacklightCompensation", "Level"),
        group="Light",
    ),
    _f("white_balance_mode", "White balance", CHOICE, ("WhiteBalance", "Mode"), group="Colour"),
    _f(
        "cr_gain",
        "Red gain",
        RANGE,
        ("WhiteBalance", "CrGain"),
        ("WhiteBalance", "YrGain"),
        "Colour",
    ),
    _f(
        "cb_gain",
        "Blue gain",
        RANGE,
        ("WhiteBalance", "CbGain"),
        ("WhiteBalance", "YbGain"),
        "Colour",
    ),
    _f(
        "stabilization_mode",
        "Image stabilization",
        CHOICE,
        (*EXT, "ImageStabilization", "Mode"),
        group="Enhancements",
    ),
    _f(
        "stabilization_level",
        "Stabilization level",
        RANGE,
        (*EXT, "ImageStabilization", "Level"),
        group="Enhancements",
    ),
    _f(
        "tone_mode",
        "Tone compensation",
        CHOICE,
        (*EXT3, "ToneCompensation", "Mode"),
        (*EXT3, "ToneCompensationOptions", "Mode"),
        "Enhancements",
    ),
    _f(
        "tone_level",
        "Tone compensation level",
        RANGE,
        (*EXT3, "ToneCompensation", "Level"),
        (*EXT3, "ToneCompensationOptions", "Level"),
        "Enhancements",
    ),
    _f(
        "defogging_mode",
        "Defogging",
        CHOICE,
        (*EXT3, "Defogging", "Mode"),
        (*EXT3, "DefoggingOptions", "Mode"),
        "Enhancements",
    ),
    _f(
        "defogging_level",
        "Defogging level",
        RANGE,
        (*EXT3, "Defogging", "Level"),
        (*EXT3, "DefoggingOptions", "Level"),
        "Enhancements",
    ),
    _f(
        "noise_reduction",
        "Noise reduction",
        RANGE,
        (*EXT3, "NoiseReduction", "Level"),
        (*EXT3, "NoiseReductionOptions", "Level"),
        "Enhancements",
    ),
)
BY_KEY = {f.key: f for f in IMAGING_FIELDS}
# The exposure window (tt:Rectangle, -1 to 1 over the picture) has no options: it is offered
# when the camera's settings carry one.
WINDOW_KEYS = tuple(f"exposure_window_{side}" for side in ("top", "bottom", "left", "right"))
# Options that only say "supported": the range the standard gives the value.
FLAG_RANGES = {"ir_cut_boundary_offset": Range(-1.0, 1.0)}
Settings = dict[str, float | str]
OptionValue = Range | tuple[str, ...]


@dataclass(frozen=True)
class ImagingPreset:
    token: str
    name: str
    type: str  # tt:ImagingPresetType: Custom, ClearWeather, Night, Indoor, ...


@dataclass(frozen=True)
class ImagingStatus:
    focus_position: float | None
    focus_move_status: str  # IDLE, MOVING, UNKNOWN
    focus_error: str = ""


def _at(node: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        if isinstance(node, list):  # IrCutFilterAutoAdjustment may repeat: the first one
            node = node[0] if node else None
        if node is None:
            return None
        node = node.get(name) if isinstance(node, dict) else getattr(node, name, None)
    return node


def read_settings(node: Any) -> Settings:
    found: Settings = {}
    for f in IMAGING_FIELDS:
        value = _at(node, f.settings)
        if f.kind == RANGE and (number := num(value)) is not None:
            found[f.key] = number
        elif f.kind == CHOICE and value is not None and (text := plain_text(value)):
            found[f.key] = text
    return found


def read_options(node: Any) -> dict[str, OptionValue]:
    """What the camera offers, by key; a Level offered as a bare `true` (tone compensation,
    defogging, noise reduction) is the range 0 to 1 the standard gives it."""
    found: dict[str, OptionValue] = {}
    for f in IMAGING_FIELDS:
        value = _at(node, f.options)
        if value is None:
            continue
        if f.kind == CHOICE:
            choices = texts(value)
            if choices:
                found[f.key] = choices
        elif value is True or value == "true":
            found[f.key] = FLAG_RANGES.get(f.key, Range(0.0, 1.0))
        elif (span := rng(value)) is not None:
            found[f.key] = span
    return found


def write_settings(current: Any, changes: Settings) -> dict[str, Any]:
    """The camera's settings `current` as a dict carrying `changes`."""
    data = serialize_object(current, dict) if current is not None else {}
    data = data if isinstance(data, dict) else {}
    for key, value in changes.items():
        path = BY_KEY[key].settings
        node = data
        for name in path[:-1]:
            child = node.get(name)
            if isinstance(child, list) and child and isinstance(child[0], dict):
                child = child[0]  # a repeated part: its first occurrence
            elif not isinstance(child, dict):
                child = {}
                node[name] = child
            node = child
        node[path[-1]] = value
    return data


async def get_imaging_settings(client: OnvifClient, video_source_token: str) -> Settings:
    answer = await client.call("imaging", "GetImagingSettings", VideoSourceToken=video_source_token)
    return read_settings(answer)


async def set_imaging_settings(
    client: OnvifClient, video_source_token: str, changes: Settings
) -> None:
    """Change the keys of `changes`, keeping everything else as the camera has it."""
    current = await client.call(
        "imaging", "GetImagingSettings", VideoSourceToken=video_source_token
    )
    await client.call(
        "imaging",
        "SetImagingSettings",
        VideoSourceToken=video_source_token,
        ImagingSettings=write_settings(current, changes),
        ForcePersistence=True,
    )


def with_window(options: dict[str, OptionValue], settings: Settings) -> dict[str, OptionValue]:
    """`options` with the exposure window's sides when the settings have a window."""
    if all(key in settings for key in WINDOW_KEYS):
        return options | {key: Range(-1.0, 1.0) for key in WINDOW_KEYS}
    return options


async def get_options(client: OnvifClient, video_source_token: str) -> dict[str, OptionValue]:
    answer = await client.call("imaging", "GetOptions", VideoSourceToken=video_source_token)
    return read_options(answer)


def _preset(node: Any) -> ImagingPreset | None:
    token = plain_text(getattr(node, "token", ""))
    if not token:
        return None
    name = plain_text(getattr(node, "Name", "")) or token
    return ImagingPreset(token, name, plain_text(getattr(node, "type", "")))


async def get_presets(client: OnvifClient, video_source_token: str) -> list[ImagingPreset]:
    answer = await client.call("imaging", "GetPresets", VideoSourceToken=video_source_token)
    return [p for node in answer or [] if (p := _preset(node)) is not None]


async def get_current_preset(client: OnvifClient, video_source_token: str) -> ImagingPreset | None:
    """The preset in use; None when none is (settings changed since) or the camera says none."""
    answer = await client.call("imaging", "GetCurrentPreset", VideoSourceToken=video_source_token)
    return None if answer is None else _preset(answer)


async def set_current_preset(
    client: OnvifClient, video_source_token: str, preset_token: str
) -> None:
    await client.call(
        "imaging",
        "SetCurrentPreset",
        VideoSourceToken=video_source_token,
        PresetToken=preset_token,
    )


async def get_status(client: OnvifClient, video_source_token: str) -> ImagingStatus:
    answer = await client.call("imaging", "GetStatus", VideoSourceToken=video_source_token)
    focus = getattr(answer, "FocusStatus20", None)
    return ImagingStatus(
        focus_position=num(getattr(focus, "Position", None)),
        focus_move_status=plain_text(getattr(focus, "MoveStatus", "")).upper() or "UNKNOWN",
        focus_error=plain_text(getattr(focus, "Error", "")),
    )
