"""Privacy masks: GetMasks, GetMaskOptions, CreateMask, SetMask, DeleteMask (Media2 6.11;
Media1 has none). A mask read from the camera keeps only its finite points, clamped to the
normalised window; one with fewer than three is dropped."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cameras.onvif.config_read import num, plain_text, texts, whole
from cameras.onvif.errors import NotSupported
from cameras.onvif.osd import read_color, read_colors
from cameras.onvif.overlay_types import Mask, MaskOptions, Point

if TYPE_CHECKING:
    from cameras.onvif.client import OnvifClient


def _points(polygon: Any) -> tuple[Point, ...]:
    found = []
    for point in getattr(polygon, "Point", None) or []:
        x, y = num(getattr(point, "x", None)), num(getattr(point, "y", None))
        if x is not None and y is not None:
            found.append((max(-1.0, min(1.0, x)), max(-1.0, min(1.0, y))))
    return tuple(found)


def read_mask(node: Any) -> Mask | None:
    token = plain_text(getattr(node, "token", ""))
    source = plain_text(getattr(node, "ConfigurationToken", ""))
    points = _points(getattr(node, "Polygon", None))
    if not token or not source or len(points) < 3:
        return None
    return Mask(
        token=token,
        source_token=source,
        points=points,
        type=str(getattr(node, "Type", "") or "Color"),
        color=read_color(getattr(node, "Color", None)),
        enabled=getattr(node, "Enabled", True) not in (False, "false", "0"),
    )


def read_mask_options(node: Any) -> MaskOptions:
    return MaskOptions(
        max_masks=max(whole(getattr(node, "MaxMasks", None)) or 0, 0),
        max_points=max(whole(getattr(node, "MaxPoints", None)) or 0, 0),
        types=texts(getattr(node, "Types", None)),
        colors=read_colors(getattr(node, "Color", None)),
        rectangle_only=bool(getattr(node, "RectangleOnly", False)),
        single_color_only=bool(getattr(node, "SingleColorOnly", False)),
    )


def write_mask(mask: Mask) -> dict[str, Any]:
    data: dict[str, Any] = {
        "token": mask.token or "new",  # CreateMask: the camera ignores it and assigns one
        "ConfigurationToken": mask.source_token,
        "Polygon": {"Point": [{"x": x, "y": y} for x, y in mask.points]},
        "Type": mask.type,
        "Enabled": mask.enabled,
    }
    if mask.color is not None:
        data["Color"] = {"X": mask.color.x, "Y": mask.color.y, "Z": mask.color.z}
        if mask.color.colorspace:
            data["Color"]["Colorspace"] = mask.color.colorspace
    return data


def _media2(client: OnvifClient) -> str:
    if not client.offers("media2"):
        raise NotSupported("The camera has no Media2 service: privacy masks need it.")
    return "media2"


async def get_masks(client: OnvifClient, configuration_token: str | None = None) -> list[Mask]:
    args = {"ConfigurationToken": configuration_token} if configuration_token else {}
    answer = await client.call(_media2(client), "GetMasks", **args)
    return [mask for node in answer or [] if (mask := read_mask(node)) is not None]


async def get_mask_options(client: OnvifClient, configuration_token: str) -> MaskOptions:
    answer = await client.call(
        _media2(client), "GetMaskOptions", ConfigurationToken=configuration_token
    )
    return read_mask_options(answer)


async def create_mask(client: OnvifClient, mask: Mask) -> str:
    """CreateMask; the token the camera gave the new mask."""
    answer = await client.call(_media2(client), "CreateMask", Mask=write_mask(mask))
    return plain_text(getattr(answer, "Token", answer))


async def set_mask(client: OnvifClient, mask: Mask) -> None:
    await client.call(_media2(client), "SetMask", Mask=write_mask(mask))


async def delete_mask(client: OnvifClient, token: str) -> None:
    await client.call(_media2(client), "DeleteMask", Token=token)
