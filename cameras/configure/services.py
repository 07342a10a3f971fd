"""Media configuration of a camera: read what it has, change it, re-read, audit.

Every function here is synchronous (views, API endpoints and tasks call it) and opens one
ONVIF session to the camera per call. A change is
1. checked against the camera's own options (ConfigError with the fields, nothing sent),
2. sent to the camera (a refusal becomes a ConfigError in words, see errors.explain),
3. followed by a re-read of the camera's profiles into MediaProfile rows,
4. written to the audit log (ConfigurationChange), whether the camera did it or not.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.db import transaction

from cameras.configure.errors import ConfigError, explain
from cameras.configure.validate import check
from cameras.models import ConfigurationChange, Device
from cameras.onvif import OnvifClient, OnvifError
from cameras.onvif import configurations as onvif_config
from cameras.onvif import media as onvif_media
from cameras.onvif import profiles as onvif_profiles
from cameras.onvif.config_types import (
    KINDS,
    AnyConfig,
    EncoderInstances,
    Options,
    ProfileConfigs,
    VideoSourceConfig,
    VideoSourceMode,
)
from cameras.store import store_profiles
from cameras.sync import client_for, read_profiles

logger = logging.getLogger(__name__)
T = TypeVar("T")
User = AuthUser | AnonymousUser
TIMEOUT = 10.0
PROFILE = "Profile"


def run(device: Device, work: Callable[[OnvifClient], Awaitable[T]]) -> T:
    """Run `work` with a client for `device` on an event loop of this call's own."""

    async def go() -> T:
        async with client_for(device, timeout=TIMEOUT) as client:
            client.use_services({name: s["xaddr"] for name, s in device.services.items()})
            return await work(client)

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(go())
    with ThreadPoolExecutor(1) as pool:  # called from a thread that runs a loop
        return pool.submit(asyncio.run, go()).result()


def read(device: Device, work: Callable[[OnvifClient], Awaitable[T]]) -> T:
    try:
        return run(device, work)
    except OnvifError as exc:
        raise explain(exc) from None


# -- reads --------------------------------------------------------------------------------------


def read_profiles_of(device: Device) -> list[ProfileConfigs]:
    return read(device, onvif_profiles.get_profile_configurations)


@dataclass
class ProfilePage:
    """A profile and, for each kind, the configurations the camera says fit it."""

    profile: ProfileConfigs
    compatible: dict[str, list[AnyConfig]] = field(default_factory=dict)


def read_profile(device: Device, token: str) -> ProfilePage:
    async def work(client: OnvifClient) -> ProfilePage:
        profiles = await onvif_profiles.get_profile_configurations(client)
        profile = next((p for p in profiles if p.token == token), None)
        if profile is None:
            raise ConfigError(f"The camera has no profile {token!r}.", 404)
        page = ProfilePage(profile)
        for kind in supported_kinds(device):
            try:
                page.compatible[kind] = await onvif_config.get_configurations(
                    client, kind, profile_token=token
                )
            except OnvifError as exc:
                if not exc.permanent:
                    raise
                logger.info("%s: no %s configurations (%s)", device.address, kind, exc)
        return page

    return read(device, work)


def supported_kinds(device: Device) -> list[str]:
    """The kinds a profile may hold on this camera: those its Media2 capabilities list
    (ConfigurationsSupported; Media1 does not say, so all), PTZ only with a PTZ service."""
    said = device.media.configurations
    return [k for k in KINDS if (k != "PTZ" or device.has_ptz) and (not said or k in said)]


def read_configurations(device: Device, kind: str) -> list[AnyConfig]:
    return read(device, lambda client: onvif_config.get_configurations(client, kind))


def read_choices(device: Device, kinds: list[str]) -> dict[str, list[AnyConfig]]:
    """The configurations of each kind the camera has; kinds it lacks are left out."""

    async def work(client: OnvifClient) -> dict[str, list[AnyConfig]]:
        found = {}
        for kind in kinds:
            configs = await optional(onvif_config.get_configurations(client, kind))
            if configs:
                found[kind] = configs
        return found

    return read(device, work)


