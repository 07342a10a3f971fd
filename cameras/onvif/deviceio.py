"""Device IO (clause 5, and the relay and input operations of the Device IO service): what
the camera has, its relay outputs and digital inputs. Relay states are not readable (the
standard has no GetRelayState): the camera reports them in tns1:Device/Trigger/Relay events.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cameras.onvif.config_read import num, plain_text, seconds, texts, whole
from cameras.onvif.config_types import Range

if TYPE_CHECKING:
    from cameras.onvif.client import OnvifClient

RELAY_MODES = ("Monostable", "Bistable")
IDLE_STATES = ("closed", "open")


@dataclass(frozen=True)
class DeviceIOCapabilities:
    video_sources: int = 0
    video_outputs: int = 0
    audio_sources: int = 0
    audio_outputs: int = 0
    relay_outputs: int = 0
    digital_inputs: int = 0
    serial_ports: int = 0
    digital_input_options: bool = False  # the inputs' idle state can be set


@dataclass(frozen=True)
class RelayOutput:
    token: str
    mode: str  # Monostable: back to idle after delay; Bistable: stays
    delay: float | None  # seconds
    idle_state: str  # closed or open


@dataclass(frozen=True)
class RelayOptions:
    modes: tuple[str, ...] = RELAY_MODES
    delay: Range | None = None  # seconds; None with `delays` when the camera lists values
    delays: tuple[float, ...] = ()


@dataclass(frozen=True)
class VideoOutput:
    token: str
    width: int | None = None
    height: int | None = None
    refresh_rate: float | None = None  # Hz
    aspect_ratio: float | None = None


@dataclass(frozen=True)
class VideoOutputConfig:
    token: str
    name: str
    output_token: str
    use_count: int = 0


@dataclass(frozen=True)
class DigitalInput:
    token: str
    idle_state: str = ""  # "" when the camera does not say


def _count(node: Any, name: str) -> int:
    return max(whole(getattr(node, name, None)) or 0, 0)


async def get_service_capabilities(client: OnvifClient) -> DeviceIOCapabilities:
    node = await client.call("deviceio", "GetServiceCapabilities")
    return DeviceIOCapabilities(
        video_sources=_count(node, "VideoSources"),
        video_outputs=_count(node, "VideoOutputs"),
        audio_sources=_count(node, "AudioSources"),
        audio_outputs=_count(node, "AudioOutputs"),
        relay_outputs=_count(node, "RelayOutputs"),
        digital_inputs=_count(node, "DigitalInputs"),
        serial_ports=_count(node, "SerialPorts"),
        digital_input_options=getattr(node, "DigitalInputOptions", False) in (True, "true"),
    )


async def _tokens(client: OnvifClient, operation: str) -> list[str]:
    answer = await client.call("deviceio", operation)
    return [t for value in answer or [] if (t := plain_text(value))]


async def get_video_sources(client: OnvifClient) -> list[str]:
    return await _tokens(client, "GetVideoSources")


async def get_audio_sources(client: OnvifClient) -> list[str]:
    return await _tokens(client, "GetAudioSources")


async def get_audio_outputs(client: OnvifClient) -> list[str]:
    return await _tokens(client, "GetAudioOutputs")


def read_video_output(node: Any) -> VideoOutput | None:
    token = plain_text(getattr(node, "token", ""))
    if not token:
        return None
    size = getattr(node, "Resolution", None)
    width, height = whole(getattr(size, "Width", None)), whole(getattr(size, "Height", None))
    return VideoOutput(
        token=token,
        width=width if width and width > 0 else None,
        height=height if height and height > 0 else None,
        refresh_rate=num(getattr(node, "RefreshRate", None)),
        aspect_ratio=num(getattr(node, "AspectRatio", None)),
    )


async def get_video_outputs(client: OnvifClient) -> list[VideoOutput]:
    answer = await client.call("deviceio", "GetVideoOutputs")
    return [o for node in answer or [] if (o := read_video_output(node)) is not None]


async def get_video_output_configuration(
    client: OnvifClient, video_output_token: str
) -> VideoOutputConfig:
    answer = await client.call(
        "deviceio", "GetVideoOutputConfiguration", VideoOutputToken=video_output_token
    )
    node = getattr(answer, "VideoOutputConfiguration", answer)
    return VideoOutputConfig(
        token=plain_text(getattr(node, "token", "")),
        name=plain_text(getattr(node, "Name", "")),
        output_token=plain_text(getattr(node, "OutputToken", "")) or video_output_token,
        use_count=max(whole(getattr(node, "UseCount", None)) or 0, 0),
    )


async def get_video_output_configuration_options(
    client: OnvifClient, video_output_token: str
) -> Any:
    """The options as the camera gives them (the standard defines no fields in them)."""
    return await client.call(
        "deviceio", "GetVideoOutputConfigurationOptions", VideoOutputToken=video_output_token
    )


async def set_video_output_configuration(client: OnvifClient, config: VideoOutputConfig) -> None:
    await client.call(
        "deviceio",
        "SetVideoOutputConfiguration",
        Configuration={
            "token": config.token,
            "Name": config.name,
            "UseCount": config.use_count,
            "OutputToken": config.output_token,
        },
        ForcePersistence=True,
    )


def read_relay(node: Any) -> RelayOutput | None:
    token = plain_text(getattr(node, "token", ""))
    if not token:
        return None
    props = getattr(node, "Properties", None)
    return RelayOutput(
        token=token,
        mode=plain_text(getattr(props, "Mode", "")) or "Bistable",
        delay=seconds(getattr(props, "DelayTime", None)),
        idle_state=plain_text(getattr(props, "IdleState", "")) or "open",
    )


async def get_relay_outputs(client: OnvifClient) -> list[RelayOutput]:
    answer = await client.call("deviceio", "GetRelayOutputs")
    return [r for node in answer or [] if (r := read_relay(node)) is not None]


def read_relay_options(node: Any) -> RelayOptions:
    modes = tuple(m for m in texts(getattr(node, "Mode", None)) if m in RELAY_MODES)
    delays = getattr(node, "DelayTimes", None)
    values = [n for v in texts(getattr(delays, "_value_1", delays)) if (n := num(v)) is not None]
    discrete = getattr(delays, "Discrete", False) in (True, "true")
    span = Range(min(values), max(values)) if len(values) == 2 and not discrete and values else None
    return RelayOptions(
        modes=modes or RELAY_MODES,
        delay=span if span and span.min >= 0 else None,
        delays=tuple(v for v in values if v >= 0) if discrete else (),
    )


async def get_relay_output_options(client: OnvifClient) -> dict[str, RelayOptions]:
    """GetRelayOutputOptions for every relay, by token."""
    answer = await client.call("deviceio", "GetRelayOutputOptions")
    found = {}
    for node in answer or []:
        if token := plain_text(getattr(node, "token", "")):
            found[token] = read_relay_options(node)
    return found


async def set_relay_output_settings(client: OnvifClient, relay: RelayOutput) -> None:
    await client.call(
        "deviceio",
        "SetRelayOutputSettings",
        RelayOutput={
            "token": relay.token,
            "Properties": {
                "Mode": relay.mode,
                "DelayTime": f"PT{relay.delay or 0:g}S",
                "IdleState": relay.idle_state,
            },
        },
    )


async def set_relay_output_state(client: OnvifClient, token: str, active: bool) -> None:
    await client.call(
        "deviceio",
        "SetRelayOutputState",
        RelayOutputToken=token,
        LogicalState="active" if active else "inactive",
    )


async def get_digital_inputs(client: OnvifClient) -> list[DigitalInput]:
    answer = await client.call("deviceio", "GetDigitalInputs")
    found = []
    for node in answer or []:
        if token := plain_text(getattr(node, "token", "")):
            idle = plain_text(getattr(node, "IdleState", ""))
            found.append(DigitalInput(token, idle if idle in IDLE_STATES else ""))
    return found


async def get_digital_input_configuration_options(client: OnvifClient) -> tuple[str, ...]:
    """The idle states the inputs may take."""
    answer = await client.call("deviceio", "GetDigitalInputConfigurationOptions")
    node = getattr(answer, "DigitalInputOptions", answer)
    return tuple(s for s in texts(getattr(node, "IdleState", None)) if s in IDLE_STATES)


async def set_digital_input_configurations(client: OnvifClient, inputs: list[DigitalInput]) -> None:
    await client.call(
        "deviceio",
        "SetDigitalInputConfigurations",
        DigitalInputs=[{"token": i.token, "IdleState": i.idle_state} for i in inputs],
    )
