"""Which gateway serves which stream, and the RTSP address a gateway pulls.

Gateways announce themselves in Redis with a heartbeat that expires; a stream is assigned
to one live gateway (the least loaded when it is first asked for, or when its gateway
died), so every viewer of a stream lands on the same pull. Nothing here imports av.

A stream is pulled from the host the admin entered (Device.host), whatever host the camera
put in its stream URI (NAT, or a camera that names another machine): the credentials go to
that host only, and travel apart from the URL (cameras.media.rtsp_auth).
"""

from __future__ import annotations

import json
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

import redis
import redis.asyncio as aioredis
from django.conf import settings

from cameras.media.rtsp_auth import Credentials
from cameras.models import Device, MediaProfile
from vms.logs import redact

HEARTBEAT_SECONDS = 2.0
HEARTBEAT_TTL = 6  # a gateway silent this long is dead; its streams move
ALIVE = "vms:gateway:alive:"
ASSIGNED = "vms:gateway:streams"


def stream_key(device_id: int, profile_token: str) -> str:
    return f"{device_id}:{profile_token}"


def gateway_channel(gateway_id: str) -> str:
    return f"gateway.{gateway_id}"


def redis_client() -> aioredis.Redis:
    return aioredis.Redis.from_url(settings.REDIS_URL, socket_timeout=5, socket_connect_timeout=5)


async def heartbeat(client: aioredis.Redis, gateway_id: str, load: int) -> None:
    await client.set(ALIVE + gateway_id, load, ex=HEARTBEAT_TTL)


async def leave(client: aioredis.Redis, gateway_id: str) -> None:
    await client.delete(ALIVE + gateway_id)


async def alive_gateways(client: aioredis.Redis) -> dict[str, int]:
    keys = [key async for key in client.scan_iter(match=ALIVE + "*", count=100)]
    if not keys:
        return {}
    loads = await client.mget(keys)
    return {
        key.decode().removeprefix(ALIVE): int(load or 0)
        for key, load in zip(keys, loads, strict=True)
        if load is not None
    }


async def gateway_for(client: aioredis.Redis, key: str) -> str | None:
    """The live gateway serving `key`; assigns the least loaded one if none does."""
    alive = await alive_gateways(client)
    if not alive:
        return None
    current = await client.hget(ASSIGNED, key)  # type: ignore[misc]
    if current is not None and current.decode() in alive:
        return str(current.decode())
    chosen = min(alive, key=lambda g: (alive[g], g))
    await client.hset(ASSIGNED, key, chosen)  # type: ignore[misc]
    return chosen


def pull_target(profile: MediaProfile) -> tuple[str, Credentials]:
    """The profile's stream URI on the device's host (the camera's port, path and query
    kept, any userinfo dropped), and the device's credentials to answer its challenge with."""
    device: Device = profile.device
    parts = urlsplit(profile.stream_uri)
    host = f"[{device.host}]" if ":" in device.host else device.host
    netloc = host + (f":{parts.port}" if parts.port else "")
    url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    return url, Credentials(device.username, device.password, device.allow_plaintext)


STATS = "vms:gateway:stats:"


async def publish_stats(client: aioredis.Redis, gateway_id: str, stats: dict[str, Any]) -> None:
    """Each gateway's per-stream figures, replaced every heartbeat, gone when it dies."""
    await client.set(STATS + gateway_id, redact(json.dumps(stats)), ex=HEARTBEAT_TTL)


def read_stats() -> dict[str, dict[str, Any]]:
    """Every live stream's figures (stream key -> fields, with the gateway serving it)."""
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    merged: dict[str, dict[str, Any]] = {}
    try:
        for key in client.scan_iter(match=STATS + "*", count=100):
            raw = cast(bytes | None, client.get(key))
            gateway = key.decode().removeprefix(STATS)
            for stream, fields in json.loads(raw or b"{}").items():
                error = redact(str(fields.get("last_error") or ""))
                merged[stream] = {**fields, "last_error": error, "gateway": gateway}
    except redis.RedisError:
        return {}
    finally:
        client.close()
    return merged
