"""JSON API of privacy masks and OSDs (admins): the editor on the Configure page uses it.

Writes answer the overlays of the video source configuration as the camera reports them
after the change (GetMasks/GetOSDs), so a client redraws from the camera's truth. 400: a
value outside GetMaskOptions/GetOSDOptions (with the fields), 404: no such device, source
configuration, mask or OSD, 409: the camera has no masks/OSDs or refused in its present
state, 502: the camera could not be reached.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cameras.configure import overlays
from cameras.configure.api import ERRORS, admin_device
from cameras.configure.errors import ConfigError
from cameras.onvif.overlay_types import Color, Mask, Osd, OsdColor
from vms.params import RowId

router = Router(tags=["configuration"])
Number = float


class OverlaysOut(Schema):
    source: dict[str, Any] = Field(description="The video source configuration")
    sources: list[dict[str, Any]]
    profile_token: str = Field(description="A profile streaming this window ('' if none)")
    masks: list[dict[str, Any]]
    mask_options: dict[str, Any] | None = Field(description="GetMaskOptions; null: no masks")
    osds: list[dict[str, Any]]
    osd_options: dict[str, Any] | None = Field(description="GetOSDOptions; null: no OSDs")


class CreatedOut(OverlaysOut):
    token: str


class MaskIn(Schema):
    points: list[tuple[Number, Number]] = Field(
        description="Polygon corners, x and y from -1 to 1 over the window, y upwards"
    )
    type: Literal["Color", "Pixelated", "Blurred"] = "Color"
    color: str | None = Field(None, description='One of the options\' colours: "Y Cb Cr"')
    enabled: bool = True


class OsdIn(Schema):
    type: Literal["Text", "Image"] = "Text"
    position: str = Field("UpperLeft", description="UpperLeft, UpperRight, ..., Custom")
    point: tuple[Number, Number] | None = Field(None, description="For Custom: x, y in -1..1")
    text_type: Literal["Plain", "Date", "Time", "DateAndTime"] = "Plain"
    plain_text: str = Field("", max_length=256)
    date_format: str = ""
    time_format: str = ""
    font_size: int | None = None
    font_color: str | None = Field(None, description='"Y Cb Cr" of the options')
    background_color: str | None = None
    background_transparent: int | None = None
    image_path: str = ""


def _color(key: str | None, name: str) -> Color | None:
    if not key:
        return None
    try:
        x, y, z = (float(v) for v in key.split())
    except ValueError:
        message = f"{name}: write a colour as three numbers, Y Cb Cr."
        raise ConfigError(message, 400, {name: key}) from None
    return Color(x, y, z)


def overlays_json(page: overlays.Overlays) -> dict[str, Any]:
    plain = dataclasses.asdict
    return {
        "source": plain(page.source),
        "sources": [{"token": s.token, "name": s.name} for s in page.sources],
        "profile_token": page.profile_token,
        "masks": [plain(m) for m in page.masks],
        "mask_options": plain(page.mask_options) if page.mask_options else None,
        "osds": [plain(o) for o in page.osds],
        "osd_options": plain(page.osd_options) if page.osd_options else None,
    }


def _mask(source: str, token: str, payload: MaskIn) -> Mask:
    return Mask(
        token=token,
        source_token=source,
        points=tuple((float(x), float(y)) for x, y in payload.points),
        type=payload.type,
        color=_color(payload.color, "color"),
        enabled=payload.enabled,
    )


def _osd(source: str, token: str, payload: OsdIn) -> Osd:
    font = _color(payload.font_color, "font_color")
    background = _color(payload.background_color, "background_color")
    return Osd(
        token=token,
        source_token=source,
        type=payload.type,
        position=payload.position,
        point=payload.point if payload.position == "Custom" else None,
        text_type=payload.text_type,
        plain_text=payload.plain_text,
        date_format=payload.date_format,
        time_format=payload.time_format,
        font_size=payload.font_size,
        font_color=OsdColor(font) if font else None,
        background_color=OsdColor(background, payload.background_transparent)
        if background
        else None,
        image_path=payload.image_path,
    )


BASE = "/devices/{device_id}/media/sources/{source}"


@router.get(
    BASE + "/overlays",
    response={200: OverlaysOut, **ERRORS},
    summary="Privacy masks and OSDs of a video source configuration, with their options",
)
def get_overlays(request: HttpRequest, device_id: RowId, source: str) -> Any:
    return overlays_json(overlays.read_overlays(admin_device(request, device_id), source))


@router.post(BASE + "/masks", response={201: CreatedOut, **ERRORS}, summary="CreateMask")
def create_mask(request: HttpRequest, device_id: RowId, source: str, payload: MaskIn) -> Any:
    device = admin_device(request, device_id)
    token, page = overlays.create_mask(device, request.user, _mask(source, "", payload))
    return Status(201, overlays_json(page) | {"token": token})


@router.put(BASE + "/masks/{token}", response={200: OverlaysOut, **ERRORS}, summary="SetMask")
def set_mask(
    request: HttpRequest, device_id: RowId, source: str, token: str, payload: MaskIn
) -> Any:
    device = admin_device(request, device_id)
    return overlays_json(overlays.set_mask(device, request.user, _mask(source, token, payload)))


@router.delete(BASE + "/masks/{token}", response={200: OverlaysOut, **ERRORS}, summary="DeleteMask")
def delete_mask(request: HttpRequest, device_id: RowId, source: str, token: str) -> Any:
    device = admin_device(request, device_id)
    return overlays_json(overlays.delete_mask(device, request.user, source, token))


@router.post(BASE + "/osds", response={201: CreatedOut, **ERRORS}, summary="CreateOSD")
def create_osd(request: HttpRequest, device_id: RowId, source: str, payload: OsdIn) -> Any:
    device = admin_device(request, device_id)
    token, page = overlays.create_osd(device, request.user, _osd(source, "", payload))
    return Status(201, overlays_json(page) | {"token": token})


@router.put(BASE + "/osds/{token}", response={200: OverlaysOut, **ERRORS}, summary="SetOSD")
def set_osd(request: HttpRequest, device_id: RowId, source: str, token: str, payload: OsdIn) -> Any:
    device = admin_device(request, device_id)
    return overlays_json(overlays.set_osd(device, request.user, _osd(source, token, payload)))


@router.delete(BASE + "/osds/{token}", response={200: OverlaysOut, **ERRORS}, summary="DeleteOSD")
def delete_osd(request: HttpRequest, device_id: RowId, source: str, token: str) -> Any:
    device = admin_device(request, device_id)
    return overlays_json(overlays.delete_osd(device, request.user, source, token))