@dataclass
class ConfigurationPage:
    config: AnyConfig
    options: Options | None
    instances: EncoderInstances | None = None  # video source configurations
    modes: list[VideoSourceMode] = field(default_factory=list)  # of its video source


def read_configuration(device: Device, kind: str, token: str) -> ConfigurationPage:
    async def work(client: OnvifClient) -> ConfigurationPage:
        config = await onvif_config.get_configuration(client, kind, token)
        options = await _options(client, kind, token)
        page = ConfigurationPage(config, options)
        if isinstance(config, VideoSourceConfig):
            page.instances = await optional(
                onvif_profiles.get_video_encoder_instances(client, token)
            )
            page.modes = (
                await optional(onvif_profiles.get_video_source_modes(client, config.source_token))
                or []
            )
        return page

    return read(device, work)


async def _options(client: OnvifClient, kind: str, token: str) -> Options | None:
    if kind not in onvif_config.WITH_OPTIONS:
        return None
    return await onvif_config.get_configuration_options(client, kind, configuration_token=token)


async def optional(call: Awaitable[T]) -> T | None:
    """What a camera may lack (NotSupported, a permanent fault) reads as None."""
    try:
        return await call
    except OnvifError as exc:
        if not exc.permanent:
            raise
        return None


# -- changes ------------------------------------------------------------------------------------


@dataclass
class Change:
    topic: str
    action: str
    target: str = ""
    before: Any = None
    after: Any = None


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


def record(device: Device, user: User, change: Change, error: str = "") -> None:
    ConfigurationChange.objects.create(
        device=device,
        device_name=device.name[:100],
        user=user if isinstance(user, AuthUser) else None,
        username=user.get_username() if user.is_authenticated else "",
        topic=change.topic,
        action=change.action,
        target=change.target[:64],
        before=_plain(change.before),
        after=_plain(change.after),
        ok=not error,
        error=error,
    )


def run_change(
    device: Device,
    user: User,
    change: Change,
    work: Callable[[OnvifClient], Awaitable[T]],
    keep: Callable[[T], None] | None = None,
) -> T:
    """Send a change (`work`) and write its audit row, done or refused; `keep` stores what
    the camera reports after it, in the same transaction as the row."""
    try:
        result = run(device, work)
    except OnvifError as exc:
        error = explain(exc)
        record(device, user, change, error.message)
        raise error from None
    except ConfigError as error:
        record(device, user, change, error.message)
        raise
    with transaction.atomic():
        if keep is not None:
            keep(result)
        record(device, user, change)
    return result


def _apply(
    device: Device,
    user: User,
    change: Change,
    work: Callable[[OnvifClient], Awaitable[T]],
) -> T:
    """Send a change, re-read the profiles, keep them and the audit row."""

    async def go(client: OnvifClient) -> tuple[T, Any]:
        result = await work(client)
        try:
            fresh = await read_profiles(client)
        except OnvifError as exc:  # the change is made; a full sync will read it
            logger.info("%s: profiles not re-read after a change (%s)", device.address, exc)
            fresh = None
        return result, fresh

    def keep(done: tuple[T, Any]) -> None:
        if done[1] is not None:
            store_profiles(device, *done[1])

    result, fresh = run_change(device, user, change, go, keep)
    if fresh is None:
        from cameras.services import request_sync

        request_sync(device)
    return result


def create_profile(device: Device, user: User, name: str, configurations: dict[str, str]) -> str:
    name = name.strip()
    if not 1 <= len(name) <= 64:
        raise ConfigError("The profile name must be 1 to 64 characters.", fields={"name": "1-64"})
    change = Change(PROFILE, "create", after={"name": name, "configurations": configurations})

    async def work(client: OnvifClient) -> str:
        token = await onvif_profiles.create_profile(client, name, configurations)
        change.target = token
        return token

    return _apply(device, user, change, work)


def rename_profile(device: Device, user: User, token: str, name: str) -> None:
    name = name.strip()
    if not 1 <= len(name) <= 64:
        raise ConfigError("The profile name must be 1 to 64 characters.", fields={"name": "1-64"})
    old = device.profiles.filter(token=token).values_list("name", flat=True).first()
    change = Change(PROFILE, "rename", token, {"name": old}, {"name": name})
    _apply(device, user, change, lambda c: onvif_profiles.rename_profile(c, token, name))


