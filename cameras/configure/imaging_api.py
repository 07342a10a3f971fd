"""JSON API of a video source's imaging (admins): the settings with the options the camera
offers, changes (answered with the settings the camera reports after them) and presets.
400: a value the camera does not offer (with the fields); 404: no such device, source or
preset; 409: no imaging service; 502: the camera could not be reached."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Body, Field, Router, Schema

from cameras.configure import imaging
from cameras.configure.api import ERRORS, admin_device
from cameras.configure.errors import ConfigError
from cameras.onvif.config_types import Range
from vms.params import RowId

router = Router(tags=["configuration"])


class ImagingOut(Schema):
    source: str
    sources: list[str]
    settings: dict[str, Any] = Field(description="Key -> value, as the camera reports them")
    fields: list[dict[str, Any]] = Field(
        description="The settings the camera offers: key, label, group, and a range "
        "{min, max} or a list of choices"
    )
    presets: list[dict[str, Any]]
    current_preset: dict[str, Any] | None
    status: dict[str, Any] | None = Field(description="GetStatus (focus); null when not reported")
    profile_token: str
    moves: dict[str, Any] | None = Field(description="GetMoveOptions ranges; null: no focus")


class FocusIn(Schema):
    move: Literal["absolute", "relative"]
    value: float = Field(description="Position (absolute) or distance (relative), camera units")
    speed: float | None = None


class PresetIn(Schema):
    token: str = Field(min_length=1, max_length=64)


def imaging_json(page: imaging.ImagingPage) -> dict[str, Any]:
    fields = []
    for group, offered in page.groups():
        for f in offered:
            option = page.options[f.key]
            shape: dict[str, Any] = (
                {"min": option.min, "max": option.max}
                if isinstance(option, Range)
                else {"choices": list(option)}
            )
            fields.append({"key": f.key, "label": f.label, "group": group, **shape})
    plain = dataclasses.asdict
    return {
        "source": page.source,
        "sources": page.sources,
        "settings": page.settings,
        "fields": fields,
        "presets": [plain(p) for p in page.presets],
        "current_preset": plain(page.current_preset) if page.current_preset else None,
        "status": plain(page.status) if page.status else None,
        "profile_token": page.profile_token,
        "moves": plain(page.moves) if page.moves else None,
    }


BASE = "/devices/{device_id}/imaging/{source}"


@router.get(BASE, response={200: ImagingOut, **ERRORS}, summary="Imaging settings and options")
def get_imaging(request: HttpRequest, device_id: RowId, source: str) -> Any:
    return imaging_json(imaging.read_imaging(admin_device(request, device_id), source))


@router.patch(
    BASE,
    response={200: ImagingOut, **ERRORS},
    summary="Change imaging settings (SetImagingSettings); answers what the camera reports",
)
def set_imaging(
    request: HttpRequest, device_id: RowId, source: str, payload: Body[dict[str, Any]]
) -> Any:
    device = admin_device(request, device_id)
    changes: dict[str, float | str] = {}
    for key, value in payload.items():
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise ConfigError(f"{key}: give a number or a choice.", 400, {key: "wrong type"})
        changes[key] = float(value) if isinstance(value, int | float) else value
    return imaging_json(imaging.set_imaging(device, request.user, source, changes))


@router.put(
    BASE + "/preset",
    response={200: ImagingOut, **ERRORS},
    summary="Apply an imaging preset (SetCurrentPreset)",
)
def set_preset(request: HttpRequest, device_id: RowId, source: str, payload: PresetIn) -> Any:
    device = admin_device(request, device_id)
    return imaging_json(imaging.set_preset(device, request.user, source, payload.token))


@router.post(
    BASE + "/focus",
    response={200: ImagingOut, **ERRORS},
    summary="An absolute or relative focus move (Move), within GetMoveOptions",
)
def focus_move(request: HttpRequest, device_id: RowId, source: str, payload: FocusIn) -> Any:
    device = admin_device(request, device_id)
    return imaging_json(
        imaging.focus_move(device, request.user, source, payload.move, payload.value, payload.speed)
    )
