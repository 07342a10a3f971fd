"""PTZ service (clause 8): the reads used by the device sync, and the moves, presets, home and
auxiliary commands used by PTZ control (ptz.control)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from cameras.onvif.config_read import span
from cameras.onvif.types import PtzNode, PtzPreset, PtzSpace

if TYPE_CHECKING:
    from cameras.onvif.client import OnvifClient


SPACE_GROUPS = (
    "AbsolutePanTiltPositionSpace",
    "AbsoluteZoomPositionSpace",
    "RelativePanTiltTranslationSpace",
    "RelativeZoomTranslationSpace",
    "ContinuousPanTiltVelocitySpace",
    "ContinuousZoomVelocitySpace",
    "PanTiltSpeedSpace",
    "ZoomSpeedSpace",
)


def read_spaces(spaces: Any) -> tuple[PtzSpace, ...]:
    """Every space of the eight groups (tt:Space2DDescription: XRange, YRange; 1D: XRange)."""
    found = []
    for group in SPACE_GROUPS:
        for space in getattr(spaces, group, None) or []:
            uri = str(getattr(space, "URI", "") or "")
            if uri:
                x, y = getattr(space, "XRange", None), getattr(space, "YRange", None)
                found.append(PtzSpace(group, uri, span(x), span(y)))
    return tuple(found)


async def get_nodes(client: OnvifClient) -> list[PtzNode]:
    answer = await client.call("ptz", "GetNodes")
    return [
        PtzNode(
            token=str(node.token),
            name=str(node.Name or node.token),
            max_presets=int(node.MaximumNumberOfPresets or 0),
            home_supported=bool(node.HomeSupported),
            aux_commands=tuple(str(c) for c in node.AuxiliaryCommands or []),
            spaces=tuple(space.uri for space in read_spaces(node.SupportedPTZSpaces)),
            space_groups=read_spaces(node.SupportedPTZSpaces),
        )
        for node in answer or []
    ]


async def get_presets(client: OnvifClient, profile_token: str) -> list[PtzPreset]:
    answer = await client.call("ptz", "GetPresets", ProfileToken=profile_token)
    presets = []
    for preset in answer or []:
        position = preset.PTZPosition
        pan_tilt = getattr(position, "PanTilt", None)
        zoom = getattr(position, "Zoom", None)
        presets.append(
            PtzPreset(
                token=str(preset.token),
                name=str(preset.Name or preset.token),
                pan=float(pan_tilt.x) if pan_tilt is not None else None,
                tilt=float(pan_tilt.y) if pan_tilt is not None else None,
                zoom=float(zoom.x) if zoom is not None else None,
            )
        )
    return presets


# -- moves, presets, home, aux (clause 8.4-8.7) -----------------------------------------------
# Vectors are in the node's default spaces (the generic ones: pan/tilt and zoom in [-1, 1],
# absolute zoom in [0, 1]); an axis given as None is left out of the request (left untouched).


@dataclass(frozen=True)
class PtzStatus:
    pan: float | None
    tilt: float | None
    zoom: float | None
    pan_tilt_moving: bool
    zoom_moving: bool
    error: str = ""

    @property
    def moving(self) -> bool:
        return self.pan_tilt_moving or self.zoom_moving


def _vector(pan: float | None, tilt: float | None, zoom: float | None) -> dict[str, Any]:
    vector: dict[str, Any] = {}
    if pan is not None or tilt is not None:
        vector["PanTilt"] = {"x": pan or 0.0, "y": tilt or 0.0}
    if zoom is not None:
        vector["Zoom"] = {"x": zoom}
    return vector


def _speed(speed: float | None) -> dict[str, Any]:
    return (
        {}
        if speed is None
        else {"Speed": {"PanTilt": {"x": speed, "y": speed}, "Zoom": {"x": speed}}}
    )


async def continuous_move(
    client: OnvifClient,
    profile_token: str,
    pan: float | None,
    tilt: float | None,
    zoom: float | None,
    timeout: float,
) -> None:
    """Move at a velocity until `timeout` seconds pass (the camera stops by itself) or the
    next command; a 0 axis stops that axis."""
    await client.call(
        "ptz", "ContinuousMove",
        ProfileToken=profile_token,
        Velocity=_vector(pan, tilt, zoom),
        Timeout=timedelta(seconds=timeout),
    )  # fmt: skip


async def stop(
    client: OnvifClient, profile_token: str, *, pan_tilt: bool = True, zoom: bool = True
) -> None:
    await client.call("ptz", "Stop", ProfileToken=profile_token, PanTilt=pan_tilt, Zoom=zoom)


async def absolute_move(
    client: OnvifClient,
    profile_token: str,
    pan: float | None,
    tilt: float | None,
    zoom: float | None,
    speed: float | None = None,
) -> None:
    await client.call(
        "ptz", "AbsoluteMove",
        ProfileToken=profile_token, Position=_vector(pan, tilt, zoom), **_speed(speed),
    )  # fmt: skip


async def relative_move(
    client: OnvifClient,
    profile_token: str,
    pan: float | None,
    tilt: float | None,
    zoom: float | None,
    speed: float | None = None,
) -> None:
    await client.call(
        "ptz", "RelativeMove",
        ProfileToken=profile_token, Translation=_vector(pan, tilt, zoom), **_speed(speed),
    )  # fmt: skip


def _move_status(value: Any) -> bool:
    return str(value or "IDLE").upper() == "MOVING"


async def get_status(client: OnvifClient, profile_token: str) -> PtzStatus:
    answer = await client.call("ptz", "GetStatus", ProfileToken=profile_token)
    position = getattr(answer, "Position", None)
    pan_tilt = getattr(position, "PanTilt", None)
    zoom = getattr(position, "Zoom", None)
    moving = getattr(answer, "MoveStatus", None)
    return PtzStatus(
        pan=float(pan_tilt.x) if pan_tilt is not None else None,
        tilt=float(pan_tilt.y) if pan_tilt is not None else None,
        zoom=float(zoom.x) if zoom is not None else None,
        pan_tilt_moving=_move_status(getattr(moving, "PanTilt", None)),
        zoom_moving=_move_status(getattr(moving, "Zoom", None)),
        error=str(getattr(answer, "Error", None) or ""),
    )


async def goto_preset(
    client: OnvifClient, profile_token: str, preset_token: str, speed: float | None = None
) -> None:
    await client.call(
        "ptz", "GotoPreset", ProfileToken=profile_token, PresetToken=preset_token, **_speed(speed)
    )


async def set_preset(
    client: OnvifClient,
    profile_token: str,
    name: str | None = None,
    preset_token: str | None = None,
) -> str:
    """Store the current position: a new preset, or over `preset_token` (renamed to `name` if
    given). Returns the preset's token."""
    extra: dict[str, Any] = {}
    if name is not None:
        extra["PresetName"] = name
    if preset_token is not None:
        extra["PresetToken"] = preset_token
    answer = await client.call("ptz", "SetPreset", ProfileToken=profile_token, **extra)
    return str(answer if isinstance(answer, str) else getattr(answer, "PresetToken", answer))


async def remove_preset(client: OnvifClient, profile_token: str, preset_token: str) -> None:
    await client.call("ptz", "RemovePreset", ProfileToken=profile_token, PresetToken=preset_token)


async def goto_home_position(
    client: OnvifClient, profile_token: str, speed: float | None = None
) -> None:
    await client.call("ptz", "GotoHomePosition", ProfileToken=profile_token, **_speed(speed))


async def set_home_position(client: OnvifClient, profile_token: str) -> None:
    await client.call("ptz", "SetHomePosition", ProfileToken=profile_token)


async def send_auxiliary_command(client: OnvifClient, profile_token: str, data: str) -> str:
    answer = await client.call(
        "ptz", "SendAuxiliaryCommand", ProfileToken=profile_token, AuxiliaryData=data
    )
    return str(answer if answer is not None else "")
