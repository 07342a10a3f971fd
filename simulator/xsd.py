"""The official ONVIF schemas: one compiled lxml XMLSchema for every service the simulator serves.

The WSDLs embed their message schemas; we pull those out, and compile a wrapper schema that
imports every namespace. Everything is parsed once per process (``functools.cache``).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from lxml import etree

WSDL_ROOT = Path(__file__).resolve().parent.parent / "wsdl"
XS = "http://www.w3.org/2001/XMLSchema"
TT = "http://www.onvif.org/ver10/schema"

# Service WSDLs whose embedded schemas the simulator answers with.
SERVICE_WSDLS = {
    "http://www.onvif.org/ver10/device/wsdl": "ver10/device/wsdl/devicemgmt.wsdl",
    "http://www.onvif.org/ver10/deviceIO/wsdl": "ver10/deviceio.wsdl",
    "http://www.onvif.org/ver10/media/wsdl": "ver10/media/wsdl/media.wsdl",
    "http://www.onvif.org/ver20/media/wsdl": "ver20/media/wsdl/media.wsdl",
    "http://www.onvif.org/ver20/imaging/wsdl": "ver20/imaging/wsdl/imaging.wsdl",
    "http://www.onvif.org/ver20/ptz/wsdl": "ver20/ptz/wsdl/ptz.wsdl",
    "http://www.onvif.org/ver20/analytics/wsdl": "ver20/analytics/wsdl/analytics.wsdl",
    "http://www.onvif.org/ver10/events/wsdl": "ver10/events/wsdl/event.wsdl",
}
PLAIN_XSDS = {
    "http://www.onvif.org/ver20/analytics": "ver20/analytics/rules.xsd",
    "http://docs.oasis-open.org/wsn/b-2": "schema/common/b-2.xsd",
    "http://docs.oasis-open.org/wsn/t-1": "schema/common/t-1.xsd",
    "http://www.w3.org/2005/08/addressing": "schema/common/ws-addr.xsd",
}

_SAFE = {"resolve_entities": False, "no_network": True, "load_dtd": False}


def wsdl_path(relative: str) -> Path:
    return WSDL_ROOT / relative


@functools.cache
def parse_file(relative: str) -> etree._ElementTree:
    """Parse one vendored WSDL/XSD file (cached: each file is read once per process)."""
    return etree.parse(str(wsdl_path(relative)), etree.XMLParser(**_SAFE))


def _embedded_schema(relative: str) -> bytes:
    tree = parse_file(relative)
    found = tree.find(f"{{http://schemas.xmlsoap.org/wsdl/}}types/{{{XS}}}schema")
    schema = etree.fromstring(_narrow(etree.tostring(found)))
    for imp in schema.findall(f"{{{XS}}}import"):
        if imp.get("namespace") == TT:
            imp.set("schemaLocation", "onvif-sim:tt.xsd")
    return etree.tostring(schema)


_TT_WRAPPER = f"""<xs:schema xmlns:xs="{XS}" targetNamespace="{TT}" elementFormDefault="qualified">
<xs:include schemaLocation="{(WSDL_ROOT / "ver10/schema/onvif.xsd").as_uri()}"/>
<xs:include schemaLocation="{(WSDL_ROOT / "ver10/schema/metadatastream.xsd").as_uri()}"/>
</xs:schema>"""


def _patched(path: Path) -> bytes:
    """The file's bytes, with optional ``##any`` wildcards narrowed (see ``_narrow``)."""
    return _narrow(path.read_bytes())


_ANY = re.compile(rb"<xs:any\b[^>]*?/?>")
_EXTENSION_NS = b"http://www.onvif.org/simulator/no-extension"


def _narrow(data: bytes) -> bytes:
    """Narrow optional ``<xs:any namespace="##any|##targetNamespace">`` extension slots.

    Many ONVIF types end in such a wildcard after optional elements, which breaks the XSD "unique
    particle attribution" rule, and libxml2 refuses the schema. We point those optional wildcards
    at a namespace nobody uses: validation then also flags unexpected extension content, which the
    simulator never sends. Mandatory wildcards (ElementItem, wsnt:Message) are left alone.
    """

    def fix(match: re.Match[bytes]) -> bytes:
        tag = match.group(0)
        if b'minOccurs="0"' not in tag:
            return tag
        return re.sub(
            rb'namespace="##(any|targetNamespace)"', b'namespace="' + _EXTENSION_NS + b'"', tag
        )

    return _ANY.sub(fix, data)


class _Resolver(etree.Resolver):
    def resolve(self, system_url, public_id, context):
        if system_url.startswith("file:"):
            path = Path(system_url.removeprefix("file://"))
            if path.is_file() and WSDL_ROOT in path.resolve().parents:
                return self.resolve_string(_patched(path), context, base_url=path.as_uri())
        if system_url == "onvif-sim:tt.xsd":
            return self.resolve_string(_TT_WRAPPER, context)
        if system_url.startswith("onvif-sim:wsdl:"):
            ns = system_url.removeprefix("onvif-sim:wsdl:")
            relative = SERVICE_WSDLS[ns]
            return self.resolve_string(
                _embedded_schema(relative), context, base_url=wsdl_path(relative).as_uri()
            )
        if system_url.startswith("http://"):  # never fetch: map known W3C/OASIS schemas locally
            local = {
                "http://www.w3.org/2005/08/addressing/ws-addr.xsd": "schema/common/ws-addr.xsd",
                "http://www.w3.org/2001/xml.xsd": "schema/common/xml.xsd",
            }.get(system_url)
            if local:
                return self.resolve_filename(str(wsdl_path(local)), context)
        return None


@functools.cache
def schema() -> etree.XMLSchema:
    """The compiled schema set (built once per process)."""
    imports = [f'<xs:import namespace="{TT}" schemaLocation="onvif-sim:tt.xsd"/>']
    imports += [
        f'<xs:import namespace="{ns}" schemaLocation="onvif-sim:wsdl:{ns}"/>'
        for ns in SERVICE_WSDLS
    ]
    imports += [
        f'<xs:import namespace="{ns}" schemaLocation="{wsdl_path(rel).as_uri()}"/>'
        for ns, rel in PLAIN_XSDS.items()
    ]
    wrapper = f'<xs:schema xmlns:xs="{XS}">{"".join(imports)}</xs:schema>'
    parser = etree.XMLParser(**_SAFE)
    parser.resolvers.add(_Resolver())
    doc = etree.fromstring(wrapper, parser, base_url=WSDL_ROOT.as_uri() + "/")
    return etree.XMLSchema(doc)


def validate(element: etree._Element) -> list[str]:
    """Validate one element (e.g. a SOAP body child); return the error messages (empty = valid)."""
    sch = schema()
    copy = etree.fromstring(etree.tostring(element))
    if sch.validate(etree.ElementTree(copy)):
        return []
    return [f"{e.line}: {e.message}" for e in sch.error_log]
