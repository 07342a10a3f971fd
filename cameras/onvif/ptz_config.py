"""PTZ configurations (clause 8.2-8.3, 8.10): GetConfigurations, GetConfiguration,
GetConfigurationOptions, SetConfiguration, GetCompatibleConfigurations. A change is written
onto the camera's own configuration (read, changed, sent back): what the VMS does not model
is kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from zeep.helpers import serialize_object

from cameras.onvif.config_read import (
    num,
    plain_text,
    raw_elements,
    seconds,
    span,
    texts,
    whole,
)
from cameras.onvif.errors import ProtocolError
from cameras.onvif.ptz import read_spaces
from cameras.onvif.types import PtzSpace

if TYPE_CHECKING:
    from cameras.onvif.client import OnvifClient

Span = tuple[float, float]
DIRECTION = "PTControlDirection"


@dataclass(frozen=True, kw_only=True)
class PtzConfiguration:
    token: str
    name: str
    node_token: str
    use_count: int = 0
    pan_tilt_speed: float | None = None  # DefaultPTZSpeed (x; y is set alike)
    zoom_speed: float | None = None
    timeout: float | None = None  # DefaultPTZTimeout, seconds
    pan_limits: Span | None = None  # PanTiltLimits XRange
    tilt_limits: Span | None = None  # PanTiltLimits YRange
    zoom_limits: Span | None = None  # ZoomLimits XRange
    eflip: str = ""  # OFF, ON, Extended; "" when the camera does not say
    reverse: str = ""  # OFF, ON, AUTO, Extended


@dataclass(frozen=True, kw_only=True)
class PtzConfigurationOptions:
    timeout: Span | None = None
    eflip_modes: tuple[str, ...] = ()
    reverse_modes: tuple[str, ...] = ()
    spaces: tuple[PtzSpace, ...] = ()


def _direction(extension: Any) -> tuple[str, str]:
    """(EFlip, Reverse) modes of tt:PTControlDirection; zeep leaves it as a raw element in
    the extension's xs:any when the schema's wildcard comes first."""
    direction = getattr(extension, DIRECTION, None)
    if direction is not None:
        eflip = plain_text(getattr(getattr(direction, "EFlip", None), "Mode", ""))
        return eflip, plain_text(getattr(getattr(direction, "Reverse", None), "Mode", ""))
    for element in raw_elements(extension, DIRECTION):
        modes = [
            element.xpath(f"string(*[local-name()='{part}']/*[local-name()='Mode'])")
            for part in ("EFlip", "Reverse")
        ]
        return str(modes[0]).strip(), str(modes[1]).strip()
    return "", ""


def read_configuration(node: Any) -> PtzConfiguration | None:
    token = plain_text(getattr(node, "token", ""))
    if not token:
        return None
    speed = getattr(node, "DefaultPTZSpeed", None)
    pan_tilt = getattr(getattr(node, "PanTiltLimits", None), "Range", None)
    zoom = getattr(getattr(node, "ZoomLimits", None), "Range", None)
    eflip, reverse = _direction(getattr(node, "Extension", None))
    return PtzConfiguration(
        token=token,
        name=plain_text(getattr(node, "Name", "")) or token,
        node_token=plain_text(getattr(node, "NodeToken", "")),
        use_count=max(whole(getattr(node, "UseCount", None)) or 0, 0),
        pan_tilt_speed=num(getattr(getattr(speed, "PanTilt", None), "x", None)),
        zoom_speed=num(getattr(getattr(speed, "Zoom", None), "x", None)),
        timeout=seconds(getattr(node, "DefaultPTZTimeout", None)),
        pan_limits=span(getattr(pan_tilt, "XRange", None)),
        tilt_limits=span(getattr(pan_tilt, "YRange", None)),
        zoom_limits=span(getattr(zoom, "XRange", None)),
        eflip=eflip,
        reverse=reverse,
    )


def _modes(node: Any, part: str) -> tuple[str, ...]:
    """The Mode list of EFlip or Reverse in tt:PTControlDirectionOptions (typed, or a raw
    element in the xs:any before it)."""
    direction = getattr(node, DIRECTION, None)
    if direction is not None:
        return texts(getattr(getattr(direction, part, None), "Mode", None))
    for element in raw_elements(node, DIRECTION):
        path = f"*[local-name()='{part}']/*[local-name()='Mode']/text()"
        return tuple(str(m).strip() for m in element.xpath(path) if str(m).strip())
    return ()


def read_options(node: Any) -> PtzConfigurationOptions:
    return PtzConfigurationOptions(
        timeout=span(getattr(node, "PTZTimeout", None), seconds),
        eflip_modes=_modes(node, "EFlip"),
        reverse_modes=_modes(node, "Reverse"),
        spaces=read_spaces(getattr(node, "Spaces", None)),
    )


def write_configuration(current: Any, config: PtzConfiguration) -> dict[str, Any]:
    """The camera's configuration `current` as a dict carrying the values of `config`."""
    data = serialize_object(current, dict)
    data = data if isinstance(data, dict) else {}
    data["Name"] = config.name
    speed = data.get("DefaultPTZSpeed") or {}
    if config.pan_tilt_speed is not None:
        pan_tilt = speed.get("PanTilt") or {}
        speed["PanTilt"] = pan_tilt | {"x": config.pan_tilt_speed, "y": config.pan_tilt_speed}
    if config.zoom_speed is not None:
        speed["Zoom"] = (speed.get("Zoom") or {}) | {"x": config.zoom_speed}
    if speed:
        data["DefaultPTZSpeed"] = speed
    if config.timeout is not None:
        data["DefaultPTZTimeout"] = timedelta(seconds=config.timeout)
    for key, axis, limit in (
        ("PanTiltLimits", "XRange", config.pan_limits),
        ("PanTiltLimits", "YRange", config.tilt_limits),
        ("ZoomLimits", "XRange", config.zoom_limits),
    ):
        if limit is not None:
            limits = data.get(key) or {"Range": {}}
            bounds = {"Min": limit[0], "Max": limit[1]}
            limits["Range"] = (limits.get("Range") or {}) | {axis: bounds}
            data[key] = limits
    if config.eflip or config.reverse:
        extension = data.get("Extension") or {}
        raw = set(raw_elements(SimpleNamespace(_value_1=extension.get("_value_1")), DIRECTION))
        kept = [e for e in extension.get("_value_1") or [] if e not in raw]
        extension["_value_1"] = kept or None  # the direction goes in its own field
        direction = extension.get("PTControlDirection") or {}
        if config.eflip:
            direction["EFlip"] = {"Mode": config.eflip}
        if config.reverse:
            direction["Reverse"] = {"Mode": config.reverse}
        extension["PTControlDirection"] = direction
        data["Extension"] = extension
    return data


