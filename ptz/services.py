"""What the live page needs to draw PTZ controls: read from the database, no camera calls."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from frontend.roles import OPERATE_PTZ
from ptz.models import PtzNode


def aux_label(command: str) -> str:
    """ "tt:Wiper|On" -> "Wiper on"; vendor commands are shown as they are."""
    name, _, value = command.removeprefix("tt:").partition("|")
    words = {"IRLamp": "IR lamp", "WashingProcedure": "Washing"}.get(name, name)
    return f"{words} {value.lower()}".strip()


def controls_for(
    user: User | AnonymousUser, device_ids: Iterable[int]
) -> dict[int, dict[str, Any]]:
    """PTZ controls per device id, for the devices that have a PTZ node; {} for users whose
    role does not allow PTZ (they see no controls)."""
    if not user.has_perm(OPERATE_PTZ):
        return {}
    controls: dict[int, dict[str, Any]] = {}
    nodes = PtzNode.objects.filter(device_id__in=list(device_ids)).prefetch_related("presets")
    for node in nodes.order_by("device_id", "token"):
        if node.device_id in controls:  # one node per camera is steered (the first profile's)
            continue
        controls[node.device_id] = {
            "node": node.token,
            "home": node.home_supported,
            "presets": [{"token": p.token, "name": p.name} for p in node.presets.all()]
            if node.max_presets
            else None,
            "aux": [{"command": c, "label": aux_label(c)} for c in node.aux_commands],
        }
    return controls
