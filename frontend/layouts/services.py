"""Layouts of the live page: which camera in which cell, with which stream profile."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from cameras.models import Device
from cameras.services import playable_profiles
from frontend.layouts.models import LiveView

GRIDS = tuple(LiveView.Grid.values)


@dataclass(frozen=True)
class Camera:
    """A camera the live page can play: its main profile and its smallest one."""

    device_id: int
    name: str
    main: str
    sub: str
    talk: bool = False  # has an audio back channel (a loudspeaker)


@dataclass(frozen=True)
class Cell:
    index: int
    camera: Camera | None
    profile: str  # the sub profile in grids of 4 and more, the main one alone or enlarged


def cameras() -> dict[int, Camera]:
    found = {}
    for device in Device.objects.prefetch_related("profiles"):
        playable = playable_profiles(device.profiles.all())  # H.265 only: the gateway transcodes
        if playable:
            main = min(playable, key=lambda p: p.position)
            sub = min(playable, key=lambda p: ((p.width or 0) * (p.height or 0), p.position))
            talk = any(p.has_audio_output for p in device.profiles.all())
            found[device.pk] = Camera(device.pk, str(device), main.token, sub.token, talk)
    return found


def grid_for(count: int) -> int:
    """The smallest grid of 4 or more cells that holds `count` cameras (16 at most)."""
    return next((g for g in GRIDS if g >= max(count, 4)), GRIDS[-1])


def normalise(grid: Any, cells: Any, known: dict[int, Camera]) -> tuple[int, list[int | None]]:
    """A valid grid size and exactly that many cells, each a known camera or empty."""
    size = grid if grid in GRIDS else grid_for(len(known))
    given = cells if isinstance(cells, list) else []
    valid = [
        c if isinstance(c, int) and not isinstance(c, bool) and c in known else None for c in given
    ]
    return size, (valid + [None] * size)[:size]


def working_layout(user: AbstractBaseUser | AnonymousUser, known: dict[int, Camera]) -> LiveView:
    """The user's layout; a first-time user gets every camera in the smallest grid that fits."""
    view = LiveView.objects.filter(owner_id=user.pk, name="").first()
    if view is None:
        ids = list(known)[: GRIDS[-1]]
        view = LiveView(owner_id=int(user.pk or 0), name="", grid=grid_for(len(ids)), cells=ids)
    view.grid, view.cells = normalise(view.grid, view.cells, known)
    return view


def single_camera(
    user: AbstractBaseUser | AnonymousUser, value: str, known: dict[int, Camera]
) -> tuple[LiveView | None, str]:
    """`?camera=<id>` (the "open live" links of the events pages): that camera alone in one
    cell on its main stream, as a view that is never saved (the user's layout stays as it
    is); or no view and a message saying why it cannot be shown."""
    device_id = int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None
    if device_id is None:
        return None, f"“{value[:40]}” is not a camera number."
    if device_id in known:
        return LiveView(owner_id=int(user.pk or 0), name="", grid=1, cells=[device_id]), ""
    device = Device.objects.filter(pk=device_id).first()
    if device is None:
        return (
            None,
            f"Camera {device_id} does not exist (it may have been removed), or you may not see it.",
        )
    return None, (
        f"{device} has no live stream the browser can play yet "
        "(it is not synced, or it offers neither H.264 nor H.265)."
    )


def visible_views(user: AbstractBaseUser | AnonymousUser) -> list[LiveView]:
    """Named views the user may open: their own and the shared ones."""
    mine_or_shared = Q(owner_id=user.pk) | Q(shared=True)
    return list(LiveView.objects.exclude(name="").filter(mine_or_shared).select_related("owner"))


def layout_cells(view: LiveView, known: dict[int, Camera]) -> list[Cell]:
    cells = []
    for index, device_id in enumerate(view.cells):
        camera = known.get(device_id) if device_id is not None else None
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
