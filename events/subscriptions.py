"""Keep one event subscription alive per camera, all cameras in one asyncio loop.

`Manager.run` (the `manage.py events` process) follows every camera that offers the Events
service with a `Follower`: it subscribes (push with a per-subscription consumer URL when
VMS_EVENTS_CONSUMER_URL is set and the camera accepts it, a pull point otherwise), long-polls
PullMessages, renews at half the granted lifetime, resubscribes when the camera lost the
subscription (reboot, expiry), backs off on failure and unsubscribes when it stops. The
subscription address is kept in the database, so a restarted process resumes (Renew) or
replaces what a killed one left behind instead of leaking a slot at the camera.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.db.models import F
from django.utils import timezone

from cameras.models import Device
from cameras.onvif import DeviceUnreachable, OnvifClient, OnvifError
from cameras.onvif import events as onvif_events
from cameras.onvif.transport import LongPollTransport
from cameras.sync import client_for
from events import ingest, live
from events.models import Subscription, new_token

logger = logging.getLogger(__name__)

PULL_SECONDS = 20.0  # long-poll length of one PullMessages
PULL_LIMIT = 200
# Seconds between a pull that brought messages and the next one, so that a busy camera's
# messages gather into fewer, fuller answers: 0.1 s, longer above 150 cameras per process so
# that one process answers at most ~1500 pulls/s (pulls cost CPU per call more than per message).
PULL_GATHER, PULL_GATHER_MAX, PULLS_PER_SECOND = 0.1, 0.4, 1500
BACKOFF_FIRST, BACKOFF_MAX = 1.0, 20.0
REJECTED_RETRY = 600.0  # a camera that refuses subscriptions is asked again after this
RECONCILE_SECONDS = 5.0
UNSUBSCRIBE_TIMEOUT = 3.0
FOLLOWED = (Device.Status.ONLINE, Device.Status.OFFLINE)


def backoff(failures: int) -> float:
    delay = min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** max(failures - 1, 0))
    return delay * random.uniform(0.8, 1.2)


def _db(func: Any) -> Any:
    """Run ORM code from the loop in a pool thread (connections stay per thread)."""

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        close_old_connections()
        return func(*args, **kwargs)

    return sync_to_async(wrapped, thread_sensitive=False)


def _followed_devices(shard: int, shards: int) -> dict[int, Device]:
    """This shard's cameras with an Events service (each shard reads only its own)."""
    devices = (
        Device.objects.filter(status__in=FOLLOWED, services__has_key="events")
        .annotate(shard=F("pk") % shards)
        .filter(shard=shard)
    )
    return {d.pk: d for d in devices}


def _load(device: Device) -> Subscription:
    sub, _ = Subscription.objects.get_or_create(device=device)
    return sub


