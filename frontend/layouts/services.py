"""Layouts of the live page: which camera in which cell, with which stream profile."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from cameras.models import Device, MediaProfile
from cameras.services import playable_profiles
from frontend.layouts.models import LiveView

GRIDS = tuple(LiveView.Grid.values)
MAX_CELLS = GRIDS[-1]  # every layout keeps this many cells, whatever its grid shows


@dataclass(frozen=True)
class Camera:
    """What the live page can play: one video source of a device (a camera with two sensors
    gives two), with its main profile and its smallest one. `key` names it in layouts: the
    device id for the device's first source, "<device id>:<source token>" for the others."""

    device_id: int
    name: str
    main: str
    sub: str
    talk: bool = False  # has an audio back channel (a loudspeaker)
    key: str = ""
    source: str = ""  # the video source token ("" if the camera did not say)
    online: bool = True


@dataclass(frozen=True)
class Cell:
    index: int
    camera: Camera | None
    profile: str  # the sub profile in grids of 4 and more, the main one alone or enlarged


def _source_label(token: str) -> str:
    return token.replace("_", " ").strip() or "first source"


def cameras() -> dict[str, Camera]:
    """Every live entry by key: one per (device, video source) with playable profiles, the
    device's sources in the order of their first profile."""
    found: dict[str, Camera] = {}
    for device in Device.objects.prefetch_related("profiles"):
        profiles = list(device.profiles.all())
        playable = playable_profiles(profiles)  # H.265 only: the gateway transcodes
        by_source: dict[str, list[MediaProfile]] = {}
        for profile in sorted(playable, key=lambda p: p.position):
            by_source.setdefault(profile.video_source_token, []).append(profile)
        talk = any(p.has_audio_output for p in profiles)
        online = device.status != Device.Status.OFFLINE
        several = len(by_source) > 1
        for n, (source, own) in enumerate(by_source.items()):
            main = own[0]
            sub = min(own, key=lambda p: ((p.width or 0) * (p.height or 0), p.position))
            key = str(device.pk) if n == 0 else f"{device.pk}:{source}"
            name = f"{device} · {_source_label(source)}" if several else str(device)
            found[key] = Camera(device.pk, name, main.token, sub.token, talk, key, source, online)
    return found


def grid_for(count: int) -> int:
    """The smallest grid of 4 or more cells that holds `count` cameras (16 at most)."""
    return next((g for g in GRIDS if g >= max(count, 4)), GRIDS[-1])


def entry_key(value: Any, known: dict[str, Camera]) -> str | None:
    """The key of a known entry that a cell value names, or None. Accepts the keys, device
    ids as numbers (layouts saved before sources had entries, API clients) and
    "<id>:<token>" for a device's first source too."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or len(value) > 200:
        return None
    if value in known:
        return value
    device, _, source = value.partition(":")
    first = known.get(device)
    return device if first is not None and source and first.source == source else None


def normalise(grid: Any, cells: Any, known: dict[str, Camera]) -> tuple[int, list[str | None]]:
    """A valid grid size and all of its MAX_CELLS cells, each a known entry or empty. A grid
    smaller than 16 shows the first cells only: the others are kept for when it grows."""
    size = grid if grid in GRIDS else grid_for(len(known))
    given = cells if isinstance(cells, list) else []
    valid = [entry_key(c, known) for c in given[:MAX_CELLS]]
    return size, valid + [None] * (MAX_CELLS - len(valid))


def working_layout(user: AbstractBaseUser | AnonymousUser, known: dict[str, Camera]) -> LiveView:
    """The user's layout; a first-time user gets every camera (its first source) in the
    smallest grid that fits."""
    view = LiveView.objects.filter(owner_id=user.pk, name="").first()
    if view is None:
        keys = [k for k in known if ":" not in k][:MAX_CELLS]
        view = LiveView(owner_id=int(user.pk or 0), name="", grid=grid_for(len(keys)), cells=keys)
    view.grid, view.cells = normalise(view.grid, view.cells, known)
    return view


def single_camera(
    user: AbstractBaseUser | AnonymousUser, value: str, known: dict[str, Camera]
) -> tuple[LiveView | None, str]:
    """`?camera=<id>` (the "open live" links of the events pages): that camera (its first
    video source; "<id>:<source token>" for another) alone in one cell on its main stream,
    as a view that is never saved (the user's layout stays as it is); or no view and a
    message saying why it cannot be shown."""
    number, _, source = value.partition(":")
    device_id = int(number) if number.isascii() and number.isdigit() and len(number) < 10 else None
    if device_id is None:
        return None, f"“{value[:40]}” is not a camera number."
    key = entry_key(value, known)
    if key is not None:
        return LiveView(owner_id=int(user.pk or 0), name="", grid=1, cells=[key]), ""
    device = Device.objects.filter(pk=device_id).first()
    if device is None:
        return (
            None,
            f"Camera {device_id} does not exist (it may have been removed), or you may not see it.",
        )
    if source and str(device_id) in known:
        return None, f"{device} has no video source “{source[:40]}” with a playable stream."
    return None, (
        f"{device} has no live stream the browser can play yet "
        "(it is not synced, or it offers neither H.264 nor H.265)."
    )


def visible_views(user: AbstractBaseUser | AnonymousUser) -> list[LiveView]:
    """Named views the user may open: their own and the shared ones."""
    mine_or_shared = Q(owner_id=user.pk) | Q(shared=True)
    return list(LiveView.objects.exclude(name="").filter(mine_or_shared).select_related("owner"))


def layout_cells(view: LiveView, known: dict[str, Camera]) -> list[Cell]:
    """The cells the view's grid shows (the first `grid` of its cells)."""
    cells = []
    for index, key in enumerate(view.cells[: view.grid]):
        camera = known.get(key) if key is not None else None
        profile = "" if camera is None else camera.main if view.grid == 1 else camera.sub
        cells.append(Cell(index, camera, profile))
    return cells


def save_layout(
    user: AbstractBaseUser | AnonymousUser,
    grid: Any,
    cells: Any,
    name: str = "",
    *,
    shared: bool = False,
) -> LiveView:
    """Store the working layout (no name) or a named view (created or overwritten)."""
    size, valid = normalise(grid, cells, cameras())
    view, _ = LiveView.objects.update_or_create(
        owner_id=user.pk,
        name=name,
        defaults={"grid": size, "cells": valid, "shared": shared and bool(name)},
    )
    return view
