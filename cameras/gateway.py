"""The stream gateway process: channel-layer messages in, WebRTC answers out.

`manage.py gateway` runs `run()`. The gateway listens on its own channel
(`gateway.<id>`), announces itself in Redis every two seconds with its load, and stops
idle pulls. Camera credentials are read from the database here, never sent over Redis,
and never put in what goes to a browser or a log line.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import close_old_connections

from cameras.media.gateway import Gateway, use_host_addresses
from cameras.media.rtsp_auth import Credentials, StreamRefused
from cameras.media.rtsp_backchannel import BackchannelError
from cameras.models import Device, MediaProfile
from cameras.onvif import OnvifError
from cameras.onvif.media import set_synchronization_point
from cameras.streams import (
    HEARTBEAT_SECONDS,
    gateway_channel,
    heartbeat,
    leave,
    publish_stats,
    pull_target,
    redis_client,
    stream_key,
)
from cameras.sync import client_for
from vms.logs import redact

logger = logging.getLogger(__name__)
OFFER_REFUSED = (
    "The video server could not answer this browser's offer. Reload the page; if it "
    "happens again, the gateway's log says why."
)


@sync_to_async
def lookup(device_id: int, token: str) -> tuple[str, Credentials] | None:
    """The stream's URL (on the device's host) and the device's credentials."""
    close_old_connections()
    profile = (
        MediaProfile.objects.select_related("device")
        .filter(device_id=device_id, token=token)
        .first()
    )
    return pull_target(profile) if profile is not None and profile.stream_uri else None


async def request_key_frame(key: str) -> None:
    """SetSynchronizationPoint: a (re)started stream gets a key frame now, not at its next GOP."""
    device_id, _, token = key.partition(":")
    device = await sync_to_async(_device)(int(device_id))
    if device is None:
        return
    try:
        async with client_for(device, timeout=3.0) as client:
            client.use_services({name: s["xaddr"] for name, s in device.services.items()})
            await set_synchronization_point(client, token)
    except OnvifError as exc:
        logger.info("%s: no key frame on request (%s)", key, exc)


def _device(device_id: int) -> Device | None:
    close_old_connections()
    return Device.objects.filter(pk=device_id).first()


class GatewayService:
    def __init__(self, gateway_id: str) -> None:
        self.id = gateway_id
        self.layer = get_channel_layer()
        self.channel = gateway_channel(gateway_id)
        self.replies: dict[str, str] = {}  # session -> the browser socket's channel
        self.gateway = Gateway(
            ice_servers=settings.VMS_ICE_SERVERS,
            notify=self.notify,
            idle_seconds=settings.VMS_GATEWAY_IDLE_SECONDS,
            request_key_frame=lambda key: self._spawn(request_key_frame(key)),
        )
        self.tasks: set[asyncio.Task[Any]] = set()

    def notify(self, session: str, message: dict[str, Any]) -> None:
        reply = self.replies.get(session)
        if reply is not None:
            self._spawn(self.layer.send(reply, {**message, "session": session}))

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def handle(self, message: dict[str, Any]) -> None:
        session = str(message.get("session", ""))
        if message.get("type") == "gateway.close":
            self.replies.pop(session, None)
            await self.gateway.close(session)
            return
        if message.get("type") not in ("gateway.offer", "gateway.talk"):
            return
        reply = str(message["reply"])
        self.replies[session] = reply
        target = await lookup(int(message["device"]), str(message["profile"]))
        if target is None:
            await self.refuse(session, "This stream no longer exists: sync the camera.")
            return
        url, credentials = target
        key = stream_key(int(message["device"]), str(message["profile"]))
        sdp = str(message["sdp"])
        try:
            if message["type"] == "gateway.talk":
                answer = await self.gateway.talk(session, url, sdp, credentials)
            else:
                answer = await self.gateway.offer(session, key, url, sdp, credentials)
        except (BackchannelError, StreamRefused) as exc:  # said for people already
            logger.info("session %s (%s): refused: %s", session, key, exc)
            await self.refuse(session, redact(str(exc)))
            return
        except Exception:  # malformed SDP, no common codec, an aiortc failure
            logger.warning("session %s (%s): offer refused", session, key, exc_info=True)
            await self.gateway.close(session)
            await self.refuse(session, OFFER_REFUSED)
            return
        await self.layer.send(reply, {"type": "stream.answer", "session": session, "sdp": answer})

    async def refuse(self, session: str, message: str) -> None:
        reply = self.replies.pop(session, None)
        if reply is not None:
            await self.layer.send(
                reply, {"type": "stream.error", "session": session, "message": message}
            )

    async def serve(self, stop: asyncio.Event) -> None:
        use_host_addresses(settings.VMS_WEBRTC_HOST_ADDRESSES)
        beat = asyncio.create_task(self._heartbeat(stop))
        logger.info("gateway %s listening on %s", self.id, self.channel)
        while not stop.is_set():
            receive = asyncio.ensure_future(self.layer.receive(self.channel))
            stopping = asyncio.ensure_future(stop.wait())
            done, _ = await asyncio.wait({receive, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if receive not in done:
                receive.cancel()
                stopping.cancel()
                break
            stopping.cancel()
            try:
                await self.handle(receive.result())
            except Exception:
                logger.exception("gateway %s: message failed", self.id)
        await beat
        await self.gateway.shutdown()

    async def _heartbeat(self, stop: asyncio.Event) -> None:
        client = redis_client()
        figures: dict[str, dict[str, Any]] = {}
        try:
            while not stop.is_set():
                await heartbeat(client, self.id, self.gateway.load())
                await self.gateway.reap_idle()
                figures = self.gateway.stats(figures, HEARTBEAT_SECONDS)
                await publish_stats(client, self.id, figures)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), HEARTBEAT_SECONDS)
            await leave(client, self.id)
        finally:
            await client.aclose()


async def run(gateway_id: str) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await GatewayService(gateway_id).serve(stop)
