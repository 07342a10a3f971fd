"""Inputs and outputs of a camera (Device IO): what it has, its relays with the state its
events last reported, its digital inputs likewise. Operators switch relays; admins change
relay modes and input idle states. Every change is audited like a configuration change.

The standard has no way to read a relay's state: the camera reports it in
tns1:Device/Trigger/Relay events, which the VMS keeps (events.Event); so does the page."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from cameras.configure.errors import ConfigError
from cameras.configure.services import Change, User, optional, read, run_change
from cameras.models import Device
from cameras.onvif import OnvifClient
from cameras.onvif import deviceio as onvif_io
from cameras.onvif.deviceio import (
    DeviceIOCapabilities,
    DigitalInput,
    RelayOptions,
    RelayOutput,
    VideoOutput,
    VideoOutputConfig,
)

RELAY_TOPIC = "tns1:Device/Trigger/Relay"
INPUT_TOPIC = "tns1:Device/Trigger/DigitalInput"


@dataclass
class Relay:
    relay: RelayOutput
    options: RelayOptions
    active: bool | None = None  # None: no event has said yet


@dataclass
class Input:
    input: DigitalInput
    active: bool | None = None


@dataclass
class Output:
    output: VideoOutput
    config: VideoOutputConfig | None = None


@dataclass
class IOPage:
    capabilities: DeviceIOCapabilities
    video_sources: list[str] = field(default_factory=list)
    video_outputs: list[Output] = field(default_factory=list)
    audio_sources: list[str] = field(default_factory=list)
    audio_outputs: list[str] = field(default_factory=list)
    relays: list[Relay] = field(default_factory=list)
    inputs: list[Input] = field(default_factory=list)
    idle_states: tuple[str, ...] = ()  # the inputs' idle states the camera offers


def last_states(device: Device, topic: str, item: str) -> dict[str, bool]:
    """The state each relay or input was last reported in, by token."""
    from events.models import Event

    found: dict[str, bool] = {}
    rows = Event.objects.filter(device=device, topic=topic, state__isnull=False)
    for source, state in rows.order_by("-received", "-pk").values_list("source", "state")[:500]:
        token = (source or {}).get(item)
        if token and token not in found:
            found[token] = bool(state)
    return found


async def _read(client: OnvifClient) -> IOPage:
    page = IOPage(await onvif_io.get_service_capabilities(client))
    caps = page.capabilities
    if caps.video_sources:
        page.video_sources = await optional(onvif_io.get_video_sources(client)) or []
    if caps.video_outputs:
        for output in await optional(onvif_io.get_video_outputs(client)) or []:
            config = await optional(onvif_io.get_video_output_configuration(client, output.token))
            page.video_outputs.append(Output(output, config))
    if caps.audio_sources:
        page.audio_sources = await optional(onvif_io.get_audio_sources(client)) or []
    if caps.audio_outputs:
        page.audio_outputs = await optional(onvif_io.get_audio_outputs(client)) or []
    if caps.relay_outputs:
        options = await optional(onvif_io.get_relay_output_options(client)) or {}
        for relay in await onvif_io.get_relay_outputs(client):
            page.relays.append(Relay(relay, options.get(relay.token, RelayOptions())))
    if caps.digital_inputs:
        page.inputs = [Input(i) for i in await onvif_io.get_digital_inputs(client)]
        if caps.digital_input_options:
            page.idle_states = (
                await optional(onvif_io.get_digital_input_configuration_options(client)) or ()
            )
    return page


def _with_states(device: Device, page: IOPage) -> IOPage:
    relays = last_states(device, RELAY_TOPIC, "RelayToken")
    inputs = last_states(device, INPUT_TOPIC, "InputToken")
    for relay in page.relays:
        relay.active = relays.get(relay.relay.token)
    for digital_input in page.inputs:
        digital_input.active = inputs.get(digital_input.input.token)
    return page


def has_io(device: Device) -> bool:
    return "deviceio" in device.services


def read_io(device: Device) -> IOPage:
    if not has_io(device):
        raise ConfigError("This camera has no Device IO service.", 409)
    return _with_states(device, read(device, _read))


def _relay(page: IOPage, token: str) -> Relay:
    found = next((r for r in page.relays if r.relay.token == token), None)
    if found is None:
        raise ConfigError(f"The camera has no relay output {token!r}.", 404)
    return found


def switch_relay(device: Device, user: User, token: str, active: bool) -> None:
    """SetRelayOutputState; the new state shows when the camera's event arrives."""
    change = Change("Relay", "switch", token, after={"active": active})

    async def work(client: OnvifClient) -> None:
        _relay(await _read(client), token)
        await onvif_io.set_relay_output_state(client, token, active)

    run_change(device, user, change, work)


def set_relay(device: Device, user: User, relay: RelayOutput) -> IOPage:
    change = Change("Relay", "set", relay.token, after=relay)

    async def work(client: OnvifClient) -> IOPage:
        held = _relay(await _read(client), relay.token)
        change.before = held.relay
        errors = {}
        if relay.mode not in held.options.modes:
            errors["mode"] = f"The camera offers these modes: {', '.join(held.options.modes)}."
        if relay.idle_state not in onvif_io.IDLE_STATES:
            errors["idle_state"] = "The idle state is closed or open."
        delay, listed = held.options.delay, held.options.delays
        if relay.mode == "Monostable":
            if relay.delay is None:
                errors["delay"] = "A monostable relay needs a delay."
            elif delay is not None and relay.delay not in delay:
                errors["delay"] = f"The delay must be {delay} seconds."
            elif listed and relay.delay not in listed:
                errors["delay"] = f"The camera offers these delays: {listed} seconds."
        if errors:
            raise ConfigError(" ".join(errors.values()), 400, errors)
        await onvif_io.set_relay_output_settings(client, relay)
        return await _read(client)

    return _with_states(device, run_change(device, user, change, work))


def set_input_idle_state(device: Device, user: User, token: str, idle_state: str) -> IOPage:
    change = Change("DigitalInput", "set", token, after={"idle_state": idle_state})

    async def work(client: OnvifClient) -> IOPage:
        page = await _read(client)
        held = next((i for i in page.inputs if i.input.token == token), None)
        if held is None:
            raise ConfigError(f"The camera has no digital input {token!r}.", 404)
        change.before = {"idle_state": held.input.idle_state}
        if idle_state not in page.idle_states:
            offered = ", ".join(page.idle_states) or "none"
            raise ConfigError(
                f"The camera offers these idle states: {offered}.", 400, {"idle_state": offered}
            )
        await onvif_io.set_digital_input_configurations(client, [DigitalInput(token, idle_state)])
        return await _read(client)

    return _with_states(device, run_change(device, user, change, work))


def rename_video_output_configuration(device: Device, user: User, output: str, name: str) -> IOPage:
    """SetVideoOutputConfiguration: the one field the standard lets a client change, its name."""
    name = name.strip()
    if not 1 <= len(name) <= 64:
        raise ConfigError("The name must be 1 to 64 characters.", 400, {"name": "1-64"})
    change = Change("VideoOutput", "set", output, after={"name": name})

    async def work(client: OnvifClient) -> IOPage:
        page = await _read(client)
        held = next((o for o in page.video_outputs if o.output.token == output), None)
        if held is None or held.config is None:
            raise ConfigError(f"The camera has no video output {output!r}.", 404)
        change.before = {"name": held.config.name}
        await onvif_io.set_video_output_configuration(client, replace(held.config, name=name))
        return await _read(client)

    return _with_states(device, run_change(device, user, change, work))
