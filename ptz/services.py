"""What the live page needs to draw PTZ controls: read from the database, no camera calls."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from cameras.models import MediaProfile, VideoSource
from frontend.roles import OPERATE_PTZ
from ptz.models import PtzNode
from ptz.positions import GROUPS, short


def aux_label(command: str) -> str:
    """ "tt:Wiper|On" -> "Wiper on"; vendor commands are shown as they are."""
    name, _, value = command.removeprefix("tt:").partition("|")
    words = {"IRLamp": "IR lamp", "WashingProcedure": "Washing"}.get(name, name)
    return f"{words} {value.lower()}".strip()


def focusable_sources(device_ids: Iterable[int]) -> dict[int, list[VideoSource]]:
    """Every video source whose focus can be moved, per device id: sources whose imaging
    service offers continuous focus moves (stored by the sync from GetMoveOptions)."""
    found: dict[int, list[VideoSource]] = {}
    sources = VideoSource.objects.filter(device_id__in=list(device_ids)).select_related("device")
    for s in sources.order_by("device_id", "token"):
        if "imaging" in s.device.services and s.continuous_focus is not None:
            found.setdefault(s.device_id, []).append(s)
    return found


def focus_sources(
    device_ids: Iterable[int], focusable: dict[int, list[VideoSource]] | None = None
) -> dict[int, VideoSource]:
    """The video source a camera's focus commands move when they name none, per device id:
    the source of the first profile with PTZ, else of the first profile, if it can focus
    (`focusable`: focusable_sources of these devices, when the caller has it already)."""
    ids = list(device_ids)
    chosen: dict[int, MediaProfile] = {}
    profiles = MediaProfile.objects.filter(device_id__in=ids).exclude(video_source_token="")
    for profile in profiles.order_by("device_id", "position"):
        first = chosen.get(profile.device_id)
        if first is None or (profile.ptz_node_token and not first.ptz_node_token):
            chosen[profile.device_id] = profile
    return {
        device_id: s
        for device_id, sources in (
            focusable_sources(chosen) if focusable is None else focusable
        ).items()
        if device_id in chosen
        for s in sources
        if s.token == chosen[device_id].video_source_token
    }


def move_spaces(space_ranges: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The spaces of the tile's "Move to" dialog, per group: [{uri, name, x, y}]."""
    wanted = {group for pair in GROUPS.values() for group in pair}
    spaces: dict[str, list[dict[str, Any]]] = {}
    for s in space_ranges:
        if s.get("group") in wanted and s.get("uri"):
            entry = {"uri": s["uri"], "name": short(s["uri"]), "x": s.get("x"), "y": s.get("y")}
            spaces.setdefault(s["group"], []).append(entry)
    return spaces


def controls_for(
    user: User | AnonymousUser, device_ids: Iterable[int]
) -> dict[int, dict[str, Any]]:
    """PTZ and focus controls per device id, for the devices that have a PTZ node or a remote
    focus; {} for users whose role does not allow PTZ (they see no controls). "ptz" says
    whether the camera has PTZ; "focus" is None without remote focus, else whether auto
    focus can be switched. "source" is the video source they belong to (the source of the
    first profile with PTZ, else the focus source). "lenses" names every source whose focus
    can be moved ({token: {"auto"}}): a camera with several sensors has focus controls on the
    live tiles of each (frontend.views)."""
    if not user.has_perm(OPERATE_PTZ):
        return {}
    ids = list(device_ids)
    controls: dict[int, dict[str, Any]] = {}
    ptz_sources: dict[int, str] = {}
    with_ptz = MediaProfile.objects.filter(device_id__in=ids).exclude(ptz_node_token="")
    for profile in with_ptz.order_by("device_id", "position"):
        ptz_sources.setdefault(profile.device_id, profile.video_source_token)
    nodes = PtzNode.objects.filter(device_id__in=ids).prefetch_related("presets")
    for node in nodes.order_by("device_id", "token"):
        if node.device_id in controls:  # one node per camera is steered (the first profile's)
            continue
        controls[node.device_id] = {
            "ptz": True,
            "node": node.token,
            "home": node.home_supported,
            "presets": [{"token": p.token, "name": p.name} for p in node.presets.all()]
            if node.max_presets
            else None,
            "aux": [{"command": c, "label": aux_label(c)} for c in node.aux_commands],
            "tours": node.max_tours > 0,
            "spaces": move_spaces(node.space_ranges),
            "geo": node.geo_move,
            "focus": None,
            "source": ptz_sources.get(node.device_id, ""),
        }
    focusable = focusable_sources(ids)
    for device_id, source in focus_sources(ids, focusable).items():
        entry = controls.setdefault(device_id, lens_only(source.token))
        entry.setdefault("source", source.token)
        entry["focus"] = {"auto": "AUTO" in source.focus_modes}
    for device_id, sources in focusable.items():
        entry = controls.setdefault(device_id, lens_only(""))
        entry["lenses"] = {s.token: {"auto": "AUTO" in s.focus_modes} for s in sources}
    return controls


def lens_only(source: str) -> dict[str, Any]:
    """The controls of a video source with a remote focus and no PTZ."""
    return {
        "ptz": False, "node": None, "home": False, "presets": None, "aux": [], "focus": None,
        "source": source,
    }  # fmt: skip
