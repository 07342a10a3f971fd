"""On-screen displays: GetOSDs, GetOSDOptions, CreateOSD, SetOSD, DeleteOSD (Media2 6.10;
Media1 has the same operations, 6.14). Every answer is read defensively: an OSD without a
token or source is dropped, unknown positions and types are kept as text for the page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cameras.onvif.config_read import num, plain_text, rng, texts, whole
from cameras.onvif.media import media_service
from cameras.onvif.overlay_types import Color, Osd, OsdColor, OsdColorOptions, OsdOptions

if TYPE_CHECKING:
    from cameras.onvif.client import OnvifClient

MAX_TYPES = ("PlainText", "Date", "Time", "DateAndTime", "Image")


def read_color(node: Any) -> Color | None:
    x, y, z = (num(getattr(node, a, None)) for a in ("X", "Y", "Z"))
    if x is None or y is None or z is None:
        return None
    return Color(x, y, z, str(getattr(node, "Colorspace", "") or ""))


def _osd_color(node: Any) -> OsdColor | None:
    color = read_color(getattr(node, "Color", None))
    return None if color is None else OsdColor(color, whole(getattr(node, "Transparent", None)))


def read_osd(node: Any) -> Osd | None:
    token = plain_text(getattr(node, "token", ""))
    source = plain_text(getattr(node, "VideoSourceConfigurationToken", ""))
    if not token or not source:
        return None
    position = getattr(node, "Position", None)
    pos = getattr(position, "Pos", None)
    x, y = num(getattr(pos, "x", None)), num(getattr(pos, "y", None))
    text = getattr(node, "TextString", None)
    font_size = whole(getattr(text, "FontSize", None))
    persistent = getattr(text, "IsPersistentText", None)
    return Osd(
        token=token,
        source_token=source,
        type=str(getattr(node, "Type", "") or "Text"),
        position=str(getattr(position, "Type", "") or "UpperLeft"),
        point=(max(-1.0, min(1.0, x)), max(-1.0, min(1.0, y)))
        if x is not None and y is not None
        else None,
        text_type=str(getattr(text, "Type", "") or "Plain"),
        plain_text=str(getattr(text, "PlainText", "") or ""),
        date_format=str(getattr(text, "DateFormat", "") or ""),
        time_format=str(getattr(text, "TimeFormat", "") or ""),
        font_size=font_size if font_size is not None and font_size > 0 else None,
        font_color=_osd_color(getattr(text, "FontColor", None)),
        background_color=_osd_color(getattr(text, "BackgroundColor", None)),
        persistent=None if persistent is None else bool(persistent),
        image_path=str(getattr(getattr(node, "Image", None), "ImgPath", "") or ""),
    )


def read_colors(node: Any) -> tuple[Color, ...]:
    """tt:ColorOptions: the listed colours (colour space ranges are not offered as choices)."""
    found = (read_color(c) for c in getattr(node, "ColorList", None) or [])
    return tuple(c for c in found if c is not None)


def _color_options(node: Any) -> OsdColorOptions | None:
    if node is None:
        return None
    return OsdColorOptions(
        read_colors(getattr(node, "Color", None)), rng(getattr(node, "Transparent", None))
    )


def read_osd_options(node: Any) -> OsdOptions:
    limits = getattr(node, "MaximumNumberOfOSDs", None)
    by_type = {t: n for t in MAX_TYPES if (n := whole(getattr(limits, t, None))) is not None}
    text = getattr(node, "TextOption", None)
    image = getattr(node, "ImageOption", None)
    total = whole(getattr(limits, "Total", None))
    return OsdOptions(
        max_total=max(total or 0, 0),
        max_by_type={t: n for t, n in by_type.items() if n >= 0},
        types=texts(getattr(node, "Type", None)),
        positions=texts(getattr(node, "PositionOption", None)),
        text_types=texts(getattr(text, "Type", None)),
        font_size=rng(getattr(text, "FontSizeRange", None)),
        date_formats=tuple(str(f) for f in getattr(text, "DateFormat", None) or [] if f),
        time_formats=tuple(str(f) for f in getattr(text, "TimeFormat", None) or [] if f),
        font_colors=_color_options(getattr(text, "FontColor", None)),
        background_colors=_color_options(getattr(text, "BackgroundColor", None)),
        image_paths=tuple(str(p) for p in getattr(image, "ImagePath", None) or [] if p),
    )


def _color(color: Color) -> dict[str, Any]:
    data: dict[str, Any] = {"X": color.x, "Y": color.y, "Z": color.z}
    if color.colorspace:
        data["Colorspace"] = color.colorspace
    return data


def _osd_color_out(value: OsdColor | None) -> dict[str, Any] | None:
    if value is None:
        return None
    data: dict[str, Any] = {"Color": _color(value.color)}
    if value.transparent is not None:
        data["Transparent"] = value.transparent
    return data


def write_osd(osd: Osd) -> dict[str, Any]:
    """tt:OSDConfiguration for CreateOSD/SetOSD."""
    position: dict[str, Any] = {"Type": osd.position}
    if osd.position == "Custom" and osd.point is not None:
        position["Pos"] = {"x": osd.point[0], "y": osd.point[1]}
    data: dict[str, Any] = {
        "token": osd.token or "new",  # CreateOSD: the camera ignores it and assigns one
        "VideoSourceConfigurationToken": osd.source_token,
        "Type": osd.type,
        "Position": position,
    }
    if osd.type == "Text":
        text: dict[str, Any] = {"Type": osd.text_type}
        if "Date" in osd.text_type:
            text["DateFormat"] = osd.date_format
        if osd.text_type.endswith("Time"):
            text["TimeFormat"] = osd.time_format
        if osd.font_size:
            text["FontSize"] = osd.font_size
        text["FontColor"] = _osd_color_out(osd.font_color)
        text["BackgroundColor"] = _osd_color_out(osd.background_color)
        if osd.text_type == "Plain":
            text["PlainText"] = osd.plain_text
            if osd.persistent is not None:
                text["IsPersistentText"] = osd.persistent
        data["TextString"] = {k: v for k, v in text.items() if v is not None}
    elif osd.type == "Image":
        data["Image"] = {"ImgPath": osd.image_path}
    return data


async def get_osds(client: OnvifClient, configuration_token: str | None = None) -> list[Osd]:
    """GetOSDs, of one video source configuration or all."""
    args = {"ConfigurationToken": configuration_token} if configuration_token else {}
    answer = await client.call(media_service(client), "GetOSDs", **args)
    return [osd for node in answer or [] if (osd := read_osd(node)) is not None]


async def get_osd_options(client: OnvifClient, configuration_token: str) -> OsdOptions:
    answer = await client.call(
        media_service(client), "GetOSDOptions", ConfigurationToken=configuration_token
    )
    return read_osd_options(getattr(answer, "OSDOptions", answer))  # Media1 keeps the wrapper


async def create_osd(client: OnvifClient, osd: Osd) -> str:
    """CreateOSD; the token the camera gave the new OSD."""
    answer = await client.call(media_service(client), "CreateOSD", OSD=write_osd(osd))
    return plain_text(getattr(answer, "OSDToken", answer))


async def set_osd(client: OnvifClient, osd: Osd) -> None:
    await client.call(media_service(client), "SetOSD", OSD=write_osd(osd))


async def delete_osd(client: OnvifClient, osd_token: str) -> None:
    await client.call(media_service(client), "DeleteOSD", OSDToken=osd_token)
