"""Imaging service (clause 7): the reads used by the device sync, and the focus moves, stop,
status and auto-focus switch used by PTZ control (ptz.control)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cameras.onvif.types import FocusMoveOptions, ImagingOptions

if TYPE_CHECKING:
    from cameras.onvif.client import OnvifClient

RANGES = ("Brightness", "ColorSaturation", "Contrast", "Sharpness")
AUTO, MANUAL = "AUTO", "MANUAL"  # tt:AutoFocusMode


def _range(value: Any) -> tuple[float, float] | None:
    if value is None or value.Min is None or value.Max is None:
        return None
    return float(value.Min), float(value.Max)


async def get_options(client: OnvifClient, video_source_token: str) -> ImagingOptions:
    answer = await client.call("imaging", "GetOptions", VideoSourceToken=video_source_token)
    ranges = {name: r for name in RANGES if (r := _range(getattr(answer, name, None)))}
    modes: dict[str, tuple[str, ...]] = {}
    if answer.IrCutFilterModes:
        modes["IrCutFilterModes"] = tuple(str(m) for m in answer.IrCutFilterModes)
    focus = getattr(answer, "Focus", None)
    focus_modes = tuple(str(m) for m in getattr(focus, "AutoFocusModes", None) or [])
    return ImagingOptions(video_source_token, ranges, modes, focus_modes)


# -- focus (clause 7.4) -------------------------------------------------------------------------
# Positions, distances and speeds are in the camera's own units (GetMoveOptions gives the
# ranges). A continuous focus move has no timeout in ONVIF: it runs until Stop (or another move).


@dataclass(frozen=True)
class ContinuousFocus:
    speed: float  # signed: below 0 towards near, above 0 towards far


@dataclass(frozen=True)
class RelativeFocus:
    distance: float  # signed
    speed: float | None = None


@dataclass(frozen=True)
class AbsoluteFocus:
    position: float
    speed: float | None = None


FocusMove = ContinuousFocus | RelativeFocus | AbsoluteFocus


@dataclass(frozen=True)
class FocusStatus:
    position: float | None
    move_status: str  # IDLE, MOVING or UNKNOWN
    error: str = ""

    @property
    def moving(self) -> bool:
        return self.move_status == "MOVING"


@dataclass(frozen=True)
class FocusSettings:
    """The focus part of GetImagingSettings."""

    auto_focus_mode: str | None  # AUTO, MANUAL, or None when the camera gives none
    default_speed: float | None = None
    near_limit: float | None = None
    far_limit: float | None = None

    @property
    def auto(self) -> bool:
        return self.auto_focus_mode == AUTO


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _with_speed(fields: dict[str, Any], speed: float | None) -> dict[str, Any]:
    return fields if speed is None else fields | {"Speed": speed}


async def get_move_options(client: OnvifClient, video_source_token: str) -> FocusMoveOptions:
    """An empty answer (all ranges None) means the source has no remote focus."""
    answer = await client.call("imaging", "GetMoveOptions", VideoSourceToken=video_source_token)
    absolute = getattr(answer, "Absolute", None)
    relative = getattr(answer, "Relative", None)
    continuous = getattr(answer, "Continuous", None)
    return FocusMoveOptions(
        absolute_position=_range(getattr(absolute, "Position", None)),
        absolute_speed=_range(getattr(absolute, "Speed", None)),
        relative_distance=_range(getattr(relative, "Distance", None)),
        relative_speed=_range(getattr(relative, "Speed", None)),
        continuous_speed=_range(getattr(continuous, "Speed", None)),
    )


async def move(client: OnvifClient, video_source_token: str, focus: FocusMove) -> None:
    """Start a focus move; the camera switches auto focus off (clause 7.4.1)."""
    if isinstance(focus, ContinuousFocus):
        request: dict[str, Any] = {"Continuous": {"Speed": focus.speed}}
    elif isinstance(focus, RelativeFocus):
        request = {"Relative": _with_speed({"Distance": focus.distance}, focus.speed)}
    else:
        request = {"Absolute": _with_speed({"Position": focus.position}, focus.speed)}
    await client.call("imaging", "Move", VideoSourceToken=video_source_token, Focus=request)


async def stop(client: OnvifClient, video_source_token: str) -> None:
    """Stop every manual focus move (auto focus, if on, goes on)."""
    await client.call("imaging", "Stop", VideoSourceToken=video_source_token)


async def get_status(client: OnvifClient, video_source_token: str) -> FocusStatus:
    answer = await client.call("imaging", "GetStatus", VideoSourceToken=video_source_token)
    focus = getattr(answer, "FocusStatus20", None)
    return FocusStatus(
        position=_float(getattr(focus, "Position", None)),
        move_status=str(getattr(focus, "MoveStatus", None) or "UNKNOWN").upper(),
        error=str(getattr(focus, "Error", None) or ""),
    )


async def get_imaging_settings(client: OnvifClient, video_source_token: str) -> FocusSettings:
    answer = await client.call("imaging", "GetImagingSettings", VideoSourceToken=video_source_token)
    focus = getattr(answer, "Focus", None)
    mode = getattr(focus, "AutoFocusMode", None)
    return FocusSettings(
        auto_focus_mode=str(mode).upper() if mode is not None else None,
        default_speed=_float(getattr(focus, "DefaultSpeed", None)),
        near_limit=_float(getattr(focus, "NearLimit", None)),
        far_limit=_float(getattr(focus, "FarLimit", None)),
    )


async def set_imaging_settings(
    client: OnvifClient, video_source_token: str, *, auto_focus: bool
) -> None:
    """Switch auto focus on or off. Only the Focus part is sent (every part of
    ImagingSettings20 is optional); its other fields are sent back as the camera gave them,
    for cameras that reset what a request leaves out."""
    current = await get_imaging_settings(client, video_source_token)
    focus: dict[str, Any] = {"AutoFocusMode": AUTO if auto_focus else MANUAL}
    for name, value in (
        ("DefaultSpeed", current.default_speed),
        ("NearLimit", current.near_limit),
        ("FarLimit", current.far_limit),
    ):
        if value is not None:
            focus[name] = value
    await client.call(
        "imaging",
        "SetImagingSettings",
        VideoSourceToken=video_source_token,
        ImagingSettings={"Focus": focus},
    )
