"""HTTP for SOAP calls: one shared connection pool per event loop, per-camera credentials.

Building an httpx client (and its TLS context) costs milliseconds and megabytes, so all
cameras of a worker share one per event loop; each camera's transport only adds its HTTP
Digest credentials and timeout to the requests it makes. Digest is answered only when the
camera challenges (401), so cameras that take WS-Security see a single request.

Answers are read in chunks and only up to MAX_ANSWER_BYTES: a camera that answers with
hundreds of megabytes (a firmware fault, or worse) gets AnswerTooLarge, a zeep error that
cameras.onvif.faults turns into a ProtocolError, and costs the VMS no more than the limit.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import weakref
from functools import cache
from typing import Any

import aiohttp
import httpx
import zeep.exceptions
from zeep.transports import AsyncTransport

MAX_ANSWER_BYTES = 8 * 1024 * 1024  # more than any ONVIF answer needs, GetProfiles included
CHUNK_BYTES = 64 * 1024
# Headers of the camera's answer that no longer describe the body once it has been read.
_READ_HEADERS = {"content-encoding", "content-length", "transfer-encoding"}

_pools: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = (
    weakref.WeakKeyDictionary()
)


@cache
def _tls() -> ssl.SSLContext:
    return ssl.create_default_context()


def shared_pool() -> httpx.AsyncClient:
    loop = asyncio.get_running_loop()
    pool = _pools.get(loop)
    if pool is None or pool.is_closed:
        limits = httpx.Limits(max_connections=500, max_keepalive_connections=100)
        pool = httpx.AsyncClient(verify=_tls(), limits=limits, follow_redirects=False)
        _pools[loop] = pool
    return pool


class AnswerTooLarge(zeep.exceptions.Error):
    """The camera's answer passed the limit; the rest of it was not read."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"it is larger than {limit / (1024 * 1024):g} MiB, far more than any ONVIF answer "
            "needs; the VMS stopped reading it."
        )


def check_declared(length: str | int | None, limit: int) -> None:
    """Refuse at once an answer whose Content-Length is over the limit."""
    if length is not None and str(length).strip().isdigit() and int(length) > limit:
        raise AnswerTooLarge(limit)


async def read_capped(response: httpx.Response, limit: int) -> bytes:
    """The body of a streamed answer, read chunk by chunk up to `limit` bytes."""
    check_declared(response.headers.get("content-length"), limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes(CHUNK_BYTES):
        size += len(chunk)
        if size > limit:
            raise AnswerTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)


class CameraTransport(AsyncTransport):
    """zeep's async transport for one camera: shared pool, own credentials and timeout."""

    def __init__(self, username: str, password: str, *, timeout: float) -> None:
        # Skip AsyncTransport.__init__: it builds two httpx clients per instance.
        self.cache = None
        self._close_session = False
        self.logger = logging.getLogger(__name__)
        self.timeout = timeout
        self.auth = httpx.DigestAuth(username, password) if username else None
        self.max_bytes = MAX_ANSWER_BYTES

    @property
    def client(self) -> httpx.AsyncClient:
        return shared_pool()

    def load(self, url: str) -> bytes:
        raise RuntimeError("camera transports never load WSDLs")

    async def post(self, address: str, message: Any, headers: dict[str, str]) -> httpx.Response:
        """POST, and the answer read up to the limit (AnswerTooLarge beyond it)."""
        async with self.client.stream(
            "POST",
            address,
            content=message,
            headers={**headers, "Accept-Encoding": "identity"},
            auth=self.auth or httpx.USE_CLIENT_DEFAULT,
            timeout=self.timeout,
        ) as response:
            body = await read_capped(response, self.max_bytes)
        kept = [(k, v) for k, v in response.headers.raw if k.decode().lower() not in _READ_HEADERS]
        return httpx.Response(
            response.status_code, headers=kept, content=body, request=response.request
        )

    async def post_bytes(
        self, address: str, message: bytes, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        """POST without zeep: the HTTP status and the body."""
        response = await self.post(address, message, headers)
        return response.status_code, response.content

    async def aclose(self) -> None:
        """The pool is shared: nothing of this camera's to close."""


class LongPollTransport(CameraTransport):
    """The transport of an event follower, which keeps a PullMessages open to its camera
    all the time. zeep's calls get an httpx pool of their own (one pool shared by hundreds of
    open long polls is scanned on every request), and `post_bytes`, the PullMessages path
    taken many times a second, goes over aiohttp: its C parser costs about a tenth of the
    CPU of httpx per request (docs/performance.md, camera events)."""

    def __init__(self, username: str, password: str, *, timeout: float) -> None:
        super().__init__(username, password, timeout=timeout)
        self.username, self.password = username, password
        self._pool = httpx.AsyncClient(
            verify=_tls(),
            limits=httpx.Limits(max_connections=4, max_keepalive_connections=2),
            follow_redirects=False,
        )
        self._session: aiohttp.ClientSession | None = None

    @property
    def client(self) -> httpx.AsyncClient:
        return self._pool

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            middlewares = (
                (aiohttp.DigestAuthMiddleware(self.username, self.password),)
                if self.username
                else ()
            )
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=2, ssl=_tls()),
                middlewares=middlewares,
                auto_decompress=False,
                skip_auto_headers=("User-Agent",),
            )
        return self._session

    async def post_bytes(
        self, address: str, message: bytes, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        async with self.session().post(
            address, data=message, headers=headers, timeout=timeout, allow_redirects=False
        ) as response:
            check_declared(response.content_length, self.max_bytes)
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.content.iter_chunked(CHUNK_BYTES):
                size += len(chunk)
                if size > self.max_bytes:
                    raise AnswerTooLarge(self.max_bytes)
                chunks.append(chunk)
            return response.status, b"".join(chunks)

    async def aclose(self) -> None:
        await self._pool.aclose()
        if self._session is not None:
            await self._session.close()
