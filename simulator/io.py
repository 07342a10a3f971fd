"""Relay outputs and digital inputs with real state: every change is a property event
(tns1:Device/Trigger/Relay, tns1:Device/Trigger/DigitalInput) with its LogicalState; a
monostable relay falls back after its delay; an input with a period changes by itself."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from simulator.camera import DigitalInput, Relay

if TYPE_CHECKING:
    from simulator.runtime import Runtime

RELAY_TOPIC = "tns1:Device/Trigger/Relay"
INPUT_TOPIC = "tns1:Device/Trigger/DigitalInput"


def _publish_relay(rt: Runtime, relay: Relay) -> None:
    state = "active" if relay.active else "inactive"
    rt.events.publish(
        RELAY_TOPIC, [("RelayToken", relay.token)], [("LogicalState", state)], prop=True
    )


def _publish_input(rt: Runtime, digital_input: DigitalInput) -> None:
    state = "true" if digital_input.active else "false"
    rt.events.publish(
        INPUT_TOPIC, [("InputToken", digital_input.token)], [("LogicalState", state)], prop=True
    )


def start(rt: Runtime) -> None:
    """The initial state of every relay and input, and the inputs that change by themselves."""
    for relay in rt.camera.relays:
        _publish_relay(rt, relay)
    for digital_input in rt.camera.digital_inputs:
        _publish_input(rt, digital_input)
        if digital_input.period > 0:
            rt.spawn(_toggle_forever(rt, digital_input))


async def _toggle_forever(rt: Runtime, digital_input: DigitalInput) -> None:
    while True:
        await asyncio.sleep(digital_input.period)
        set_input(rt, digital_input.token, not digital_input.active)


def set_relay(rt: Runtime, relay: Relay, active: bool) -> None:
    """SetRelayOutputState: publish the change; a monostable relay set active falls back."""
    old = rt.relay_timers.pop(relay.token, None)
    if old is not None:
        old.cancel()
    changed = relay.active != active
    relay.active = active
    if changed:
        _publish_relay(rt, relay)
    if active and relay.mode == "Monostable":
        loop = asyncio.get_running_loop()
        rt.relay_timers[relay.token] = loop.call_later(relay.delay, set_relay, rt, relay, False)


def set_input(rt: Runtime, token: str, active: bool) -> None:
    digital_input = next(i for i in rt.camera.digital_inputs if i.token == token)
    if digital_input.active != active:
        digital_input.active = active
        _publish_input(rt, digital_input)
