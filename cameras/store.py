"""Write a DeviceSnapshot into the models: children replaced by token, in one transaction."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from django.db import models

from cameras.models import Device
from cameras.onvif.types import FocusMoveOptions, ImagingOptions, MediaProfile, VideoSource
from ptz.models import PtzNode

if TYPE_CHECKING:
    from cameras.sync import DeviceSnapshot


def _replace(manager: Any, rows: dict[str, dict[str, Any]]) -> dict[str, models.Model]:
    """Make the related rows exactly `rows` (token -> fields): update, create, delete."""
    manager.exclude(token__in=list(rows)).delete()
    kept = {}
    for token, fields in rows.items():
        kept[token], _ = manager.update_or_create(token=token, defaults=fields)
    return kept


def store_snapshot(device: Device, snapshot: DeviceSnapshot) -> None:
    info = snapshot.info
    device.manufacturer, device.model, device.firmware = (
        info.manufacturer,
        info.model,
        info.firmware,
    )
    device.serial, device.hardware_id = info.serial, info.hardware_id
    device.scopes = snapshot.scopes
    device.clock_offset = snapshot.clock_offset
    device.services = {
        s.name: {"xaddr": s.xaddr, "advertised": s.advertised, "version": s.version}
        for s in snapshot.services
    }
    if snapshot.media is not None:
        device.media_capabilities = snapshot.media.as_json()
    if not device.name or device.name == device.address:
        name = next((s.rsplit("/", 1)[1] for s in snapshot.scopes if "/name/" in s), "")
        device.name = name or f"{info.manufacturer} {info.model}".strip() or device.address
    if snapshot.video_sources is not None:  # None: not read this time, the stored ones stay
        _replace(
            device.video_sources,
            {
                s.token: _source_fields(s, snapshot.imaging.get(s.token))
                for s in snapshot.video_sources
            },
        )
    store_profiles(device, snapshot.profiles, snapshot.stream_uris, snapshot.snapshot_uris)
    nodes = _replace(
        device.ptz_nodes,
        {
            n.token: {
                "name": n.name,
                "max_presets": n.max_presets,
                "home_supported": n.home_supported,
                "aux_commands": list(n.aux_commands),
                "max_tours": n.max_tours,
                "geo_move": n.geo_move,
                "spaces": list(n.spaces),
                "space_ranges": [
                    {"group": s.group, "uri": s.uri, "x": s.x, "y": s.y} for s in n.space_groups
                ],
            }
            for n in snapshot.ptz_nodes
        },
    )
    for token, node in nodes.items():
        assert isinstance(node, PtzNode)
        presets = snapshot.presets.get(token, [])
        _replace(
            node.presets,
            {
                p.token: {"name": p.name, "pan": p.pan, "tilt": p.tilt, "zoom": p.zoom}
                for p in presets
            },
        )


def store_profiles(
    device: Device,
    profiles: list[MediaProfile],
    stream_uris: dict[str, str],
    snapshot_uris: dict[str, str],
) -> None:
    """Make the device's profiles exactly `profiles`, in the camera's order."""
    _replace(
        device.profiles,
        {
            p.token: _profile_fields(p, i, stream_uris, snapshot_uris)
            for i, p in enumerate(profiles)
        },
    )


def _profile_fields(
    profile: MediaProfile, position: int, stream_uris: dict[str, str], snapshot_uris: dict[str, str]
) -> dict[str, Any]:
    encoder = profile.video_encoder
    return {
        "name": profile.name,
        "position": position,
        "fixed": profile.fixed,
        "video_source_token": profile.video_source_token or "",
        "encoding": encoder.encoding if encoder else "",
        "width": encoder.width if encoder else None,
        "height": encoder.height if encoder else None,
        "fps": encoder.fps if encoder else None,
        "bitrate_kbps": encoder.bitrate_kbps if encoder else None,
        "gov_length": encoder.gov_length if encoder else None,
        "audio_encoding": profile.audio_encoding or "",
        "ptz_node_token": profile.ptz_node_token or "",
        "has_metadata": profile.has_metadata,
        "has_audio_output": profile.has_audio_output,
        "stream_uri": stream_uris.get(profile.token, ""),
        "snapshot_uri": snapshot_uris.get(profile.token, ""),
    }


def _source_fields(source: VideoSource, options: ImagingOptions | None) -> dict[str, Any]:
    return {
        "width": source.width,
        "height": source.height,
        "framerate": source.framerate,
        "imaging_ranges": {k: list(v) for k, v in options.ranges.items()} if options else {},
        "imaging_modes": {k: list(v) for k, v in options.modes.items()} if options else {},
        "focus_modes": list(options.focus_modes) if options else [],
        "focus_moves": _focus_moves(options.focus_moves if options else None),
    }


def _focus_moves(moves: FocusMoveOptions | None) -> dict[str, list[float]]:
    """The focus moves offered, as ranges: {"continuous_speed": [-1, 1], ...}."""
    if moves is None or not moves.offered:
        return {}
    return {k: list(v) for k, v in asdict(moves).items() if v is not None}
