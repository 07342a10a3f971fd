"""Map zeep, httpx and XML failures to the VMS's few camera errors."""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import httpx
import zeep.exceptions
from lxml import etree

from cameras.onvif.errors import (
    AuthenticationFailed,
    CameraFault,
    DeviceUnreachable,
    InvalidArgument,
    NotSupported,
    OnvifError,
    ProtocolError,
)

logger = logging.getLogger(__name__)

AUTH_SUBCODES = {"NotAuthorized", "FailedAuthentication", "InvalidSecurity"}
# ter:UnknownAction is what a camera answers at an address where it has no such service.
UNSUPPORTED_SUBCODES = {"ActionNotSupported", "NotSupported", "NoSuchService", "UnknownAction"}


def _local(name: object) -> str:
    text = getattr(name, "localname", None) or str(name or "")
    return text.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def is_auth_fault(exc: BaseException) -> bool:
    if isinstance(exc, zeep.exceptions.Fault):
        codes = {_local(c) for c in (exc.subcodes or [])} | {_local(exc.code)}
        return bool(codes & AUTH_SUBCODES) or "not authorized" in (exc.message or "").lower()
    return isinstance(exc, zeep.exceptions.TransportError) and exc.status_code in (401, 403)


def translate(exc: BaseException, operation: str, where: str, timeout: float) -> OnvifError:
    """An OnvifError for `exc`, raised by `operation` sent to `where` (host:port). Only a
    cancellation or an interpreter exit (not an Exception) is raised again as it is."""
    if not isinstance(exc, Exception):
        raise exc
    if isinstance(exc, OnvifError):
        return exc
    if isinstance(exc, zeep.exceptions.Fault):
        return _fault(exc, operation)
    if isinstance(exc, zeep.exceptions.TransportError):
        return _http_status(exc, operation, where)
    if isinstance(exc, TimeoutError | asyncio.TimeoutError | httpx.TimeoutException):
        return DeviceUnreachable(
            f"The camera at {where} did not answer {operation} within {timeout:g} s.",
            operation=operation,
        )
    if isinstance(exc, httpx.ConnectError | aiohttp.ClientConnectorError):
        return DeviceUnreachable(
            f"Cannot connect to {where}: the camera is off, rebooting, or the address or port "
            "is wrong.",
            operation=operation,
            detail=str(exc),
        )
    if isinstance(exc, httpx.TransportError | aiohttp.ClientError):
        return DeviceUnreachable(
            f"The connection to {where} broke during {operation}; the camera may be rebooting.",
            operation=operation,
            detail=repr(exc),
        )
    if isinstance(
        exc, etree.XMLSyntaxError | zeep.exceptions.XMLSyntaxError | zeep.exceptions.XMLParseError
    ):
        return ProtocolError(
            f"The camera answered {operation} with malformed XML.",
            operation=operation,
            detail=str(exc),
        )
    if isinstance(exc, zeep.exceptions.Error):
        return ProtocolError(
            f"The camera's answer to {operation} does not follow ONVIF: {exc}", operation=operation
        )
    # Anything else broke while the answer was read (zeep trips over some malformed answers
    # with plain ValueErrors and AttributeErrors): the camera cannot be understood.
    logger.warning("%s: unexpected error reading %s", where, operation, exc_info=exc)
    return ProtocolError(
        f"The camera's answer to {operation} could not be read: it does not follow ONVIF.",
        operation=operation,
        detail=f"{type(exc).__name__}: {exc}",
    )


def _fault(exc: zeep.exceptions.Fault, operation: str) -> OnvifError:
    subcodes = {_local(c) for c in (exc.subcodes or [])}
    reason = (exc.message or "").strip()
    detail = f"{_local(exc.code)} {sorted(subcodes)} {reason}"
    if is_auth_fault(exc):
        return AuthenticationFailed(
            "The camera refused the username or password. Check them (and that the user may "
            "use ONVIF), then save the device again.",
            operation=operation,
            detail=detail,
        )
    if subcodes & UNSUPPORTED_SUBCODES:
        return NotSupported(
            f"The camera does not support {operation}.", operation=operation, detail=detail
        )
    if subcodes & {"InvalidArgVal", "InvalidArgs", "InvalidArgument"} or any(
        s.startswith("Invalid") for s in subcodes
    ):
        return InvalidArgument(
            f"The camera refused a value in {operation}: {reason or 'invalid argument'}.",
            operation=operation,
            detail=detail,
        )
    return CameraFault(
        f"The camera could not do {operation}: {reason or 'no reason given'}.",
        operation=operation,
        detail=detail,
    )


def _http_status(exc: zeep.exceptions.TransportError, operation: str, where: str) -> OnvifError:
    status = exc.status_code
    if status in (401, 403):
        return AuthenticationFailed(
            "The camera refused the username or password (HTTP authentication). Check them, "
            "then save the device again.",
            operation=operation,
            detail=f"HTTP {status}",
        )
    if status in (404, 405, 501):
        return NotSupported(
            f"The camera has no service for {operation} at the address it gave (HTTP {status}).",
            operation=operation,
        )
    if status >= 500 or status == 0:
        return DeviceUnreachable(
            f"The camera at {where} failed to answer {operation} (HTTP {status}).",
            operation=operation,
        )
    return ProtocolError(
        f"The camera answered {operation} with HTTP {status}.", operation=operation
    )
