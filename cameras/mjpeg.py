"""MJPEG over HTTP: the fallback when WebRTC cannot connect (a firewall, no gateway).

The camera's snapshot URI is fetched a few times a second (HTTP Digest with the device's
credentials) and each JPEG is sent as one part of a multipart/x-mixed-replace response.
It stops when the browser goes away, and after a few failed snapshots in a row.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import httpx

logger = logging.getLogger(__name__)

BOUNDARY = "vmsframe"
INTERVAL = 0.4  # seconds between snapshots: about 2.5 frames a second
MAX_FAILURES = 5


async def frames(
    snapshot_uri: str, username: str, password: str, timeout: float = 3.0
) -> AsyncIterator[bytes]:
    failures = 0
    auth = httpx.DigestAuth(username, password)
    async with httpx.AsyncClient(auth=auth, timeout=timeout, follow_redirects=False) as client:
        while failures < MAX_FAILURES:
            try:
                response = await client.get(snapshot_uri)
                response.raise_for_status()
            except httpx.HTTPError as exc:
                failures += 1
                logger.info(
                    "snapshot %s failed (%s)", snapshot_uri.split("@")[-1], type(exc).__name__
                )
                await asyncio.sleep(INTERVAL * failures)
                continue
            failures = 0
            jpeg = response.content
            head = (
                f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(jpeg)}\r\n\r\n"
            )
            yield head.encode() + jpeg + b"\r\n"
            await asyncio.sleep(INTERVAL)
