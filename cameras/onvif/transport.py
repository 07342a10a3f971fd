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

    async def aclose(self) -> None:
        """The pool is shared: nothing of this camera's to close."""