def _save(sub: Subscription, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(sub, name, value)
    Subscription.objects.filter(pk=sub.pk).update(**fields, updated=timezone.now())


def _store(batch: list[tuple[Device, list[onvif_events.EventMessage]]]) -> dict[int, Any]:
    return ingest.store_batch(batch, timezone.now())


class Ingestor:
    """Stores what every follower pulled, many cameras per INSERT, then pushes it live.

    Followers only queue their messages and pull again at once; while one batch is written
    the next one gathers, so the cost per event falls as the rate rises."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[tuple[Device, list[onvif_events.EventMessage]]] = asyncio.Queue()
        self.gather = PULL_GATHER

    def pace(self, cameras: int) -> None:
        self.gather = min(PULL_GATHER_MAX, max(PULL_GATHER, cameras / PULLS_PER_SECOND))

    def put(self, device: Device, messages: list[onvif_events.EventMessage]) -> None:
        self.queue.put_nowait((device, messages))

    async def run(self) -> None:
        while True:
            batch = [await self.queue.get()]
            await self.flush(batch)

    async def flush(self, batch: list[tuple[Device, list[onvif_events.EventMessage]]]) -> None:
        while not self.queue.empty():
            batch.append(self.queue.get_nowait())
        if not batch:
            return
        try:
            sent = await _db(_store)(batch)
            await live.send_events(sent)
        except Exception:
            logger.exception("storing %d event batches failed", len(batch))


class SubscriptionLost(Exception):
    """The camera no longer knows the subscription (rebooted, expired): subscribe again."""


class Follower:
    def __init__(self, device: Device, ingestor: Ingestor) -> None:
        self.device = device
        self.ingestor = ingestor
        self.lifetime = float(settings.VMS_EVENTS_SUBSCRIPTION_SECONDS)
        self.client: OnvifClient = client_for(device, timeout=PULL_SECONDS + 10)
        self.client.transport = LongPollTransport(
            device.username, device.password, timeout=PULL_SECONDS + 10
        )
        self.client.use_services({name: s["xaddr"] for name, s in device.services.items()})
        self.sub: Subscription | None = None
        self.renew_at = 0.0  # monotonic
        self.push_refused = ""
        self.failures = 0
        self.subscribing: asyncio.Future[onvif_events.SubscriptionInfo] | None = None

    # -- state ---------------------------------------------------------------------------
    async def set_state(self, **fields: Any) -> None:
        assert self.sub is not None
        await _db(_save)(self.sub, **fields)
        state = {
            "device": self.device.pk,
            "status": self.sub.status,
            "status_label": self.sub.get_status_display(),
            "mode": self.sub.mode,
            "reason": self.sub.reason,
        }
        with contextlib.suppress(Exception):
            await live.send_subscription(self.device.pk, state)

    def schedule_renewal(self, info: onvif_events.SubscriptionInfo) -> None:
        granted = info.lifetime if info.lifetime and info.lifetime > 0 else self.lifetime
        # Half-way, spread out: cameras subscribed together must not all renew at once.
        self.renew_at = time.monotonic() + granted * random.uniform(0.4, 0.6)

    def termination(self) -> str:
        assert self.sub is not None
        return onvif_events.termination(
            self.lifetime, relative=self.sub.relative_times, clock_offset=self.client.clock_offset
        )

    # -- the loop ------------------------------------------------------------------------
    async def run(self) -> None:
        self.sub = await _db(_load)(self.device)
        try:
            await self.resume()
            await self.follow()
        finally:
            await asyncio.shield(self.stop())
            await self.client.transport.aclose()

    async def resume(self) -> None:
        """Take over the subscription a previous process left (renew it), or drop it."""
        assert self.sub is not None
        if not self.sub.address:
            return
        try:
            info = await onvif_events.renew(self.client, self.sub.address, self.termination())
        except OnvifError as exc:
            logger.info("%s: previous subscription is gone (%s)", self.device, exc)
            await self.set_state(address="")
            return
        self.schedule_renewal(info)
        await self.set_state(
            status=Subscription.Status.ACTIVE,
            terminates=timezone.now() + timedelta(seconds=self.lifetime),
        )
        logger.info("%s: resumed subscription %s", self.device, self.sub.address)

    async def follow(self) -> None:
        assert self.sub is not None
        while True:
            try:
                if not self.sub.address:
                    await self.subscribe()
                await self.serve_until_renewal()
                await self.renew()
            except SubscriptionLost as exc:
                logger.info("%s: subscription lost (%s); subscribing again", self.device, exc)
                self.client.forget(self.sub.address)
                await self.set_state(address="")
                self.failures += 1
                if self.failures > 1:
                    await asyncio.sleep(backoff(self.failures))
            except OnvifError as exc:
                self.failures += 1
                if not self.sub.address and not isinstance(exc, DeviceUnreachable):
                    # The camera answered and refused: do not hammer it.
                    status = Subscription.Status.REJECTED
                    delay = REJECTED_RETRY if exc.permanent else max(60.0, backoff(self.failures))
                else:
                    delay, status = backoff(self.failures), Subscription.Status.RETRYING
                logger.info("%s: %s (retry in %.0f s)", self.device, exc, delay)
                await self.set_state(
                    status=status,
                    reason=exc.message,
                    failures=self.failures,
                    next_attempt=timezone.now() + timedelta(seconds=delay),
                )
                await asyncio.sleep(delay)

    async def healthy(self) -> None:
        """The camera just served the subscription: show it as active."""
        assert self.sub is not None
        if self.failures or self.sub.status != Subscription.Status.ACTIVE:
            self.failures = 0
            await self.set_state(
                status=Subscription.Status.ACTIVE, reason=self.push_refused, failures=0
            )

    async def subscribe(self) -> None:
        assert self.sub is not None
        base = settings.VMS_EVENTS_CONSUMER_URL
        info = None
        if base and not self.push_refused:
            token = new_token()
            try:
                info = await self.shielded(
                    onvif_events.subscribe(
                        self.client, f"{base}/api/events/notify/{token}", self.termination()
                    )
                )
            except OnvifError as exc:
                if not exc.permanent:
                    raise
                self.push_refused = f"Push refused ({exc.message}); using a pull point."
            else:
                await self.set_state(mode=Subscription.Mode.PUSH, token=token)
        if info is None:
            info = await self.shielded(
                onvif_events.create_pull_point_subscription(self.client, self.termination())
            )
            await self.set_state(mode=Subscription.Mode.PULL)
        now = timezone.now()
        await self.set_state(
            address=info.address, subscribed=now, terminates=now + timedelta(seconds=self.lifetime)
        )
        self.subscribing = None  # the address is known: stop() unsubscribes it
        if self.sub.relative_times and not onvif_events.honours_relative(
            self.lifetime, info.lifetime
        ):
            logger.warning(
                "%s: asked for %.0f s, granted %s s: using absolute termination times",
                self.device,
                self.lifetime,
                info.lifetime,
            )
            await self.set_state(relative_times=False)
            info = await onvif_events.renew(self.client, info.address, self.termination())
        self.schedule_renewal(info)
        await self.healthy()

    async def shielded(
        self, call: Coroutine[Any, Any, onvif_events.SubscriptionInfo]
    ) -> onvif_events.SubscriptionInfo:
        """A subscribe call that a stop does not cut short: the camera may already hold the
        subscription, so stop() waits for its address to unsubscribe it."""
        self.subscribing = asyncio.ensure_future(call)
        return await asyncio.shield(self.subscribing)

    async def serve_until_renewal(self) -> None:
        assert self.sub is not None
        while (left := self.renew_at - time.monotonic()) > 0:
            if self.sub.mode == Subscription.Mode.PUSH:
                await asyncio.sleep(left)
                return
            try:
                result = await onvif_events.pull_messages(
                    self.client, self.sub.address, min(PULL_SECONDS, max(left, 1.0)), PULL_LIMIT
                )
            except DeviceUnreachable:
                raise
            except OnvifError as exc:
                raise SubscriptionLost(exc.message) from exc
            await self.healthy()
            if result.messages:
                self.ingestor.put(self.device, result.messages)
                await asyncio.sleep(self.ingestor.gather)

    async def renew(self) -> None:
        assert self.sub is not None
        try:
            info = await onvif_events.renew(self.client, self.sub.address, self.termination())
        except DeviceUnreachable:
            raise
        except OnvifError as exc:
            raise SubscriptionLost(exc.message) from exc
        self.schedule_renewal(info)
        await self.healthy()
        await _db(_save)(self.sub, terminates=timezone.now() + timedelta(seconds=self.lifetime))

    async def stop(self) -> None:
        """Unsubscribe so that no subscription slot leaks at the camera."""
        if self.sub is None:
            return
        address = self.sub.address
        if not address and self.subscribing is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(UNSUBSCRIBE_TIMEOUT):
                    address = (await self.subscribing).address
        if not address:
            return  # nothing held at the camera; a refusal stays on show
        try:
            async with asyncio.timeout(UNSUBSCRIBE_TIMEOUT):
                await onvif_events.unsubscribe(self.client, address)
        except (OnvifError, TimeoutError) as exc:
            logger.info("%s: Unsubscribe failed (%s)", self.device, exc)
        with contextlib.suppress(Exception):
            await _db(_save)(self.sub, address="", status=Subscription.Status.STOPPED)


class Manager:
    """Follows every camera with an Events service; started and stopped as one process.

    With `shards` > 1 it follows only the cameras whose id modulo `shards` is `shard`, so
    several processes share the cameras, each with its own event loop."""

    def __init__(self, shard: int = 0, shards: int = 1) -> None:
        if not 0 <= shard < shards:
            raise ValueError(f"shard {shard} is not one of 0..{shards - 1}")
        self.shard, self.shards = shard, shards
        self.followers: dict[int, tuple[Follower, asyncio.Task[None]]] = {}
        self.ingestor = Ingestor()

    async def reconcile(self) -> None:
        devices = await _db(_followed_devices)(self.shard, self.shards)
        self.ingestor.pace(len(devices))
        for pk in [pk for pk in self.followers if pk not in devices]:
            await self.drop(pk)
        for pk, device in devices.items():
            known = self.followers.get(pk)
            if known is not None and not known[1].done() and _same(known[0].device, device):
                continue
            if known is not None:
                await self.drop(pk)
            follower = Follower(device, self.ingestor)
            task = asyncio.create_task(follower.run(), name=f"events-{pk}")
            self.followers[pk] = (follower, task)

    async def drop(self, pk: int) -> None:
        _, task = self.followers.pop(pk)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    async def run(self, stop: asyncio.Event) -> None:
        ingesting = asyncio.create_task(self.ingestor.run(), name="events-ingest")
        try:
            while not stop.is_set():
                try:
                    await self.reconcile()
                except Exception:
                    logger.exception("reconciling event subscriptions failed")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), RECONCILE_SECONDS)
        finally:
            await asyncio.gather(*(self.drop(pk) for pk in list(self.followers)))
            ingesting.cancel()
            await asyncio.gather(ingesting, return_exceptions=True)
            await self.ingestor.flush([])  # what was pulled before the stop is kept


def _same(old: Device, new: Device) -> bool:
    """A follower keeps running until the camera's address or credentials change."""
    return (old.host, old.port, old.username, old.password_encrypted, old.services) == (
        new.host,
        new.port,
        new.username,
        new.password_encrypted,
        new.services,
    )
