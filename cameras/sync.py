"""Read everything the VMS keeps about a camera, then store it in one transaction.

`read_device` only talks ONVIF (async, no database); `store_snapshot` only writes the
database. `sync_device` runs both for a Device and decides its status from the outcome;
whatever happens, it ends with the device no longer syncing, or raises TransientSyncError
for a retry. `end_stale_syncs` ends the syncs whose worker died.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta

from asgiref.sync import sync_to_async
from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection, transaction
from django.utils import timezone

from analytics.sync import AnalyticsSnapshot, read_analytics, store_analytics
from cameras.models import Device
from cameras.onvif import (
    AuthenticationFailed,
    DeviceUnreachable,
    NotSupported,
    OnvifClient,
    OnvifError,
    ProtocolError,
)
from cameras.onvif import device as onvif_device
from cameras.onvif import imaging as onvif_imaging
from cameras.onvif import media as onvif_media
from cameras.onvif import ptz as onvif_ptz
from cameras.onvif.media_capabilities import MediaCapabilities, get_service_capabilities
from cameras.onvif.reads import optional_read
from cameras.onvif.types import (
    DeviceInfo,
    ImagingOptions,
    MediaProfile,
    PtzNode,
    PtzPreset,
    ServiceInfo,
    VideoSource,
)
from cameras.store import store_snapshot

logger = logging.getLogger(__name__)

Step = Callable[[str], Awaitable[None]]


@dataclass
class DeviceSnapshot:
    info: DeviceInfo
    clock_offset: float
    services: list[ServiceInfo]
    scopes: list[str] = field(default_factory=list)
    # None: the camera could not list them this time; the stored ones are kept.
    video_sources: list[VideoSource] | None = field(default_factory=list)
    imaging: dict[str, ImagingOptions] = field(default_factory=dict)
    profiles: list[MediaProfile] = field(default_factory=list)
    stream_uris: dict[str, str] = field(default_factory=dict)
    snapshot_uris: dict[str, str] = field(default_factory=dict)
    ptz_nodes: list[PtzNode] = field(default_factory=list)
    media: MediaCapabilities | None = None  # None: not read this time, the stored ones stay
    presets: dict[str, list[PtzPreset]] = field(default_factory=dict)  # node token -> presets
    analytics: AnalyticsSnapshot | None = None  # None: no analytics service


async def _nothing(step: str) -> None:
    return None


async def read_device(client: OnvifClient, step: Step = _nothing) -> DeviceSnapshot:
    await step("Connecting")
    await client.connect()
    await step("Reading identity")
    info = await onvif_device.get_device_information(client)
    services = await onvif_device.get_services(client)
    scopes = await optional_read("scopes", onvif_device.get_scopes(client), client.where) or []
    snapshot = DeviceSnapshot(info, client.clock_offset, services, scopes)
    if not (client.offers("media2") or client.offers("media")):
        raise NotSupported("The camera offers no media service: it cannot stream to the VMS.")
    await step("Reading media profiles")
    snapshot.media = await optional_read(
        "media capabilities", get_service_capabilities(client), client.where
    )
    snapshot.video_sources = await read_video_sources(client)
    snapshot.profiles, snapshot.stream_uris, snapshot.snapshot_uris = await read_profiles(client)
    if client.offers("ptz"):
        await step("Reading PTZ")
        snapshot.ptz_nodes = await onvif_ptz.get_nodes(client)
        for node in snapshot.ptz_nodes:
            owner = next((p for p in snapshot.profiles if p.ptz_node_token == node.token), None)
            if owner is not None:
                presets = await optional_read(
                    "presets", onvif_ptz.get_presets(client, owner.token), client.where
                )
                snapshot.presets[node.token] = presets or []
    if client.offers("imaging"):
        await step("Reading imaging options")
        for source in snapshot.video_sources or []:
            options = await optional_read(
                "imaging", onvif_imaging.get_options(client, source.token), client.where
            )
            if options is None:
                continue
            moves = await optional_read(
                "focus moves", onvif_imaging.get_move_options(client, source.token), client.where
            )
            snapshot.imaging[source.token] = replace(options, focus_moves=moves)
    if client.offers("analytics") or client.offers("rules"):
        await step("Reading analytics")
        snapshot.analytics = await read_analytics(client)
    return snapshot


async def read_profiles(
    client: OnvifClient,
) -> tuple[list[MediaProfile], dict[str, str], dict[str, str]]:
    """The media profiles with the stream and snapshot URIs of those that have video."""
    profiles = await onvif_media.get_profiles(client)
    streams: dict[str, str] = {}
    snapshots: dict[str, str] = {}
    for profile in profiles:
        if profile.video_encoder is None:
            continue
        uri = await optional_read(
            "stream URI", onvif_media.get_stream_uri(client, profile.token), client.where
        )
        streams[profile.token] = str(uri or "")
        shot = await optional_read(
            "snapshot URI", onvif_media.get_snapshot_uri(client, profile.token), client.where
        )
        snapshots[profile.token] = str(shot or "")
    return profiles, streams, snapshots


async def read_video_sources(client: OnvifClient) -> list[VideoSource] | None:
    """GetVideoSources over Media1; on a camera without Media1, or whose GetVideoSources
    fails (some answer a bare Receiver fault), the sources its video source configurations
    name. None when neither can be read: the sources are optional, as is everything read
    for them (imaging), and the profiles do not need them."""
    if client.offers("media"):
        try:
            return await onvif_media.get_video_sources(client)
        except (AuthenticationFailed, DeviceUnreachable):
            raise
        except OnvifError as exc:
            logger.info(
                "%s: GetVideoSources failed (%s); reading configurations", client.where, exc
            )
    try:
        return await onvif_media.get_video_source_configurations(client)
    except (AuthenticationFailed, DeviceUnreachable):
        raise
    except OnvifError as exc:
        logger.info("%s: no video sources (%s); keeping the stored ones", client.where, exc)
        return None


def client_for(device: Device, timeout: float = 10.0) -> OnvifClient:
    return OnvifClient(
        device.host,
        device.port,
        device.username,
        device.password,
        timeout=timeout,
        allow_plaintext=device.allow_plaintext,
        clock_offset=device.clock_offset,
    )


class TransientSyncError(Exception):
    """The camera could not be reached; the task retries with back-off."""


INTERRUPTED = "The sync was interrupted (the worker stopped): sync again."


def sync_device(device: Device, *, final_attempt: bool) -> None:
    """Sync `device`; set its status from the outcome. Raises TransientSyncError to retry.

    Nothing leaves the device syncing: an error no one expected (a camera answer the VMS
    cannot store, a bug) or the task's soft time limit ends the sync with a message."""
    Device.objects.filter(pk=device.pk).update(
        syncing=True, sync_step="Starting", sync_started=timezone.now()
    )
    try:
        _sync(device, final_attempt=final_attempt)
    except TransientSyncError:
        raise
    except SoftTimeLimitExceeded:
        _failed(
            device,
            "The sync took too long and was stopped: the camera answers very slowly. "
            "Sync again; if it happens again, check the camera's load and network.",
            Device.Status.OFFLINE,
        )
    except Exception as exc:
        logger.exception("%s: the sync failed", device.address)
        reason = (str(exc).strip().splitlines() or [""])[0][:200]
        _failed(
            device,
            f"The sync stopped on an unexpected error ({type(exc).__name__}: {reason}). "
            "Sync again; if it fails the same way, the camera sends something the VMS cannot "
            "read or store (see the log).",
            Device.Status.UNSUPPORTED,
        )


