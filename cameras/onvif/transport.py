"""HTTP for SOAP calls: one shared connection pool per event loop, per-camera credentials.

Building an httpx client (and its TLS context) costs milliseconds and megabytes, so all
cameras of a worker share one per event loop; each camera's transport only adds its HTTP
Digest credentials and timeout to the requests it makes. Digest is answered only when the
camera challenges (401), so cameras that take WS-Security see a single request.
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
from zeep.transports import AsyncTransport

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


class CameraTransport(AsyncTransport):
    """zeep's async transport for one camera: shared pool, own credentials and timeout."""

    def __init__(self, username: str, password: str, *, timeout: float) -> None:
        # Skip AsyncTransport.__init__: it builds two httpx clients per instance.
        self.cache = None
        self._close_session = False
        self.logger = logging.getLogger(__name__)
        self.timeout = timeout
        self.auth = httpx.DigestAuth(username, password) if username else None

    @property
    def client(self) -> httpx.AsyncClient:
        return shared_pool()

    def load(self, url: str) -> bytes:
        raise RuntimeError("camera transports never load WSDLs")

    async def post(self, address: str, message: Any, headers: dict[str, str]) -> httpx.Response:
        return await self.client.post(
            address,
            content=message,
            headers=headers,
            auth=self.auth or httpx.USE_CLIENT_DEFAULT,
            timeout=self.timeout,
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
            return response.status, await response.read()

    async def aclose(self) -> None:
        await self._pool.aclose()
        if self._session is not None:
            await self._session.close()
