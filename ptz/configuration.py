"""PTZ configurations of a camera (clause 8.2-8.3, 8.10): read them with their options and
the node's spaces, change them (checked against the options and the node's ranges, sent,
re-read, audited like every configuration change), and put one in a media profile (only one
the camera lists in GetCompatibleConfigurations for it, 8.3.6)."""

from __future__ import annotations

from dataclasses import dataclass, field

from cameras.configure import services
from cameras.configure.errors import ConfigError
from cameras.configure.services import Change, User, optional, read, record, run_change
from cameras.models import Device
from cameras.onvif import OnvifClient
from cameras.onvif import profiles as onvif_profiles
from cameras.onvif import ptz_config as onvif_config
from cameras.onvif.config_types import Configuration, ProfileConfigs
from cameras.onvif.ptz_config import PtzConfiguration, PtzConfigurationOptions, Span
from cameras.onvif.types import PtzSpace

TOPIC = "PTZConfiguration"
KIND = "PTZ"  # the configuration kind of a media profile (cameras.onvif.config_types.KINDS)


@dataclass(frozen=True)
class ProfileSlot:
    """A media profile, the PTZ configuration it holds and those the camera says fit it."""

    token: str
    name: str
    held: Configuration | None  # its PTZ configuration (token and name)
    compatible: list[PtzConfiguration] | None  # None: no GetCompatibleConfigurations

    def offers(self, token: str) -> bool:
        return any(c.token == token for c in self.compatible or ())


@dataclass
class PtzConfigPage:
    configurations: list[PtzConfiguration]
    options: dict[str, PtzConfigurationOptions] = field(default_factory=dict)
    profiles: list[ProfileSlot] = field(default_factory=list)

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


async def _slot(client: OnvifClient, profile: ProfileConfigs) -> ProfileSlot:
    compatible = await optional(onvif_config.get_compatible_configurations(client, profile.token))
    return ProfileSlot(profile.token, profile.name, profile.configurations.get(KIND), compatible)


async def _read_profiles(client: OnvifClient) -> list[ProfileSlot]:
    return [await _slot(client, p) for p in await onvif_profiles.get_profile_configurations(client)]


def _needs_ptz(device: Device) -> None:
    if not device.has_ptz:
        raise ConfigError("This camera has no PTZ service.", 409)


def read_ptz_configurations(device: Device, *, profiles: bool = True) -> PtzConfigPage:
    """The configurations with their options and, unless `profiles` is False, the media
    profiles with the PTZ configuration each holds and those compatible with it."""
    _needs_ptz(device)

    async def work(client: OnvifClient) -> PtzConfigPage:
        page = await _read(client)
        if profiles:
            page.profiles = await _read_profiles(client)
        return page

    return read(device, work)


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


def attach_ptz_configuration(device: Device, user: User, profile: str, token: str) -> None:
    """Put PTZ configuration `token` in media profile `profile` (AddConfiguration, Media1
    AddPTZConfiguration) through the generic attach, which re-reads and stores the profiles
    and audits; a token the camera does not list as compatible with the profile is refused
    (and audited) without sending anything."""
    _needs_ptz(device)
    if not token:
        raise ConfigError("Choose a PTZ configuration to put in the profile.", 400)

    async def work(client: OnvifClient) -> ProfileSlot:
        for found in await onvif_profiles.get_profile_configurations(client):
            if found.token == profile:
                return await _slot(client, found)
        raise ConfigError(f"The camera has no profile {profile!r}.", 404)

    slot = read(device, work)
    if not slot.offers(token):
        if slot.compatible is None:
            error = ConfigError(
                "The camera does not say which PTZ configurations fit this profile "
                "(no GetCompatibleConfigurations): nothing was sent.",
                409,
            )
        else:
            offered = ", ".join(c.token for c in slot.compatible) or "none"
            error = ConfigError(
                f"The camera does not list PTZ configuration {token!r} as compatible with "
                f"profile {slot.name} (it offers: {offered}); nothing was sent.",
                400,
            )
        before = {"configuration": slot.held.token if slot.held else None}
        change = Change(KIND, "add", profile, before, {"configuration": token})
        record(device, user, change, error.message)
        raise error
    services.add_configuration(device, user, profile, KIND, token)
