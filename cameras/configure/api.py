"""JSON API of the Configure area (admins): media profiles and configurations.

Every write goes through cameras.configure.services: checked against the camera's options
(400 with the fields), sent, re-read, audited. 404: no such device, profile or
configuration; 409: the camera refused it in its present state; 502: the camera could not
be reached or understood.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Body, Field, Router, Schema, Status
from ninja.errors import HttpError

from cameras.configure import services
from cameras.configure.errors import ConfigError
from cameras.models import ConfigurationChange, Device
from cameras.onvif.config_types import AnyConfig, Multicast
from frontend.roles import CONFIGURE_CAMERAS
from vms.params import RowId

router = Router(tags=["configuration"])
READ_ONLY = {"kind", "token", "use_count"}


class ErrorOut(Schema):
    detail: str
    fields: dict[str, str] = Field(default_factory=dict, description="Field -> what is wrong")


ERRORS: dict[int, Any] = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 502: ErrorOut}


class ProfileConfigsOut(Schema):
    token: str
    name: str
    fixed: bool
    configurations: dict[str, dict[str, Any]] = Field(description="Kind -> configuration")


class ProfileIn(Schema):
    name: str = Field(min_length=1, max_length=64)
    configurations: dict[str, str] = Field(
        default_factory=dict, description="Kind -> configuration token"
    )


class RenameIn(Schema):
    name: str = Field(min_length=1, max_length=64)


class ConfigurationRefIn(Schema):
    token: str = Field(min_length=1, max_length=64)


class TokenOut(Schema):
    token: str


class ConfigurationOut(Schema):
    configuration: dict[str, Any]
    options: Any = Field(None, description="Get*ConfigurationOptions, as the camera gave them")


class ChangeOut(Schema):
    at: Any
    username: str
    topic: str
    action: str
    target: str
    before: Any
    after: Any
    ok: bool
    error: str


def allowed_device(request: HttpRequest, device_id: int, permission: str) -> Device:
    """The device, for a user whose role grants `permission` (else 403)."""
    if not request.user.has_perm(permission):
        raise HttpError(403, f"Your role does not allow this ({permission}).")
    return get_object_or_404(Device, pk=device_id)


def admin_device(request: HttpRequest, device_id: int) -> Device:
    return allowed_device(request, device_id, CONFIGURE_CAMERAS)


def refused(request: HttpRequest, error: ConfigError) -> HttpResponse:
    """The API's answer to every ConfigError (registered in vms.api)."""
    return JsonResponse({"detail": error.message, "fields": error.fields}, status=error.status)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


class MediaCapabilitiesOut(Schema):
    max_profiles: int | None = Field(None, description="MaximumNumberOfProfiles")
    configurations: list[str] = Field(
        description="ConfigurationsSupported (Media2); empty when the camera does not say"
    )
    kinds: list[str] = Field(description="The configuration kinds a profile may hold here")
    rtp_multicast: bool
    rtsp_over_http: bool
    snapshot_uri: bool
    rotation: bool
    video_source_mode: bool
    osd: bool
    mask: bool
    source_mask: bool


@router.get(
    "/devices/{device_id}/media/capabilities",
    response={200: MediaCapabilitiesOut, 404: ErrorOut},
    summary="What the camera's media service can do (GetServiceCapabilities, as last synced)",
)
def media_capabilities(request: HttpRequest, device_id: RowId) -> Any:
    device = admin_device(request, device_id)
    return device.media.as_json() | {"kinds": services.supported_kinds(device)}


@router.get(
    "/devices/{device_id}/media/profiles",
    response={200: list[ProfileConfigsOut], **ERRORS},
    summary="The camera's media profiles with their configurations",
)
def list_profiles(request: HttpRequest, device_id: RowId) -> Any:
    device = admin_device(request, device_id)
    found = services.read_profiles_of(device)
    return [
        {
            "token": p.token,
            "name": p.name,
            "fixed": p.fixed,
            "configurations": {k: _plain(c) for k, c in p.configurations.items()},
        }
        for p in found
    ]


@router.post(
    "/devices/{device_id}/media/profiles",
    response={201: TokenOut, **ERRORS},
    summary="Create a profile (CreateProfile)",
)
def create_profile(request: HttpRequest, device_id: RowId, payload: ProfileIn) -> Any:
    device = admin_device(request, device_id)
    token = services.create_profile(device, request.user, payload.name, payload.configurations)
    return Status(201, TokenOut(token=token))


