"""The simulator's relay outputs and digital inputs: real state, settings, and events."""

from __future__ import annotations

import asyncio

import pytest
from simclient import SoapFault, xp

from simulator import io
from simulator.camera import Camera

DIO = "/onvif/deviceio_service"


async def fault_of(client, body):
    with pytest.raises(SoapFault) as err:
        await client.call(DIO, body)
    return err.value.subcodes


async def test_relays_are_listed_set_and_switched_with_events(cams, audio) -> None:
    camera: Camera = cams["audio-cam"]
    client = audio
    caps = await client.call(DIO, "<tmd:GetServiceCapabilities/>")
    assert xp(caps, "string(//tmd:Capabilities/@RelayOutputs)") == "2"
    relays = await client.call(DIO, "<tmd:GetRelayOutputs/>")
    assert xp(relays, "//tds:RelayOutputs/@token") == ["Relay_1", "Relay_2"]
    assert xp(relays, "//tds:RelayOutputs[1]/tt:Properties/tt:Mode/text()") == ["Monostable"]
    options = await client.call(
        DIO,
        "<tmd:GetRelayOutputOptions><tmd:RelayOutputToken>Relay_2</tmd:RelayOutputToken>"
        "</tmd:GetRelayOutputOptions>",
    )
    assert xp(options, "string(//tmd:DelayTimes)") == "0.5 60"

    sub = camera.runtime.events.subscribe(["tns1:Device/Trigger/Relay"], 60)
    camera.runtime.events.synchronize(sub)
    await client.call(
        DIO,
        "<tmd:SetRelayOutputState><tmd:RelayOutputToken>Relay_2</tmd:RelayOutputToken>"
        "<tmd:LogicalState>active</tmd:LogicalState></tmd:SetRelayOutputState>",
    )
    assert camera.relays[1].active
    states = [(m.source[0][1], m.data[0][1], m.operation) for m in sub.queue]
    assert ("Relay_2", "inactive", "Initialized") in states
    assert states[-1] == ("Relay_2", "active", "Changed")

    # Monostable: back to inactive after its delay (made short here).
    await client.call(
        DIO,
        "<tmd:SetRelayOutputSettings><tmd:RelayOutput token='Relay_1'><tt:Properties>"
        "<tt:Mode>Monostable</tt:Mode><tt:DelayTime>PT0.5S</tt:DelayTime>"
        "<tt:IdleState>closed</tt:IdleState></tt:Properties></tmd:RelayOutput>"
        "</tmd:SetRelayOutputSettings>",
    )
    assert (camera.relays[0].delay, camera.relays[0].idle_state) == (0.5, "closed")
    await client.call(
        DIO,
        "<tmd:SetRelayOutputState><tmd:RelayOutputToken>Relay_1</tmd:RelayOutputToken>"
        "<tmd:LogicalState>active</tmd:LogicalState></tmd:SetRelayOutputState>",
    )
    assert camera.relays[0].active
    await asyncio.sleep(0.8)
    assert not camera.relays[0].active
    assert [(m.source[0][1], m.data[0][1]) for m in sub.queue][-2:] == [
        ("Relay_1", "active"),
        ("Relay_1", "inactive"),
    ]
    bad_mode = (
        "<tmd:SetRelayOutputSettings><tmd:RelayOutput token='Relay_1'><tt:Properties>"
        "<tt:Mode>Sometimes</tt:Mode><tt:DelayTime>PT1S</tt:DelayTime>"
        "<tt:IdleState>open</tt:IdleState></tt:Properties></tmd:RelayOutput>"
        "</tmd:SetRelayOutputSettings>"
    )
    assert await fault_of(client, bad_mode) == ["ter:InvalidArgVal", "ter:ModeError"]
    no_relay = (
        "<tmd:SetRelayOutputState><tmd:RelayOutputToken>Relay_9</tmd:RelayOutputToken>"
        "<tmd:LogicalState>active</tmd:LogicalState></tmd:SetRelayOutputState>"
    )
    assert await fault_of(client, no_relay) == ["ter:InvalidArgVal", "ter:RelayToken"]


async def test_digital_inputs_report_their_state_and_idle_state(cams, audio) -> None:
    camera: Camera = cams["audio-cam"]
    client = audio
    inputs = await client.call(DIO, "<tmd:GetDigitalInputs/>")
    assert xp(inputs, "//tmd:DigitalInputs/@IdleState") == ["closed", "open"]
    sub = camera.runtime.events.subscribe(["tns1:Device/Trigger/DigitalInput"], 60)
    io.set_input(camera.runtime, "Input_1", True)
    assert [(m.source[0][1], m.data[0][1]) for m in sub.queue][-1] == ("Input_1", "true")
    await client.call(
        DIO,
        "<tmd:SetDigitalInputConfigurations><tmd:DigitalInputs token='Input_1' "
        "IdleState='open'/></tmd:SetDigitalInputConfigurations>",
    )
    assert camera.digital_inputs[0].idle_state == "open"
    partly_wrong = (
        "<tmd:SetDigitalInputConfigurations>"
        "<tmd:DigitalInputs token='Input_2' IdleState='closed'/>"
        "<tmd:DigitalInputs token='Input_9' IdleState='closed'/>"
        "</tmd:SetDigitalInputConfigurations>"
    )
    assert await fault_of(client, partly_wrong) == ["ter:InvalidArgVal", "ter:NoConfig"]
    assert camera.digital_inputs[1].idle_state == "open"  # all or nothing


async def test_an_input_with_a_period_changes_by_itself(cams) -> None:
    camera: Camera = cams["audio-cam"]
    digital_input = camera.digital_inputs[0]
    digital_input.period = 0.2
    camera.runtime.spawn(io._toggle_forever(camera.runtime, digital_input))
    sub = camera.runtime.events.subscribe(["tns1:Device/Trigger/DigitalInput"], 60)
    sub.queue.clear()  # the states at subscription
    await asyncio.sleep(0.5)
    assert [(m.source[0][1], m.data[0][1]) for m in sub.queue][:2] == [
        ("Input_1", "true"),
        ("Input_1", "false"),
    ]
