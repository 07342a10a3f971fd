"""The Content-Security-Policy header of every response.

Scripts, styles, fonts and frames come only from this site, and no inline script, inline
style or eval runs (templates load their JavaScript from files, htmx is told not to inject its
indicator style). Pictures may also be data: and blob: URLs (snapshots, drawn overlays), media
blob: URLs. Pages connect to this site and to its own WebSocket origin (ws:// here, wss://
behind HTTPS); WebRTC media from the gateway is not governed by the policy. Nothing may frame
the pages, and forms post only here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponseBase

HEADER = "Content-Security-Policy"
FIXED = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)


def content_security_policy(request: HttpRequest) -> str:
    try:
        host = request.get_host()
    except DisallowedHost:  # answered with a 400 anyway: no socket for that host
        host = ""
    sockets = f" {'wss' if request.is_secure() else 'ws'}://{host}" if host else ""
    return "; ".join((*FIXED, f"connect-src 'self'{sockets}"))


class ContentSecurityPolicyMiddleware:
    """Adds the policy to every response that does not set its own."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], object]) -> None:
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> object:
        if self.is_async:
            return self._acall(request)
        return self._add(request, self.get_response(request))  # type: ignore[arg-type]

    async def _acall(self, request: HttpRequest) -> HttpResponseBase:
        get_response: Callable[[HttpRequest], Awaitable[HttpResponseBase]]
        get_response = self.get_response  # type: ignore[assignment]
        return self._add(request, await get_response(request))

    @staticmethod
    def _add(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if HEADER not in response:
            response[HEADER] = content_security_policy(request)
        return response
