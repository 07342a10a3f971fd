"""Device management operations (devicemgmt.wsdl)."""

from __future__ import annotations

import calendar
import logging
from typing import TYPE_CHECKING, Any

from cameras.onvif.config_read import num
from cameras.onvif.errors import AuthenticationFailed, DeviceUnreachable, OnvifError
from cameras.onvif.types import DeviceInfo, GeoLocation, ServiceInfo
from cameras.onvif.wsdl import SERVICES

if TYPE_CHECKING:
    from cameras.onvif.client import OnvifClient

logger = logging.getLogger(__name__)

# A namespace can carry several of our services (analytics engine and rule engine).
SERVICES_BY_NAMESPACE: dict[str, list[str]] = {}
for _spec in SERVICES.values():
    if _spec.name not in ("pullpoint", "subscription"):
        SERVICES_BY_NAMESPACE.setdefault(_spec.namespace, []).append(_spec.name)

# GetCapabilities: (path to the XAddr, our service names).
CAPABILITY_PATHS = (
    (("Media",), ["media"]),
    (("PTZ",), ["ptz"]),
    (("Imaging",), ["imaging"]),
    (("Events",), ["events"]),
    (("Analytics",), ["analytics", "rules"]),
    (("Extension", "DeviceIO"), ["deviceio"]),
)


def _int(value: Any, low: int, high: int, default: int) -> int:
    """Cameras send hour 24, month 0 and such: clamp instead of failing."""
    try:
        return min(max(int(value), low), high)
    except (TypeError, ValueError):
        return default


def camera_utc(answer: Any) -> float | None:
    """POSIX time of a GetSystemDateAndTime answer (UTC, or local time as a last resort)."""
    moment = getattr(answer, "UTCDateTime", None) or getattr(answer, "LocalDateTime", None)
    date, clock = getattr(moment, "Date", None), getattr(moment, "Time", None)
    if date is None or clock is None:
        return None
    year = _int(date.Year, 1970, 2200, 1970)
    month = _int(date.Month, 1, 12, 1)
    day = _int(date.Day, 1, calendar.monthrange(year, month)[1], 1)
    hour, minute = _int(clock.Hour, 0, 23, 0), _int(clock.Minute, 0, 59, 0)
    second = _int(clock.Second, 0, 59, 0)
    return float(calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0)))


async def get_device_information(client: OnvifClient) -> DeviceInfo:
    answer = await client.call("device", "GetDeviceInformation")
    return DeviceInfo(
        manufacturer=str(answer.Manufacturer or ""),
        model=str(answer.Model or ""),
        firmware=str(answer.FirmwareVersion or ""),
        serial=str(answer.SerialNumber or ""),
        hardware_id=str(answer.HardwareId or ""),
    )


async def get_scopes(client: OnvifClient) -> list[str]:
    answer = await client.call("device", "GetScopes")
    return [str(scope.ScopeItem) for scope in answer or []]


async def get_services(client: OnvifClient) -> list[ServiceInfo]:
    """GetServices, or GetCapabilities on cameras that lack it (or get it wrong)."""
    try:
        answer = await client.call("device", "GetServices", IncludeCapability=False)
    except (AuthenticationFailed, DeviceUnreachable):
        raise
    except OnvifError as exc:
        logger.info("%s: GetServices failed (%s); using GetCapabilities", client.where, exc)
        return await get_capabilities(client)
    found: list[ServiceInfo] = []
    for service in answer or []:
        version = service.Version
        text = f"{version.Major}.{version.Minor}" if version is not None else ""
        for name in SERVICES_BY_NAMESPACE.get(str(service.Namespace), []):
            found.append(
                ServiceInfo(
                    name, str(service.Namespace), client.rewrite(service.XAddr), service.XAddr, text
                )
            )
    return found


async def get_capabilities(client: OnvifClient) -> list[ServiceInfo]:
    answer = await client.call("device", "GetCapabilities", Category="All")
    found = [
        ServiceInfo(
            "device", SERVICES["device"].namespace, client.xaddrs["device"], client.xaddrs["device"]
        )
    ]
    for path, names in CAPABILITY_PATHS:
        node: Any = answer
        for step in path:
            node = getattr(node, step, None)
        xaddr = getattr(node, "XAddr", None)
        if xaddr:
            for name in names:
                found.append(
                    ServiceInfo(name, SERVICES[name].namespace, client.rewrite(xaddr), xaddr)
                )
    return found


def _location(entry: Any) -> GeoLocation | None:
    where = getattr(entry, "GeoLocation", None)
    lon, lat = num(getattr(where, "lon", None)), num(getattr(where, "lat", None))
    if lon is None or lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    return GeoLocation(
        lon=lon,
        lat=lat,
        elevation=num(getattr(where, "elevation", None)),
        heading=num(getattr(getattr(entry, "GeoOrientation", None), "yaw", None)),
        entity=str(getattr(entry, "Entity", None) or "Device"),
        token=str(getattr(entry, "Token", None) or ""),
        fixed=getattr(entry, "Fixed", None) is True,
    )


async def get_geo_location(client: OnvifClient) -> GeoLocation | None:
    """Where the camera is (GetGeoLocation, Core 8.3): its Device entry, else the first entry
    with a position; None when it reports none. A camera without geo location support raises
    NotSupported."""
    answer = await client.call("device", "GetGeoLocation")
    entries = getattr(answer, "Location", answer)
    found = [x for x in (_location(e) for e in entries or []) if x is not None]
    return next((x for x in found if x.entity == "Device"), found[0] if found else None)
