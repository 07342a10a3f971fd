"""PTZ service (clause 8): the reads used by the device sync, and the moves, presets, home and
auxiliary commands used by PTZ control (ptz.control)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from cameras.onvif.config_read import raw_elements, span, whole
from cameras.onvif.errors import InvalidArgument, NotSupported, OnvifError
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


def _max_tours(node: Any) -> int:
    """Extension.SupportedPresetTour.MaximumNumberOfPresetTours (typed, or raw when zeep left
    it in the extension's wildcard)."""
    extension = getattr(node, "Extension", None)
    tours = getattr(extension, "SupportedPresetTour", None)
    value = getattr(tours, "MaximumNumberOfPresetTours", None)
    for element in raw_elements(extension, "SupportedPresetTour"):
        value = element.xpath("string(*[local-name()='MaximumNumberOfPresetTours'])")
    return max(0, whole(value) or 0)


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
            max_tours=_max_tours(node),
            geo_move=getattr(node, "GeoMove", None) is True,
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
# absolute zoom in [0, 1]) unless a move names another space the node offers (PtzNode.spaces);
# a zoom given as None is left out of the request (left untouched); pan and tilt go together
# (one given as None is sent as 0). Speeds are in the generic speed spaces (0..1).
SPACES = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/"
PAN_TILT_DEGREES = SPACES + "SphericalPositionSpaceDegrees"  # absolute: pan, tilt in degrees
PAN_TILT_STEP_DEGREES = SPACES + "SphericalTranslationSpaceDegrees"  # relative, in degrees

# Move faults (clause 8.4) and what to tell the operator: (error class, message).
MOVE_FAULTS: dict[str, tuple[type[OnvifError], str]] = {
    "SpaceNotSupported": (NotSupported, "The camera's PTZ node does not offer that space."),
    "InvalidPosition": (InvalidArgument, "The position is outside the range of its space."),
    "InvalidTranslation": (InvalidArgument, "The step is outside the range of its space."),
    "InvalidSpeed": (InvalidArgument, "The speed is outside the camera's speed range."),
    "GeoMoveNotSupported": (NotSupported, "This camera's PTZ node cannot point at a place."),
    "GeoLocationUnknown": (
        InvalidArgument,
        "The camera does not know where it is: set its location on the camera first.",
    ),
    "UnreachablePosition": (
        InvalidArgument,
        "The camera cannot point at that place: it is outside the pan/tilt range.",
    ),
}


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


def _vector(
    pan: float | None,
    tilt: float | None,
    zoom: float | None,
    pan_tilt_space: str | None = None,
    zoom_space: str | None = None,
) -> dict[str, Any]:
    vector: dict[str, Any] = {}
    if pan is not None or tilt is not None:
        vector["PanTilt"] = {"x": pan or 0.0, "y": tilt or 0.0}
        if pan_tilt_space:
            vector["PanTilt"]["space"] = pan_tilt_space
    if zoom is not None:
        vector["Zoom"] = {"x": zoom}
        if zoom_space:
            vector["Zoom"]["space"] = zoom_space
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


def _move_speed(speed: float | None, pan_tilt: float | None, zoom: float | None) -> dict[str, Any]:
    """A Speed with `speed` on both axes, or `pan_tilt` / `zoom` on one; {} = the default."""
    pan_tilt = speed if pan_tilt is None else pan_tilt
    zoom = speed if zoom is None else zoom
    found: dict[str, Any] = {}
    if pan_tilt is not None:
        found["PanTilt"] = {"x": pan_tilt, "y": pan_tilt}
    if zoom is not None:
        found["Zoom"] = {"x": zoom}
    return {"Speed": found} if found else {}


async def _move(client: OnvifClient, operation: str, **kwargs: Any) -> None:
    """Send a move; a move fault becomes an error that says what went wrong."""
    try:
        await client.call("ptz", operation, **kwargs)
    except (InvalidArgument, NotSupported) as exc:
        codes, _, words = exc.detail.partition("]")  # "Sender [subcodes] the camera's words"
        for subcode, (kind, message) in MOVE_FAULTS.items():
            if subcode in codes:
                words = words.strip().rstrip(".")
                text = f"{message} (The camera says: {words}.)" if words else message
                raise kind(text, operation=operation, detail=exc.detail) from exc
        raise


async def absolute_move(
    client: OnvifClient,
    profile_token: str,
    pan: float | None,
    tilt: float | None,
    zoom: float | None,
    speed: float | None = None,
    *,
    pan_tilt_space: str | None = None,
    zoom_space: str | None = None,
    pan_tilt_speed: float | None = None,
    zoom_speed: float | None = None,
) -> None:
    """Move to a position (clause 8.4.2). Pan/tilt are in `pan_tilt_space` (None: the
    configuration's default, the generic space; PAN_TILT_DEGREES: degrees), zoom in
    `zoom_space`. `speed` sets both speeds, `pan_tilt_speed` / `zoom_speed` one each."""
    await _move(
        client, "AbsoluteMove",
        ProfileToken=profile_token,
        Position=_vector(pan, tilt, zoom, pan_tilt_space, zoom_space),
        **_move_speed(speed, pan_tilt_speed, zoom_speed),
    )  # fmt: skip


async def relative_move(
    client: OnvifClient,
    profile_token: str,
    pan: float | None,
    tilt: float | None,
    zoom: float | None,
    speed: float | None = None,
    *,
    pan_tilt_space: str | None = None,
    zoom_space: str | None = None,
    pan_tilt_speed: float | None = None,
    zoom_speed: float | None = None,
) -> None:
    """Move by a step (clause 8.4.3) in `pan_tilt_space` (None: the generic translation
    space; PAN_TILT_STEP_DEGREES: degrees) and `zoom_space`; speeds as for absolute_move.
    A step past a limit stops at the limit."""
    await _move(
        client, "RelativeMove",
        ProfileToken=profile_token,
        Translation=_vector(pan, tilt, zoom, pan_tilt_space, zoom_space),
        **_move_speed(speed, pan_tilt_speed, zoom_speed),
    )  # fmt: skip


async def geo_move(
    client: OnvifClient,
    profile_token: str,
    lon: float,
    lat: float,
    elevation: float,
    speed: float | None = None,
    area_width: float | None = None,
    area_height: float | None = None,
) -> None:
    """Point the camera at a place (clause 8.4.5): `lon`/`lat` in degrees, `elevation` in
    metres above sea level. With `area_width` / `area_height` (metres) the camera picks a
    zoom that frames that area; without, the zoom stays. Needs a node with GeoMove
    (PtzNode.geo_move) and a camera that knows its own location (device.get_geo_location)."""
    area: dict[str, float] = {}
    if area_width is not None:
        area["AreaWidth"] = area_width
    if area_height is not None:
        area["AreaHeight"] = area_height
    await _move(
        client, "GeoMove",
        ProfileToken=profile_token,
        Target={"lon": lon, "lat": lat, "elevation": elevation},
        **_move_speed(speed, None, None),
        **area,
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