async def get_configurations(client: OnvifClient) -> list[PtzConfiguration]:
    answer = await client.call("ptz", "GetConfigurations")
    return [c for node in answer or [] if (c := read_configuration(node)) is not None]


async def get_configuration(client: OnvifClient, token: str) -> PtzConfiguration:
    answer = await client.call("ptz", "GetConfiguration", PTZConfigurationToken=token)
    found = read_configuration(answer)
    if found is None:
        raise ProtocolError(f"The camera answered GetConfiguration({token}) without a token.")
    return found


async def get_configuration_options(client: OnvifClient, token: str) -> PtzConfigurationOptions:
    answer = await client.call("ptz", "GetConfigurationOptions", ConfigurationToken=token)
    return read_options(answer)


async def set_configuration(client: OnvifClient, config: PtzConfiguration) -> None:
    current = await client.call("ptz", "GetConfiguration", PTZConfigurationToken=config.token)
    await client.call(
        "ptz",
        "SetConfiguration",
        PTZConfiguration=write_configuration(current, config),
        ForcePersistence=True,
    )


async def get_compatible_configurations(
    client: OnvifClient, profile_token: str
) -> list[PtzConfiguration]:
    answer = await client.call("ptz", "GetCompatibleConfigurations", ProfileToken=profile_token)
    return [c for node in answer or [] if (c := read_configuration(node)) is not None]