def _sync(device: Device, *, final_attempt: bool) -> None:
    async def step(text: str) -> None:
        await sync_to_async(_set_step)(device.pk, text)

    async def run() -> DeviceSnapshot:
        async with client_for(device) as client:
            return await read_device(client, step)

    try:
        snapshot = asyncio.run(run())
    except AuthenticationFailed as exc:
        _failed(device, exc.message, Device.Status.NEEDS_CREDENTIALS)
        return
    except (NotSupported, ProtocolError) as exc:
        _failed(device, exc.message, Device.Status.UNSUPPORTED)
        return
    except OnvifError as exc:
        if final_attempt or exc.permanent:
            _failed(device, exc.message, Device.Status.OFFLINE)
            return
        # Waiting for the retry, the device is as good as queued: not a running attempt.
        retrying = f"Retrying: {exc.message}"[:300]
        Device.objects.filter(pk=device.pk).update(sync_step=retrying, sync_started=None)
        raise TransientSyncError(exc.message) from exc
    with transaction.atomic():
        store_snapshot(device, snapshot)
        store_analytics(device, snapshot.analytics)
        device.status = Device.Status.ONLINE
        device.syncing, device.sync_step, device.sync_started = False, "", None
        device.last_error = ""
        device.last_seen = device.last_synced = timezone.now()
        device.save()


def end_stale_syncs(older_than: timedelta) -> int:
    """End the syncs whose attempt started more than `older_than` ago: their worker died
    (killed, out of memory, host down) before it could end them. How many were ended."""
    cutoff = timezone.now() - older_than
    return Device.objects.filter(syncing=True, sync_started__lte=cutoff).update(
        syncing=False,
        sync_step="",
        sync_started=None,
        last_error=INTERRUPTED,
        last_error_at=timezone.now(),
    )


def _set_step(pk: int, text: str) -> None:
    """Progress for the UI, written from the sync's event loop through a helper thread."""
    try:
        Device.objects.filter(pk=pk).update(sync_step=text)
    finally:
        connection.close()  # the helper thread must not keep a connection open


def _failed(device: Device, message: str, status: str) -> None:
    Device.objects.filter(pk=device.pk).update(
        status=status,
        syncing=False,
        sync_step="",
        sync_started=None,
        last_error=message,
        last_error_at=timezone.now(),
    )
