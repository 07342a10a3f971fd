"""Browser signalling for live video: offers go to the gateway serving the stream.

Messages from the browser: {"type": "offer", "device": id, "profile": token?, "sdp": ...}
and {"type": "close"}. To the browser: {"type": "answer", "sdp"}, {"type": "state",
"state", "error"} and {"type": "error", "message"}.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

from channels.db import database_sync_to_async

from cameras.models import MediaProfile
from cameras.streams import (
    HEARTBEAT_SECONDS,
    alive_gateways,
    gateway_channel,
    gateway_for,
    redis_client,
    stream_key,
)
from frontend.roles import TALK, VIEW_LIVE
from vms.websocket import CLOSE_FORBIDDEN, BrowserGone, JsonConsumer

logger = logging.getLogger(__name__)
NO_GATEWAY = (
    "No stream gateway is running, so live video is unavailable. "
    "Start it (manage.py gateway; make run starts one)."
)


@database_sync_to_async
def find_profile(device_id: Any, token: Any, *, talk: bool = False) -> MediaProfile | None:
    if not isinstance(device_id, int):
        return None
    profiles = (
        MediaProfile.objects.filter(device_id=device_id).exclude(stream_uri="").exclude(encoding="")
    )
    if talk:
        profiles = profiles.filter(has_audio_output=True)
    if token:
        return profiles.filter(token=str(token)).first()
    return profiles.order_by("position").first()


class StreamConsumer(JsonConsumer):
    session = ""
    gateway = ""
    talk_session = ""
    talk_gateway = ""
    watcher: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        user = self.scope["user"]
        if not await database_sync_to_async(user.has_perm)(VIEW_LIVE):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.accept()

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "offer" and isinstance(content.get("sdp"), str):
            await self.offer(content)
        elif kind == "talk" and isinstance(content.get("sdp"), str):
            await self.talk(content)
        elif kind == "talk-end":
            await self.end_talk()
        elif kind == "close":
            await self.end_session()
        else:
            await self.error(
                'Send {"type": "offer", "device": <id>, "sdp": "..."} or {"type": "close"}.'
            )

    async def offer(self, content: dict[str, Any]) -> None:
        profile = await find_profile(content.get("device"), content.get("profile"))
        if profile is None:
            await self.error("This camera has no playable stream: check it is added and synced.")
            return
        key = stream_key(profile.device_id, profile.token)
        client = redis_client()
        try:
            gateway = await gateway_for(client, key)
        finally:
            await client.aclose()
        if gateway is None:
            await self.error(NO_GATEWAY, fallback=True)
            return
        await self.end_session()
        self.session, self.gateway = uuid.uuid4().hex, gateway
        if self.watcher is None:
            self.watcher = asyncio.create_task(self.watch_gateway())
        await self.channel_layer.send(gateway_channel(gateway), {
            "type": "gateway.offer", "session": self.session, "reply": self.channel_name,
            "device": profile.device_id, "profile": profile.token, "sdp": content["sdp"],
        })  # fmt: skip

    async def talk(self, content: dict[str, Any]) -> None:
        """The browser's microphone to the camera's loudspeaker (operators and admins)."""
        user = self.scope["user"]
        if not await database_sync_to_async(user.has_perm)(TALK):
            await self.error("Your role may not speak through cameras.")
            return
        profile = await find_profile(content.get("device"), None, talk=True)
        if profile is None:
            await self.error("This camera has no loudspeaker (audio back channel).")
            return
        client = redis_client()
        try:
            gateway = await gateway_for(client, stream_key(profile.device_id, "talk"))
        finally:
            await client.aclose()
        if gateway is None:
            await self.error(NO_GATEWAY)
            return
        await self.end_talk()
        self.talk_session, self.talk_gateway = uuid.uuid4().hex, gateway
        await self.channel_layer.send(gateway_channel(gateway), {
            "type": "gateway.talk", "session": self.talk_session, "reply": self.channel_name,
            "device": profile.device_id, "profile": profile.token, "sdp": content["sdp"],
        })  # fmt: skip

    async def end_talk(self) -> None:
        if self.talk_session:
            await self.channel_layer.send(
                gateway_channel(self.talk_gateway),
                {"type": "gateway.close", "session": self.talk_session},
            )
            self.talk_session = ""

    async def end_session(self) -> None:
        if self.session:
            await self.channel_layer.send(
                gateway_channel(self.gateway), {"type": "gateway.close", "session": self.session}
            )
            self.session = ""

    async def disconnect(self, code: int) -> None:
        if self.watcher is not None:
            self.watcher.cancel()
        await self.end_session()
        await self.end_talk()

    async def watch_gateway(self) -> None:
        """When the gateway serving us dies, tell the player to offer again (another takes over)."""
        client = redis_client()
        try:
            while True:
                await asyncio.sleep(HEARTBEAT_SECONDS)
                if self.session and self.gateway not in await alive_gateways(client):
                    logger.info("gateway %s is gone; session %s moves", self.gateway, self.session)
                    self.session = ""
                    await self.send_json({"type": "restart", "reason": "The video server stopped."})
        except BrowserGone:
            logger.debug(
                "session %s: the browser left before hearing its gateway stopped", self.session
            )
        finally:
            await client.aclose()

    async def error(self, message: str, *, fallback: bool = False) -> None:
        """`fallback`: the player should show MJPEG snapshots instead of WebRTC video."""
        await self.send_error(message, fallback=fallback)

    # -- from the gateway ------------------------------------------------------------------------
    async def stream_answer(self, event: dict[str, Any]) -> None:
        if event["session"] == self.session:
            await self.send_json({"type": "answer", "sdp": event["sdp"]})
        elif event["session"] == self.talk_session:
            await self.send_json({"type": "talk-answer", "sdp": event["sdp"]})

    async def stream_state(self, event: dict[str, Any]) -> None:
        if event["session"] == self.session:
            await self.send_json(
                {"type": "state", "state": event["state"], "error": event.get("error", "")}
            )

    async def stream_error(self, event: dict[str, Any]) -> None:
        if event["session"] in (self.session, self.talk_session):
            await self.error(event["message"])
