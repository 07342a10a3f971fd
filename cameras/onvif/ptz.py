"""PTZ service reads used by the device sync."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cameras.onvif.types import PtzNode, PtzPreset

if TYPE_CHECKING:
    from cameras.onvif.client import OnvifClient


def _spaces(spaces: Any) -> tuple[str, ...]:
    uris: list[str] = []
    for name in ("AbsolutePanTiltPositionSpace", "AbsoluteZoomPositionSpace",
                 "RelativePanTiltTranslationSpace", "RelativeZoomTranslationSpace",
                 "ContinuousPanTiltVelocitySpace", "ContinuousZoomVelocitySpace"):  # fmt: skip
        uris.extend(str(space.URI) for space in getattr(spaces, name, None) or [])
    return tuple(uris)


async def get_nodes(client: OnvifClient) -> list[PtzNode]:
    answer = await client.call("ptz", "GetNodes")
    return [
        PtzNode(
            token=str(node.token),
            name=str(node.Name or node.token),
            max_presets=int(node.MaximumNumberOfPresets or 0),
            home_supported=bool(node.HomeSupported),
            aux_commands=tuple(str(c) for c in node.AuxiliaryCommands or []),
            spaces=_spaces(node.SupportedPTZSpaces),
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