@router.patch(
    "/devices/{device_id}/media/profiles/{token}",
    response={204: None, **ERRORS},
    summary="Rename a profile",
)
def rename_profile(request: HttpRequest, device_id: RowId, token: str, payload: RenameIn) -> Any:
    device = admin_device(request, device_id)
    services.rename_profile(device, request.user, token, payload.name)
    return Status(204, None)


@router.delete(
    "/devices/{device_id}/media/profiles/{token}",
    response={204: None, **ERRORS},
    summary="Delete a profile (fixed profiles: 409)",
)
def delete_profile(request: HttpRequest, device_id: RowId, token: str) -> Any:
    device = admin_device(request, device_id)
    services.delete_profile(device, request.user, token)
    return Status(204, None)


@router.put(
    "/devices/{device_id}/media/profiles/{token}/configurations/{kind}",
    response={204: None, **ERRORS},
    summary="Put a configuration in a profile (AddConfiguration)",
)
def add_configuration(
    request: HttpRequest,
    device_id: RowId,
    token: str,
    kind: str,
    payload: ConfigurationRefIn,
) -> Any:
    device = admin_device(request, device_id)
    services.add_configuration(device, request.user, token, kind, payload.token)
    return Status(204, None)


@router.delete(
    "/devices/{device_id}/media/profiles/{token}/configurations/{kind}",
    response={204: None, **ERRORS},
    summary="Take a configuration out of a profile (RemoveConfiguration)",
)
def remove_configuration(request: HttpRequest, device_id: RowId, token: str, kind: str) -> Any:
    device = admin_device(request, device_id)
    services.remove_configuration(device, request.user, token, kind)
    return Status(204, None)


@router.get(
    "/devices/{device_id}/media/configurations/{kind}",
    response={200: list[dict[str, Any]], **ERRORS},
    summary="The camera's configurations of one kind",
)
def list_configurations(request: HttpRequest, device_id: RowId, kind: str) -> Any:
    device = admin_device(request, device_id)
    return [_plain(c) for c in services.read_configurations(device, kind)]


@router.get(
    "/devices/{device_id}/media/configurations/{kind}/{token}",
    response={200: ConfigurationOut, **ERRORS},
    summary="One configuration with the options the camera offers for it",
)
def get_configuration(request: HttpRequest, device_id: RowId, kind: str, token: str) -> Any:
    device = admin_device(request, device_id)
    page = services.read_configuration(device, kind, token)
    options = page.options
    shown = [_plain(o) for o in options] if isinstance(options, tuple) else _plain(options)
    return {"configuration": _plain(page.config), "options": shown}


@router.patch(
    "/devices/{device_id}/media/configurations/{kind}/{token}",
    response={200: dict[str, Any], **ERRORS},
    summary="Change a configuration (Set*Configuration); answers the camera's re-read values",
)
def set_configuration(
    request: HttpRequest, device_id: RowId, kind: str, token: str, payload: Body[dict[str, Any]]
) -> Any:
    device = admin_device(request, device_id)
    current = services.read_configuration(device, kind, token).config
    changed = _changed(current, payload)
    return _plain(services.set_configuration(device, request.user, changed))


def _changed(current: AnyConfig, payload: dict[str, Any]) -> AnyConfig:
    names = {f.name for f in dataclasses.fields(current)} - READ_ONLY
    unknown = sorted(set(payload) - names)
    if unknown:
        raise ConfigError(
            f"Not fields of a {current.kind} configuration: {', '.join(unknown)}. "
            f"Use: {', '.join(sorted(names))}.",
            fields={name: "unknown field" for name in unknown},
        )
    values = dict(payload)
    try:
        if isinstance(values.get("bounds"), list):
            values["bounds"] = tuple(int(v) for v in values["bounds"])
        if isinstance(values.get("multicast"), dict):
            values["multicast"] = Multicast(**values["multicast"])
        return dataclasses.replace(current, **values)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"A value has the wrong type: {exc}.") from None


@router.get(
    "/devices/{device_id}/media/changes",
    response=list[ChangeOut],
    summary="The audit log of configuration changes, newest first (up to 200)",
)
def list_changes(request: HttpRequest, device_id: RowId) -> Any:
    device = admin_device(request, device_id)
    return list(ConfigurationChange.objects.filter(device=device)[:200])
