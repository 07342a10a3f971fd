"""Service registry: each ONVIF service module registers its operations with an access class."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lxml import etree

from simulator.soap import NS

if TYPE_CHECKING:
    from aiohttp import web

    from simulator.camera import Camera, User
    from simulator.runtime import Runtime


@dataclass
class Call:
    """One SOAP request, as a handler sees it."""

    camera: Camera
    body: etree._Element
    header: etree._Element | None
    user: User | None
    path: str
    request: web.Request | None = None

    @property
    def rt(self) -> Runtime:
        return self.camera.runtime


Handler = Callable[[Call], Any]


@dataclass
class Operation:
    name: str
    handler: Handler
    access: str


@dataclass
class Service:
    key: str  # device, media2, ...
    prefix: str  # namespace prefix in simulator.soap.NS
    path: str  # URL path the device advertises
    version: tuple[int, int] = (2, 60)
    operations: dict[str, Operation] = field(default_factory=dict)
    available: Callable[[Camera], bool] = lambda camera: True
    capabilities: Callable[[Camera], etree._Element] | None = None  # GetServiceCapabilities body
    extra_prefixes: tuple[str, ...] = ()  # other namespaces whose request elements it accepts

    @property
    def namespace(self) -> str:
        return NS[self.prefix]

    def op(self, name: str, access: str) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            self.operations[name] = Operation(name, fn, access)
            return fn

        return register


SERVICES: dict[str, Service] = {}
MODULES = (
    "device",
    "deviceio",
    "media1",
    "media2",
    "media2_osd",
    "imaging",
    "ptz",
    "ptz_configs",
    "ptz_tours",
    "analytics",
    "events",
)


def service(key: str, prefix: str, path: str, **kwargs: Any) -> Service:
    svc = SERVICES[key] = Service(key, prefix, path, **kwargs)
    return svc


_checked: list[bool] = []


def load_all() -> dict[str, Service]:
    if not _checked:
        for name in MODULES:
            importlib.import_module(f"simulator.services.{name}")
        for svc in SERVICES.values():
            check_against_wsdl(svc)
        _checked.append(True)
    return SERVICES


def check_against_wsdl(svc: Service) -> None:
    """Every registered operation must exist in the service's official WSDL (parsed once)."""
    from simulator.xsd import SERVICE_WSDLS, parse_file

    wsdl = "{http://schemas.xmlsoap.org/wsdl/}"
    files = [SERVICE_WSDLS[svc.namespace]]
    if svc.key == "events":
        files.append("schema/common/bw-2.wsdl")
    known = {
        op.get("name")
        for f in files
        for port in parse_file(f).iter(f"{wsdl}portType")
        for op in port.iter(f"{wsdl}operation")
    }
    unknown = set(svc.operations) - known
    if unknown:
        raise RuntimeError(f"{svc.key}: operations not in the WSDL: {sorted(unknown)}")


def by_path(path: str) -> Service | None:
    return next((s for s in load_all().values() if s.path == path), None)
