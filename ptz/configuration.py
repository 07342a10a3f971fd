"""PTZ configurations of a camera (clause 8.2-8.3, 8.10): read them with their options and
the node's spaces, change them (checked against the options and the node's ranges, sent,
re-read, audited like every configuration change)."""

from __future__ import annotations

from dataclasses import dataclass, field

from cameras.configure.errors import ConfigError
from cameras.configure.services import Change, User, optional, read, run_change
from cameras.models import Device
from cameras.onvif import OnvifClient
from cameras.onvif import ptz_config as onvif_config
from cameras.onvif.ptz_config import PtzConfiguration, PtzConfigurationOptions, Span
from cameras.onvif.types import PtzSpace

TOPIC = "PTZConfiguration"


@dataclass
class PtzConfigPage:
    configurations: list[PtzConfiguration]
    options: dict[str, PtzConfigurationOptions] = field(default_factory=dict)

    def space(self, token: str, group: str) -> PtzSpace | None:
        spaces = self.options[token].spaces if token in self.options else ()
        return next((s for s in spaces if s.group == group), None)


async def _read(client: OnvifClient) -> PtzConfigPage:
    page = PtzConfigPage(await onvif_config.get_configurations(client))
    for config in page.configurations:
        options = await optional(onvif_config.get_configuration_options(client, config.token))
        if options is not None:
            page.options[config.token] = options
    return page


def read_ptz_configurations(device: Device) -> PtzConfigPage:
    if not device.has_ptz:
        raise ConfigError("This camera has no PTZ service.", 409)
    return read(device, _read)


def _within(
    errors: dict[str, str], key: str, label: str, span: Span | None, room: Span | None
) -> None:
    if span is None:
        return
    if span[0] >= span[1]:
        errors[key] = f"{label}: the lower limit must be below the upper one."
    elif room is not None and not room[0] <= span[0] < span[1] <= room[1]:
        errors[key] = f"{label} must lie within {room[0]:g} to {room[1]:g}."


def check(config: PtzConfiguration, page: PtzConfigPage) -> dict[str, str]:
    errors: dict[str, str] = {}
    options = page.options.get(config.token)
    if not 1 <= len(config.name) <= 64:
        errors["name"] = "The name must be 1 to 64 characters."
    position = page.space(config.token, "AbsolutePanTiltPositionSpace")
    zoom = page.space(config.token, "AbsoluteZoomPositionSpace")
    pan_room, tilt_room = (position.x, position.y) if position else (None, None)
    _within(errors, "pan_limits", "Pan limits", config.pan_limits, pan_room)
    _within(errors, "tilt_limits", "Tilt limits", config.tilt_limits, tilt_room)
    _within(errors, "zoom_limits", "Zoom limits", config.zoom_limits, zoom.x if zoom else None)
    for key, label, speed, group in (
        ("pan_tilt_speed", "The pan/tilt speed", config.pan_tilt_speed, "PanTiltSpeedSpace"),
        ("zoom_speed", "The zoom speed", config.zoom_speed, "ZoomSpeedSpace"),
    ):
        space = page.space(config.token, group)
        room = space.x if space is not None else None
        if speed is not None and room is not None and not room[0] <= speed <= room[1]:
            errors[key] = f"{label} must be {room[0]:g} to {room[1]:g}."
    if options is not None:
        timeout, wanted = options.timeout, config.timeout
        if wanted is not None and timeout and not timeout[0] <= wanted <= timeout[1]:
            errors["timeout"] = f"The timeout must be {timeout[0]:g} to {timeout[1]:g} s."
        for key, label, mode, modes in (
            ("eflip", "E-Flip", config.eflip, options.eflip_modes),
            ("reverse", "Reverse", config.reverse, options.reverse_modes),
        ):
            if mode and modes and mode not in modes:
                errors[key] = f"{label}: the camera offers {', '.join(modes)}."
    return errors


def set_ptz_configuration(device: Device, user: User, config: PtzConfiguration) -> PtzConfigPage:
    change = Change(TOPIC, "set", config.token, after=config)

    async def work(client: OnvifClient) -> PtzConfigPage:
        page = await _read(client)
        held = next((c for c in page.configurations if c.token == config.token), None)
        if held is None:
            raise ConfigError(f"The camera has no PTZ configuration {config.token!r}.", 404)
        change.before = held
        errors = check(config, page)
        if errors:
            raise ConfigError(" ".join(errors.values()), 400, errors)
        await onvif_config.set_configuration(client, config)
        return await _read(client)

    return run_change(device, user, change, work)
