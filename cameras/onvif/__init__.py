"""The ONVIF client: the only package of the VMS that imports zeep.

Results are the dataclasses of `types`; failures are the exceptions of `errors`.
"""

from cameras.onvif.client import OnvifClient
from cameras.onvif.errors import (
    AuthenticationFailed,
    CameraFault,
    DeviceUnreachable,
    InvalidArgument,
    NotSupported,
    OnvifError,
    ProtocolError,
)

__all__ = [
    "AuthenticationFailed",
    "CameraFault",
    "DeviceUnreachable",
    "InvalidArgument",
    "NotSupported",
    "OnvifClient",
    "OnvifError",
    "ProtocolError",
]
