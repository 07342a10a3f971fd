"""JSON API of a camera's inputs and outputs: read (viewers and up), switch a relay
(operators and admins), relay modes and input idle states (admins). 400: a value the camera
does not offer; 404: no such device, relay or input; 409: no Device IO service; 502: the
camera could not be reached."""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cameras import io
from cameras.configure.api import ERRORS, allowed_device
from cameras.onvif.deviceio import RelayOutput
from frontend.roles import CONFIGURE_CAMERAS, SWITCH_OUTPUTS, VIEW_LIVE
from vms.params import RowId

router = Router(tags=["inputs and outputs"])


class IOOut(Schema):
    capabilities: dict[str, Any]
    video_sources: list[str]
    video_outputs: list[str]
    audio_sources: list[str]
    audio_outputs: list[str]
    relays: list[dict[str, Any]] = Field(
        description="relay (token, mode, delay, idle_state), options, active (last reported)"
    )
    inputs: list[dict[str, Any]] = Field(description="input (token, idle_state), active")
    idle_states: list[str]


class StateIn(Schema):
    active: bool


class RelayIn(Schema):
    mode: Literal["Monostable", "Bistable"]
    delay: float | None = Field(None, ge=0, le=86400, description="Seconds (Monostable)")
    idle_state: Literal["closed", "open"]


class IdleIn(Schema):
    idle_state: Literal["closed", "open"]


def io_json(page: io.IOPage) -> dict[str, Any]:
    return dataclasses.asdict(page)


@router.get("/devices/{device_id}/io", response={200: IOOut, **ERRORS}, summary="Inputs/outputs")
def get_io(request: HttpRequest, device_id: RowId) -> Any:
    return io_json(io.read_io(allowed_device(request, device_id, VIEW_LIVE)))


@router.put(
    "/devices/{device_id}/io/relays/{token}/state",
    response={202: None, **ERRORS},
    summary="Switch a relay (SetRelayOutputState); its event reports the new state",
)
def switch_relay(request: HttpRequest, device_id: RowId, token: str, payload: StateIn) -> Any:
    device = allowed_device(request, device_id, SWITCH_OUTPUTS)
    io.switch_relay(device, request.user, token, payload.active)
    return Status(202, None)


@router.put(
    "/devices/{device_id}/io/relays/{token}",
    response={200: IOOut, **ERRORS},
    summary="Relay mode, delay and idle state (SetRelayOutputSettings)",
)
def set_relay(request: HttpRequest, device_id: RowId, token: str, payload: RelayIn) -> Any:
    device = allowed_device(request, device_id, CONFIGURE_CAMERAS)
    relay = RelayOutput(token, payload.mode, payload.delay, payload.idle_state)
    return io_json(io.set_relay(device, request.user, relay))


@router.put(
    "/devices/{device_id}/io/inputs/{token}",
    response={200: IOOut, **ERRORS},
    summary="A digital input's idle state (SetDigitalInputConfigurations)",
)
def set_input(request: HttpRequest, device_id: RowId, token: str, payload: IdleIn) -> Any:
    device = allowed_device(request, device_id, CONFIGURE_CAMERAS)
    return io_json(io.set_input_idle_state(device, request.user, token, payload.idle_state))
