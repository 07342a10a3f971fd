"""The few exceptions the rest of the VMS sees from a camera call.

Each carries a message a person understands and `permanent`: a permanent error (wrong
password, unsupported operation, invalid argument, a camera that does not speak valid
SOAP) will not go away by retrying; a transient one (timeout, refused connection, camera
rebooting) may.
"""

from __future__ import annotations


class OnvifError(Exception):
    permanent = False

    def __init__(self, message: str, *, operation: str = "", detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.detail = detail  # technical detail for logs; never holds credentials

    def __str__(self) -> str:
        return self.message


class DeviceUnreachable(OnvifError):
    """Timeout, refused or dropped connection, HTTP server error: try again later."""


class AuthenticationFailed(OnvifError):
    """The camera refused the credentials (WS-Security and HTTP Digest both tried)."""

    permanent = True


class NotSupported(OnvifError):
    """The camera does not offer this service or operation."""

    permanent = True


class InvalidArgument(OnvifError):
    """The camera refused a value we sent (ter:InvalidArgVal and friends)."""

    permanent = True


class ProtocolError(OnvifError):
    """The camera answered with something that is not valid SOAP/ONVIF."""

    permanent = True


class CameraFault(OnvifError):
    """Any other SOAP fault (ter:Action failures): the camera could not do it now."""
