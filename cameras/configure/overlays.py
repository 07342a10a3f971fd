"""Privacy masks and on-screen displays of a camera's video source configuration: read
them with their options, create, change and delete them. Like every configuration change
(cameras.configure.services), a change is checked against the camera's options, sent,
re-read from the camera (GetMasks/GetOSDs: the editor redraws from what the camera has)
and audited."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from cameras.configure.errors import ConfigError
from cameras.configure.overlay_checks import check_mask, check_osd
from cameras.configure.services import Change, User, optional, read, run_change
from cameras.models import Device
from cameras.onvif import OnvifClient
from cameras.onvif import configurations as onvif_config
from cameras.onvif import masks as onvif_masks
from cameras.onvif import osd as onvif_osd
from cameras.onvif import profiles as onvif_profiles
from cameras.onvif.config_types import VideoSourceConfig
from cameras.onvif.overlay_types import Mask, MaskOptions, Osd, OsdOptions

T = TypeVar("T")
MASK, OSD = "Mask", "OSD"


@dataclass
class Overlays:
    """What is drawn on one video source configuration, and what the camera allows."""

    source: VideoSourceConfig
    sources: list[VideoSourceConfig]
    profile_token: str = ""  # a profile that streams this window (for the live picture)
    masks: list[Mask] = field(default_factory=list)
    mask_options: MaskOptions | None = None  # None: the camera has no privacy masks
    osds: list[Osd] = field(default_factory=list)
    osd_options: OsdOptions | None = None  # None: the camera has no OSDs


async def _read_overlays(
    client: OnvifClient, device: Device, token: str | None, streamed: set[str]
) -> Overlays:
    """`streamed`: the tokens of the device's profiles that have a stream URI."""
    sources = [
        c
        for c in await onvif_config.get_configurations(client, "VideoSource")
        if isinstance(c, VideoSourceConfig)
    ]
    if not sources:
        raise ConfigError("The camera reports no video source configuration.", 404)
    source = next((s for s in sources if s.token == token), None) if token else sources[0]
    if source is None:
        raise ConfigError(f"The camera has no video source configuration {token!r}.", 404)
    page = Overlays(source, sources)
    for profile in await onvif_profiles.get_profile_configurations(client):
        held = profile.configurations.get("VideoSource")
        if held is not None and held.token == source.token and profile.token in streamed:
            page.profile_token = profile.token
            break
    caps = device.media
    if caps.mask or not device.media_capabilities:  # not said yet: ask
        page.mask_options = await optional(onvif_masks.get_mask_options(client, source.token))
        if page.mask_options is not None:
            page.masks = await onvif_masks.get_masks(client, source.token)
    if caps.osd or not device.media_capabilities:
        page.osd_options = await optional(onvif_osd.get_osd_options(client, source.token))
        if page.osd_options is not None:
            page.osds = await onvif_osd.get_osds(client, source.token)
    return page


def _streamed(device: Device) -> set[str]:
    return set(device.profiles.exclude(stream_uri="").values_list("token", flat=True))


def read_overlays(device: Device, source_token: str | None = None) -> Overlays:
    streamed = _streamed(device)
    return read(device, lambda client: _read_overlays(client, device, source_token, streamed))


def _apply(
    device: Device,
    user: User,
    change: Change,
    source_token: str,
    work: Callable[[OnvifClient, Overlays], Awaitable[T]],
) -> tuple[T, Overlays]:
    """Read the options, let `work` check and send, re-read: (its result, the overlays now)."""

    streamed = _streamed(device)

    async def go(client: OnvifClient) -> tuple[T, Overlays]:
        before = await _read_overlays(client, device, source_token, streamed)
        result = await work(client, before)
        return result, await _read_overlays(client, device, source_token, streamed)

    return run_change(device, user, change, go)


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        raise ConfigError(" ".join(errors.values()), 400, errors)


def _mask_options(page: Overlays) -> MaskOptions:
    if page.mask_options is None:
        raise ConfigError("This camera has no privacy masks (it offers no Media2 masks).", 409)
    return page.mask_options


def _held(items: list[Any], token: str, what: str) -> Any:
    found = next((i for i in items if i.token == token), None)
    if found is None:
        raise ConfigError(
            f"The camera no longer has the {what} {token!r} (another client may have deleted "
            "it). The editor shows what the camera has now.",
            404,
        )
    return found


@dataclass(frozen=True)
class _Kind:
    """Masks or OSDs: where the page keeps them, how they are checked, sent and removed."""

    topic: str
    what: str
    items: Callable[[Overlays], list[Any]]
    check: Callable[[Any, Overlays, list[Any]], dict[str, str]]
    create: Callable[[OnvifClient, Any], Awaitable[str]]
    set: Callable[[OnvifClient, Any], Awaitable[None]]
    delete: Callable[[OnvifClient, str], Awaitable[None]]


def _osd_options(page: Overlays) -> OsdOptions:
    if page.osd_options is None:
        raise ConfigError("This camera has no on-screen displays.", 409)
    return page.osd_options


MASKS = _Kind(
    MASK,
    "mask",
    lambda page: page.masks,
    lambda mask, page, others: check_mask(mask, _mask_options(page), others),
    onvif_masks.create_mask,
    onvif_masks.set_mask,
    onvif_masks.delete_mask,
)
OSDS = _Kind(
    OSD,
    "OSD",
    lambda page: page.osds,
    lambda osd, page, others: check_osd(osd, _osd_options(page), others),
    onvif_osd.create_osd,
    onvif_osd.set_osd,
    onvif_osd.delete_osd,
)


def _create(kind: _Kind, device: Device, user: User, item: Any) -> tuple[str, Overlays]:
    item = dataclasses.replace(item, token="")
    change = Change(kind.topic, "create", after=item)

    async def work(client: OnvifClient, page: Overlays) -> str:
        _refuse(kind.check(item, page, kind.items(page)))
        token = await kind.create(client, item)
        change.target = token
        return token

    return _apply(device, user, change, item.source_token, work)


def _set(kind: _Kind, device: Device, user: User, item: Any) -> Overlays:
    change = Change(kind.topic, "set", item.token, after=item)

    async def work(client: OnvifClient, page: Overlays) -> None:
        change.before = _held(kind.items(page), item.token, kind.what)
        others = [i for i in kind.items(page) if i.token != item.token]
        _refuse(kind.check(item, page, others))
        await kind.set(client, item)

    return _apply(device, user, change, item.source_token, work)[1]


def _delete(kind: _Kind, device: Device, user: User, source_token: str, token: str) -> Overlays:
    change = Change(kind.topic, "delete", token)

    async def work(client: OnvifClient, page: Overlays) -> None:
        change.before = _held(kind.items(page), token, kind.what)
        await kind.delete(client, token)

    return _apply(device, user, change, source_token, work)[1]


def create_mask(device: Device, user: User, mask: Mask) -> tuple[str, Overlays]:
    return _create(MASKS, device, user, mask)


def set_mask(device: Device, user: User, mask: Mask) -> Overlays:
    return _set(MASKS, device, user, mask)


def delete_mask(device: Device, user: User, source_token: str, token: str) -> Overlays:
    return _delete(MASKS, device, user, source_token, token)


def create_osd(device: Device, user: User, osd: Osd) -> tuple[str, Overlays]:
    return _create(OSDS, device, user, osd)


def set_osd(device: Device, user: User, osd: Osd) -> Overlays:
    return _set(OSDS, device, user, osd)


def delete_osd(device: Device, user: User, source_token: str, token: str) -> Overlays:
    return _delete(OSDS, device, user, source_token, token)
