"""JSON API for devices and their profiles (served under /api/, schema at /api/openapi.json)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from cameras import services
from cameras.models import Device
from frontend.roles import CONFIGURE_CAMERAS, VIEW_LIVE
from vms.params import RowId

router = Router(tags=["devices"])


def require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise HttpError(403, f"Your role does not allow this ({permission}).")


class ProfileOut(Schema):
    token: str
    name: str
    video_source_token: str
    encoding: str
    width: int | None
    height: int | None
    fps: float | None
    bitrate_kbps: int | None
    audio_encoding: str
    ptz_node_token: str
    stream_uri: str
    snapshot_uri: str


class DeviceOut(Schema):
    id: int
    name: str
    host: str
    port: int
    status: str = Field(description="pending, online, offline, needs_credentials or unsupported")
    syncing: bool
    sync_step: str
    manufacturer: str
    model: str
    firmware: str
    serial: str
    services: dict[str, dict[str, str]]
    last_seen: datetime | None
    last_error: str


class DeviceDetailOut(DeviceOut):
    profiles: list[ProfileOut]


class DeviceIn(Schema):
    host: str = Field(min_length=1, max_length=255, pattern=r"^[A-Za-z0-9.\-:\[\]]+$")
    port: int = Field(80, ge=1, le=65535)
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)
    name: str = Field("", max_length=100)
    allow_plaintext: bool = False


@router.get("/devices", response=list[DeviceOut], summary="List devices")
def list_devices(request: HttpRequest) -> list[Device]:
    require(request, VIEW_LIVE)
    return list(Device.objects.all())


@router.get("/devices/{device_id}", response=DeviceDetailOut, summary="A device with its profiles")
def get_device(request: HttpRequest, device_id: RowId) -> Device:
    require(request, VIEW_LIVE)
    device = get_object_or_404(Device.objects.prefetch_related("profiles"), pk=device_id)
    return device


@router.post("/devices", response={201: DeviceOut}, summary="Add a device and sync it")
def create_device(request: HttpRequest, payload: DeviceIn) -> Status[Device]:
    require(request, CONFIGURE_CAMERAS)
    if Device.objects.filter(host=payload.host, port=payload.port).exists():
        raise HttpError(409, f"{payload.host}:{payload.port} is already added.")
    return Status(201, services.add_device(**payload.model_dump()))


@router.post("/devices/{device_id}/sync", response={202: DeviceOut}, summary="Sync a device again")
def sync_device(request: HttpRequest, device_id: RowId) -> Status[Device]:
    require(request, CONFIGURE_CAMERAS)
    device = get_object_or_404(Device, pk=device_id)
    services.request_sync(device)
    return Status(202, device)
