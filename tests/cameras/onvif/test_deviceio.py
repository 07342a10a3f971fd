"""Device IO wrappers against the simulator: what the camera has, relays and inputs."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from types import SimpleNamespace

import pytest

from cameras.onvif import InvalidArgument
from cameras.onvif.config_types import Range
from cameras.onvif.deviceio import (
    DigitalInput,
    RelayOutput,
    get_audio_outputs,
    get_audio_sources,
    get_digital_input_configuration_options,
    get_digital_inputs,
    get_relay_output_options,
    get_relay_outputs,
    get_service_capabilities,
    get_video_output_configuration,
    get_video_output_configuration_options,
    get_video_outputs,
    get_video_sources,
    read_relay,
    read_relay_options,
    set_digital_input_configurations,
    set_relay_output_settings,
    set_relay_output_state,
    set_video_output_configuration,
)
from simulator.camera import Camera
from tests.cameras.conftest import connected


async def test_what_the_camera_has(fleet: dict[str, Camera]) -> None:
    talker, dual = fleet["audio-cam"], fleet["dual-sensor"]
    onvif = await connected(talker)
    caps = await get_service_capabilities(onvif)
    assert (caps.relay_outputs, caps.digital_inputs, caps.serial_ports) == (2, 2, 0)
    assert caps.digital_input_options
    assert await get_video_sources(onvif) == ["VideoSource_1"]
    assert await get_audio_sources(onvif) == ["AudioSource_1"]
    assert await get_audio_outputs(onvif) == ["AudioOutput_1"]
    other = await connected(dual)
    (output,) = await get_video_outputs(other)
    sim = dual.video_outputs[0]
    assert (output.token, output.width, output.height) == (sim.token, sim.width, sim.height)
    assert (await get_service_capabilities(other)).relay_outputs == 0
    assert await get_relay_outputs(other) == []


async def test_a_video_output_configuration_is_read_and_renamed(
    fleet: dict[str, Camera],
) -> None:
    camera = fleet["dual-sensor"]
    onvif = await connected(camera)
    token = camera.video_outputs[0].token
    config = await get_video_output_configuration(onvif, token)
    assert config.output_token == token and config.name == camera.video_output_configs[token]
    assert await get_video_output_configuration_options(onvif, token) is not None
    await set_video_output_configuration(onvif, replace(config, name="Guard monitor"))
    assert camera.video_output_configs[token] == "Guard monitor"
    with pytest.raises(InvalidArgument):
        await get_video_output_configuration(onvif, "NoOutput")


async def test_relays_are_read_set_and_switched(fleet: dict[str, Camera]) -> None:
    camera = fleet["audio-cam"]
    onvif = await connected(camera)
    relays = await get_relay_outputs(onvif)
    assert relays[0] == RelayOutput("Relay_1", "Monostable", 2.0, "open")
    options = await get_relay_output_options(onvif)
    assert options["Relay_2"].modes == ("Monostable", "Bistable")
    assert options["Relay_2"].delay == Range(0.5, 60)
    await set_relay_output_settings(onvif, RelayOutput("Relay_2", "Monostable", 1.5, "closed"))
    assert (camera.relays[1].mode, camera.relays[1].delay) == ("Monostable", 1.5)
    assert camera.relays[1].idle_state == "closed"
    await set_relay_output_state(onvif, "Relay_2", True)
    assert camera.relays[1].active
    await asyncio.sleep(1.8)  # monostable: back after 1.5 s
    assert not camera.relays[1].active
    with pytest.raises(InvalidArgument):
        await set_relay_output_state(onvif, "Relay_9", True)


async def test_inputs_are_read_and_their_idle_state_set(fleet: dict[str, Camera]) -> None:
    camera = fleet["audio-cam"]
    onvif = await connected(camera)
    assert await get_digital_inputs(onvif) == [
        DigitalInput("Input_1", "closed"),
        DigitalInput("Input_2", "open"),
    ]
    assert await get_digital_input_configuration_options(onvif) == ("closed", "open")
    await set_digital_input_configurations(onvif, [DigitalInput("Input_1", "open")])
    assert camera.digital_inputs[0].idle_state == "open"


def test_answers_that_lie_are_read_safely() -> None:
    assert read_relay(SimpleNamespace(token="")) is None
    odd = read_relay(
        SimpleNamespace(
            token="R", Properties=SimpleNamespace(Mode=None, DelayTime="P1Y?", IdleState=None)
        )
    )
    assert odd == RelayOutput("R", "Bistable", None, "open")
    options = read_relay_options(SimpleNamespace(Mode=["Sometimes"], DelayTimes="5 -1"))
    assert options.modes == ("Monostable", "Bistable") and options.delay is None
    listed = read_relay_options(
        SimpleNamespace(
            Mode=["Bistable"], DelayTimes=SimpleNamespace(_value_1="1 2 5", Discrete=True)
        )
    )
    assert listed.delays == (1.0, 2.0, 5.0) and listed.modes == ("Bistable",)