def delete_profile(device: Device, user: User, token: str) -> None:
    stored = device.profiles.filter(token=token).first()
    if stored is not None and stored.fixed:
        raise ConfigError("This profile is fixed by the camera and cannot be deleted.", 409)
    before = {"name": stored.name} if stored else None
    change = Change(PROFILE, "delete", token, before)
    _apply(device, user, change, lambda c: onvif_profiles.delete_profile(c, token))


def add_configuration(device: Device, user: User, profile: str, kind: str, token: str) -> None:
    _kind(device, kind)
    change = Change(kind, "add", profile, after={"configuration": token})

    async def work(client: OnvifClient) -> None:
        change.before = {"configuration": await _held(client, profile, kind)}
        await onvif_profiles.add_configurations(client, profile, {kind: token})

    _apply(device, user, change, work)


def remove_configuration(device: Device, user: User, profile: str, kind: str) -> None:
    _kind(device, kind)
    change = Change(kind, "remove", profile, after={"configuration": None})

    async def work(client: OnvifClient) -> None:
        change.before = {"configuration": await _held(client, profile, kind)}
        await onvif_profiles.remove_configurations(client, profile, [kind])

    _apply(device, user, change, work)


def _kind(device: Device, kind: str) -> None:
    if kind not in supported_kinds(device):
        raise ConfigError(f"{kind!r} is not a configuration type of this camera.", 404)


async def _held(client: OnvifClient, profile: str, kind: str) -> str | None:
    """The token of the `kind` configuration the camera's profile holds now."""
    for found in await onvif_profiles.get_profile_configurations(client):
        if found.token == profile:
            held = found.configurations.get(kind)
            return held.token if held else None
    raise ConfigError(f"The camera has no profile {profile!r}.", 404)


def set_configuration(device: Device, user: User, config: AnyConfig) -> AnyConfig:
    """Check `config` against the camera's options for it, send it, return the re-read one."""
    change = Change(config.kind, "set", config.token)

    async def work(client: OnvifClient) -> AnyConfig:
        change.before = await onvif_config.get_configuration(client, config.kind, config.token)
        options = await _options(client, config.kind, config.token)
        errors = check(config, options)
        if errors:
            raise _Refused(errors)
        await onvif_config.set_configuration(client, config)
        change.after = await onvif_config.get_configuration(client, config.kind, config.token)
        return change.after

    try:
        return _apply(device, user, change, work)
    except _Refused as refused:
        raise ConfigError(
            "Not sent: " + " ".join(refused.errors.values()), 400, refused.errors
        ) from None


class _Refused(Exception):
    """Values outside the camera's options: nothing was sent, nothing is audited."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def set_multicast(device: Device, user: User, profile: str, on: bool) -> None:
    action = "start multicast" if on else "stop multicast"
    send = (
        onvif_profiles.start_multicast_streaming if on else onvif_profiles.stop_multicast_streaming
    )
    _apply(
        device,
        user,
        Change(PROFILE, action, profile),
        lambda c: send(c, profile),
    )


def set_synchronization_point(device: Device, user: User, profile: str) -> None:
    change = Change(PROFILE, "synchronization point", profile)
    _apply(device, user, change, lambda c: onvif_media.set_synchronization_point(c, profile))


def set_video_source_mode(device: Device, user: User, source: str, mode: str) -> bool:
    """Switch the source's mode; True when the camera reboots to apply it (then a sync is
    queued for when it is back)."""
    change = Change("VideoSourceMode", "set", source, after={"mode": mode})

    async def work(client: OnvifClient) -> bool:
        modes = await onvif_profiles.get_video_source_modes(client, source)
        change.before = {"mode": next((m.token for m in modes if m.enabled), None)}
        if mode not in {m.token for m in modes}:
            offered = ", ".join(m.token for m in modes)
            raise ConfigError(f"The camera offers no mode {mode!r} for {source}: {offered}.", 404)
        return await onvif_profiles.set_video_source_mode(client, source, mode)

    reboot = _apply(device, user, change, work)
    if reboot:
        from cameras.services import request_sync

        request_sync(device)
    return reboot
