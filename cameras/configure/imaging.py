"""Imaging of a camera's video source (clause 7): read the settings with what the camera
offers, change them (checked against GetOptions, sent, re-read, audited), apply a preset.
Only the keys the camera offers are shown or accepted."""

from __future__ import annotations

from dataclasses import dataclass, field

from cameras.configure.errors import ConfigError
from cameras.configure.services import Change, User, optional, read, run_change
from cameras.models import Device
from cameras.onvif import OnvifClient
from cameras.onvif import imaging as focus
from cameras.onvif import imaging_settings as onvif_imaging
from cameras.onvif.config_types import Range
from cameras.onvif.imaging_settings import (
    BY_KEY,
    IMAGING_FIELDS,
    ImagingField,
    ImagingPreset,
    ImagingStatus,
    OptionValue,
    Settings,
)
from cameras.onvif.types import FocusMoveOptions

IMAGING = "Imaging"


@dataclass
class ImagingPage:
    source: str  # the video source token
    sources: list[str]
    settings: Settings
    options: dict[str, OptionValue]
    presets: list[ImagingPreset] = field(default_factory=list)
    current_preset: ImagingPreset | None = None
    status: ImagingStatus | None = None  # None: the camera reports no focus status
    profile_token: str = ""  # a profile streaming this source (for the live picture)
    moves: FocusMoveOptions | None = None  # GetMoveOptions: absolute/relative focus moves

    def groups(self) -> list[tuple[str, list[ImagingField]]]:
        """The offered fields, by group, in the order of IMAGING_FIELDS."""
        found: dict[str, list[ImagingField]] = {}
        for f in IMAGING_FIELDS:
            if f.key in self.options:
                found.setdefault(f.group, []).append(f)
        return list(found.items())

    def controls(self) -> list[tuple[str, list[dict[str, object]]]]:
        """For the page: each offered field with its option, value and slider step."""
        shown: list[tuple[str, list[dict[str, object]]]] = []
        for group, fields in self.groups():
            rows: list[dict[str, object]] = []
            for f in fields:
                option = self.options[f.key]
                step = 0.01 if isinstance(option, Range) and option.max - option.min <= 2 else 1
                rows.append(
                    {"field": f, "option": option, "value": self.settings.get(f.key), "step": step}
                )
            shown.append((group, rows))
        return shown


def _sources(device: Device) -> list[str]:
    return list(device.video_sources.order_by("token").values_list("token", flat=True))


def _profile_for(device: Device, source: str) -> str:
    profile = (
        device.profiles.filter(video_source_token=source)
        .exclude(stream_uri="")
        .order_by("position")
        .first()
    )
    return profile.token if profile else ""


def _check_device(device: Device, source: str | None) -> tuple[str, list[str]]:
    if "imaging" not in device.services:
        raise ConfigError("This camera has no imaging service.", 409)
    sources = _sources(device)
    if not sources:
        raise ConfigError("The camera reports no video source.", 404)
    chosen = source or sources[0]
    if chosen not in sources:
        raise ConfigError(f"The camera has no video source {chosen!r}.", 404)
    return chosen, sources


async def _read_page(client: OnvifClient, source: str, sources: list[str]) -> ImagingPage:
    settings = await onvif_imaging.get_imaging_settings(client, source)
    options = await onvif_imaging.get_options(client, source)
    page = ImagingPage(source, sources, settings, onvif_imaging.with_window(options, settings))
    page.presets = await optional(onvif_imaging.get_presets(client, source)) or []
    if page.presets:
        page.current_preset = await optional(onvif_imaging.get_current_preset(client, source))
    page.status = await optional(onvif_imaging.get_status(client, source))
    moves = await optional(focus.get_move_options(client, source))
    page.moves = moves if moves is not None and moves.offered else None
    return page


def read_imaging(device: Device, source: str | None = None) -> ImagingPage:
    chosen, sources = _check_device(device, source)
    page = read(device, lambda client: _read_page(client, chosen, sources))
    page.profile_token = _profile_for(device, chosen)
    return page


def check_imaging(changes: Settings, options: dict[str, OptionValue]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for key, value in changes.items():
        f = BY_KEY.get(key)
        offered = options.get(key)
        if f is None or offered is None:
            errors[key] = "The camera does not offer this setting."
        elif isinstance(offered, Range):
            if not isinstance(value, int | float) or value not in offered:
                errors[key] = f"{f.label} must be {offered}."
        elif value not in offered:
            errors[key] = f"{f.label}: the camera offers {', '.join(offered)}."
    return errors


def set_imaging(device: Device, user: User, source: str | None, changes: Settings) -> ImagingPage:
    """Send `changes` (keys of IMAGING_FIELDS) and answer the settings the camera reports."""
    chosen, sources = _check_device(device, source)
    change = Change(IMAGING, "set", chosen, after=dict(changes))

    async def work(client: OnvifClient) -> ImagingPage:
        before = await _read_page(client, chosen, sources)
        change.before = {k: before.settings.get(k) for k in changes}
        errors = check_imaging(changes, before.options)
        if errors:
            raise ConfigError(" ".join(errors.values()), 400, errors)
        await onvif_imaging.set_imaging_settings(client, chosen, changes)
        return await _read_page(client, chosen, sources)

    page = run_change(device, user, change, work)
    page.profile_token = _profile_for(device, chosen)
    return page


def set_preset(device: Device, user: User, source: str | None, token: str) -> ImagingPage:
    chosen, sources = _check_device(device, source)
    change = Change(IMAGING, "preset", chosen, after={"preset": token})

    async def work(client: OnvifClient) -> ImagingPage:
        before = await _read_page(client, chosen, sources)
        if token not in {p.token for p in before.presets}:
            raise ConfigError(f"The camera has no imaging preset {token!r}.", 404)
        change.before = {"preset": before.current_preset.token if before.current_preset else None}
        await onvif_imaging.set_current_preset(client, chosen, token)
        return await _read_page(client, chosen, sources)

    page = run_change(device, user, change, work)
    page.profile_token = _profile_for(device, chosen)
    return page


def focus_move(
    device: Device, user: User, source: str | None, kind: str, value: float, speed: float | None
) -> ImagingPage:
    """An absolute (position) or relative (distance) focus move within GetMoveOptions."""
    chosen, sources = _check_device(device, source)
    change = Change(IMAGING, f"focus {kind}", chosen, after={"value": value, "speed": speed})

    async def work(client: OnvifClient) -> ImagingPage:
        moves = await optional(focus.get_move_options(client, chosen))
        span, speeds = (
            {
                "absolute": (moves.absolute_position, moves.absolute_speed),
                "relative": (moves.relative_distance, moves.relative_speed),
            }.get(kind, (None, None))
            if moves
            else (None, None)
        )
        if span is None:
            raise ConfigError(f"The camera offers no {kind} focus move.", 409)
        errors = {}
        if not span[0] <= value <= span[1]:
            errors["value"] = f"The {kind} focus value must be {span[0]:g} to {span[1]:g}."
        if speed is not None and speeds is not None and not speeds[0] <= speed <= speeds[1]:
            errors["speed"] = f"The focus speed must be {speeds[0]:g} to {speeds[1]:g}."
        if errors:
            raise ConfigError(" ".join(errors.values()), 400, errors)
        move: focus.FocusMove = (
            focus.AbsoluteFocus(value, speed)
            if kind == "absolute"
            else focus.RelativeFocus(value, speed)
        )
        await focus.move(client, chosen, move)
        return await _read_page(client, chosen, sources)

    page = run_change(device, user, change, work)
    page.profile_token = _profile_for(device, chosen)
    return page
