"""MJPEG over HTTP: the fallback when WebRTC cannot connect (a firewall, no gateway).

The camera's snapshot URI is fetched a few times a second (HTTP Digest with the device's
credentials) and each JPEG is sent as one part of a multipart/x-mixed-replace response.
Each snapshot is read in chunks and only up to MAX_FRAME_BYTES. It stops when the browser
goes away, when a snapshot is too large, and after a few failed snapshots in a row; a
stream that stops ends with a text part that says why.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass

import httpx

from vms.logs import redact

logger = logging.getLogger(__name__)

BOUNDARY = "vmsframe"
INTERVAL = 0.4  # seconds between snapshots: about 2.5 frames a second
MAX_FAILURES = 5
MAX_FRAME_BYTES = 5 * 1024 * 1024
TOO_LARGE = (
    f"The camera's snapshots are larger than {MAX_FRAME_BYTES // (1024 * 1024)} MiB, so they "
    "are not shown: lower the resolution or quality of its snapshots on the camera."
)
FAILING = (
    f"The camera's snapshots failed {MAX_FAILURES} times in a row (it may be offline or "
    "rebooting): reload the page to try again."
)


@dataclass(frozen=True)
class Problem:
    """Why the snapshots stopped, for the viewer."""

    message: str


class TooLarge(Exception):
    pass


async def read_jpeg(client: httpx.AsyncClient, uri: str, timeout: float) -> bytes:
    """One snapshot, read up to MAX_FRAME_BYTES; TooLarge beyond, httpx errors otherwise."""
    async with asyncio.timeout(timeout * 2), client.stream("GET", uri) as response:
        response.raise_for_status()
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_FRAME_BYTES:
            raise TooLarge
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes(64 * 1024):
            size += len(chunk)
            if size > MAX_FRAME_BYTES:
                raise TooLarge
            chunks.append(chunk)
    jpeg = b"".join(chunks)
    if not jpeg.startswith(b"\xff\xd8"):
        raise httpx.DecodingError("the snapshot answer is not a JPEG")
    return jpeg


async def snapshots(
    snapshot_uri: str, username: str, password: str, timeout: float = 3.0
) -> AsyncGenerator[bytes | Problem, None]:
    """JPEGs from the camera, a few a second; a Problem is the last thing it gives."""
    failures = 0
    auth = httpx.DigestAuth(username, password)
    where = redact(snapshot_uri)
    async with httpx.AsyncClient(auth=auth, timeout=timeout, follow_redirects=False) as client:
        while failures < MAX_FAILURES:
            try:
                jpeg = await read_jpeg(client, snapshot_uri, timeout)
            except TooLarge:
                logger.info("snapshot %s: larger than %s bytes", where, MAX_FRAME_BYTES)
                yield Problem(TOO_LARGE)
                return
            except (httpx.HTTPError, TimeoutError) as exc:
                failures += 1
                logger.info("snapshot %s failed (%s)", where, type(exc).__name__)
                await asyncio.sleep(INTERVAL * failures)
                continue
            failures = 0
            yield jpeg
            await asyncio.sleep(INTERVAL)
    yield Problem(FAILING)


def part(jpeg: bytes) -> bytes:
    head = f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(jpeg)}\r\n\r\n"
    return head.encode() + jpeg + b"\r\n"


def notice(problem: Problem) -> bytes:
    """The last part of a stream that stopped: the reason, in words."""
    text = f"--{BOUNDARY}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{problem.message}"
    return (text + f"\r\n--{BOUNDARY}--\r\n").encode()


async def multipart(first: bytes, rest: AsyncIterator[bytes | Problem]) -> AsyncIterator[bytes]:
    """The multipart body: `first`, then the rest of the snapshots."""
    yield part(first)
    async for item in rest:
        yield notice(item) if isinstance(item, Problem) else part(item)
