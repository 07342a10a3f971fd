"""WebSocket access control and JSON framing shared by every route.

OriginValidator: a browser page may open our sockets only from our own origin (scheme, host
and port, the rule Django's CSRF check applies to forms) or from one in CSRF_TRUSTED_ORIGINS.
LoginRequiredMiddleware: anonymous users are refused before any consumer runs.
JsonConsumer: the base of every consumer. Malformed messages get an error in words and the
socket stays open; a handler that fails is logged and the browser told so without detail;
each socket joins its user's account group, through which signing the user out closes it.
"""

from __future__ import annotations

import contextlib
import json
import logging
from typing import Any
from urllib.parse import urlsplit

from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.middleware import BaseMiddleware
from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils.http import is_same_domain

logger = logging.getLogger(__name__)

# Close codes in the private range (4000-4999) so the browser can tell the user why.
CLOSE_LOGIN_REQUIRED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_INTERNAL_ERROR = 1011
# The largest message a browser sends is a WebRTC offer (a few KB of SDP).
MAX_MESSAGE_BYTES = 64 * 1024
GENERIC_ERROR = "Something went wrong on the server handling that message; it was logged."
SIGNED_OUT = "account.signed_out"  # channel-layer message type: close the socket with 4401


def account_group(user_id: int) -> str:
    """The channel-layer group every socket of one user joins."""
    return f"account.{user_id}"


def _header(scope: dict[str, Any], name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""


def origin_allowed(scope: dict[str, Any]) -> bool:
    """The Origin is the request's own scheme://host[:port] (the host one of ALLOWED_HOSTS),
    or one of CSRF_TRUSTED_ORIGINS (`https://*.example.org` allows its subdomains)."""
    origin, host = _header(scope, b"origin"), _header(scope, b"host")
    if not origin:
        return False
    allowed_hosts = settings.ALLOWED_HOSTS or (
        [".localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else []
    )
    domain, _ = split_domain_port(host)
    if domain and validate_host(domain, allowed_hosts):
        scheme = "https" if scope.get("scheme") in ("wss", "https") else "http"
        if origin == f"{scheme}://{host}":
            return True
    try:
        parsed = urlsplit(origin)
    except ValueError:
        return False
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        if "*" not in trusted:
            if origin == trusted:
                return True
            continue
        pattern = urlsplit(trusted)
        if pattern.scheme == parsed.scheme and is_same_domain(
            parsed.netloc, pattern.netloc.removeprefix("*")
        ):
            return True
    return False


class OriginValidator(BaseMiddleware):
    """Refuse the handshake (HTTP 403) of a socket opened from another origin, or without one."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] == "websocket" and not origin_allowed(scope):
            logger.warning(
                "WebSocket %s refused: origin %r is not this site (host %r); "
                "behind a proxy, list the public origin in VMS_CSRF_TRUSTED_ORIGINS",
                scope.get("path", ""),
                _header(scope, b"origin"),
                _header(scope, b"host"),
            )
            message = await receive()
            if message["type"] == "websocket.connect":
                await send({"type": "websocket.close"})
            return None
        return await super().__call__(scope, receive, send)


class LoginRequiredMiddleware(BaseMiddleware):
    """Refuse the handshake of anonymous users before any consumer runs."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        user = scope.get("user")
        if user is None or not user.is_authenticated:
            message = await receive()
            if message["type"] == "websocket.connect":
                await send({"type": "websocket.close", "code": CLOSE_LOGIN_REQUIRED})
            return None
        return await super().__call__(scope, receive, send)


class BrowserGone(Exception):
    """A send to a socket the browser already closed (not a fault of the server)."""


class JsonConsumer(AsyncJsonWebsocketConsumer):
    """A JSON socket that answers what it cannot use with an error, never a crash.

    `receive_json` gets a dict, or None when the text was not a JSON object: each consumer
    then says what it expected. Binary and oversize messages are answered here.
    """

    account = ""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        async def send_or_gone(message: dict[str, Any]) -> None:
            try:
                await send(message)
            except OSError as exc:  # what ASGI servers raise for a closed connection
                raise BrowserGone(str(exc)) from exc

        await super().__call__(scope, receive, send_or_gone)

    async def websocket_connect(self, message: dict[str, Any]) -> None:
        user = self.scope.get("user")
        if user is not None and user.is_authenticated:
            self.account = account_group(user.pk)
            await self.channel_layer.group_add(self.account, self.channel_name)
        await super().websocket_connect(message)

    async def websocket_disconnect(self, message: dict[str, Any]) -> None:
        if self.account:
            await self.channel_layer.group_discard(self.account, self.channel_name)
        await super().websocket_disconnect(message)

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if text_data is None:
            await self.send_error(
                f"This socket takes JSON text messages; a binary message "
                f"({len(bytes_data or b'')} bytes) was ignored."
            )
            return
        size = len(text_data.encode())
        if size > MAX_MESSAGE_BYTES:
            await self.send_error(
                f"That message is too large ({size // 1024} KB); "
                f"the limit is {MAX_MESSAGE_BYTES // 1024} KB. It was ignored."
            )
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            content = None
        await self.receive_json(content if isinstance(content, dict) else None, **kwargs)

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Every message, from the browser or the channel layer: a failure is logged with its
        detail; the browser gets a generic error (for its own message) and keeps its socket."""
        try:
            await super().dispatch(message)
        except StopConsumer:
            raise
        except BrowserGone:
            logger.debug("%s: the browser left during %s", type(self).__name__, message["type"])
        except Exception:
            kind = message.get("type", "")
            user = self.scope.get("user")
            logger.exception(
                "%s failed handling %s (user %s)",
                type(self).__name__,
                kind,
                getattr(user, "pk", None),
            )
            with contextlib.suppress(Exception):  # the socket may be gone already
                if kind == "websocket.receive":
                    await self.send_error(GENERIC_ERROR)
                elif kind == "websocket.connect":
                    await self.close(code=CLOSE_INTERNAL_ERROR)
        if message.get("type") == "websocket.disconnect":  # its handler failed: end anyway
            raise StopConsumer

    async def send_error(self, message: str, **extra: Any) -> None:
        await self.send_json({"type": "error", "message": message, **extra})

    async def account_signed_out(self, event: dict[str, Any]) -> None:
        """Channel-layer handler: the user's sessions were ended (account disabled, deleted,
        password changed); the browser sees close code 4401 and the reason."""
        reason = str(event.get("reason", ""))
        await self.close(
            code=CLOSE_LOGIN_REQUIRED, reason=reason.encode()[:120].decode(errors="ignore")
        )
