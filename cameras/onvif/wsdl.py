"""The official ONVIF WSDLs, parsed once per process and shared by every camera's client."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import zeep
from zeep.transports import Transport
from zeep.wsdl import Document

WSDL_ROOT = Path(__file__).resolve().parents[2] / "wsdl"

# The two schema URLs the WSDL tree names by address; everything else is a relative path.
LOCAL_COPIES = {
    "http://www.w3.org/2001/xml.xsd": "schema/common/xml.xsd",
    "http://www.w3.org/2009/01/xml.xsd": "schema/common/xml.xsd",
}

SETTINGS = zeep.Settings(
    strict=False,  # cameras add vendor elements and skip required ones
    xml_huge_tree=False,
    forbid_dtd=True,
    forbid_entities=True,
    forbid_external=True,
)


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    namespace: str
    wsdl: str
    binding: str


SERVICES = {
    spec.name: spec
    for spec in (
        ServiceSpec("device", "http://www.onvif.org/ver10/device/wsdl",
                    "ver10/device/wsdl/devicemgmt.wsdl", "DeviceBinding"),
        ServiceSpec("media", "http://www.onvif.org/ver10/media/wsdl",
                    "ver10/media/wsdl/media.wsdl", "MediaBinding"),
        ServiceSpec("media2", "http://www.onvif.org/ver20/media/wsdl",
                    "ver20/media/wsdl/media.wsdl", "Media2Binding"),
        ServiceSpec("ptz", "http://www.onvif.org/ver20/ptz/wsdl",
                    "ver20/ptz/wsdl/ptz.wsdl", "PTZBinding"),
        ServiceSpec("imaging", "http://www.onvif.org/ver20/imaging/wsdl",
                    "ver20/imaging/wsdl/imaging.wsdl", "ImagingBinding"),
        ServiceSpec("deviceio", "http://www.onvif.org/ver10/deviceIO/wsdl",
                    "ver10/deviceio.wsdl", "DeviceIOBinding"),
        ServiceSpec("analytics", "http://www.onvif.org/ver20/analytics/wsdl",
                    "ver20/analytics/wsdl/analytics.wsdl", "AnalyticsEngineBinding"),
        ServiceSpec("rules", "http://www.onvif.org/ver20/analytics/wsdl",
                    "ver20/analytics/wsdl/analytics.wsdl", "RuleEngineBinding"),
        ServiceSpec("events", "http://www.onvif.org/ver10/events/wsdl",
                    "ver10/events/wsdl/event.wsdl", "EventBinding"),
        ServiceSpec("pullpoint", "http://www.onvif.org/ver10/events/wsdl",
                    "ver10/events/wsdl/event.wsdl", "PullPointSubscriptionBinding"),
        ServiceSpec("subscription", "http://www.onvif.org/ver10/events/wsdl",
                    "ver10/events/wsdl/event.wsdl", "SubscriptionManagerBinding"),
    )
}  # fmt: skip
NAMESPACE_TO_SERVICE = {spec.namespace: spec.name for spec in SERVICES.values()}


class LocalLoader(Transport):
    """Loads WSDL/XSD files from the vendored tree only; never from the network."""

    def __init__(self) -> None:
        super().__init__(cache=None, timeout=5)

    def load(self, url: str) -> bytes:
        if url in LOCAL_COPIES:
            return (WSDL_ROOT / LOCAL_COPIES[url]).read_bytes()
        if url.startswith(("http://", "https://")):
            raise ValueError(f"refusing to fetch {url}: the WSDL tree must be self-contained")
        return bytes(super().load(url))


_lock = threading.Lock()
_documents: dict[str, Document] = {}


def document(wsdl: str) -> Document:
    """The parsed WSDL (first call parses it, about 0.1 s; later calls are free)."""
    with _lock:
        if wsdl not in _documents:
            _documents[wsdl] = Document(str(WSDL_ROOT / wsdl), LocalLoader(), settings=SETTINGS)  # type: ignore[arg-type]
        return _documents[wsdl]


def binding_name(spec: ServiceSpec) -> str:
    return f"{{{spec.namespace}}}{spec.binding}"


def preload() -> None:
    """Parse every WSDL now (worker start-up), not on a camera's first call."""
    for spec in SERVICES.values():
        document(spec.wsdl)
