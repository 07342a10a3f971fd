"""Imaging service reads used by the device sync."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cameras.onvif.types import ImagingOptions

if TYPE_CHECKING:
    from cameras.onvif.client import OnvifClient

RANGES = ("Brightness", "ColorSaturation", "Contrast", "Sharpness")


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
