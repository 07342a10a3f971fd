"""zeep plugins that make the client forgiving of common camera mistakes."""

from __future__ import annotations

from typing import Any

from lxml import etree
from zeep import Plugin

_BOOLEANS = {"TRUE": "true", "True": "true", "FALSE": "false", "False": "false"}

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
FAULT_VALUE = "{http://www.w3.org/2003/05/soap-envelope}Value"  # a fault code or subcode
XSD = "http://www.w3.org/2001/XMLSchema"
# The prefixes ONVIF documents use (IEC 62676-2-31 clause 4.8 and the WSDLs), with the
# namespaces they always stand for.
WELL_KNOWN_PREFIXES = {
    "xs": XSD,
    "xsd": XSD,
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "env": "http://www.w3.org/2003/05/soap-envelope",
    "ter": "http://www.onvif.org/ver10/error",
    "tt": "http://www.onvif.org/ver10/schema",
    "tds": "http://www.onvif.org/ver10/device/wsdl",
    "tmd": "http://www.onvif.org/ver10/deviceIO/wsdl",
    "trt": "http://www.onvif.org/ver10/media/wsdl",
    "tr2": "http://www.onvif.org/ver20/media/wsdl",
    "timg": "http://www.onvif.org/ver20/imaging/wsdl",
    "tptz": "http://www.onvif.org/ver20/ptz/wsdl",
    "tan": "http://www.onvif.org/ver20/analytics/wsdl",
    "axt": "http://www.onvif.org/ver20/analytics",
    "tev": "http://www.onvif.org/ver10/events/wsdl",
    "tns1": "http://www.onvif.org/ver10/topics",
    "wsnt": "http://docs.oasis-open.org/wsn/b-2",
    "wstop": "http://docs.oasis-open.org/wsn/t-1",
    "wsa": "http://www.w3.org/2005/08/addressing",
}


class ForgivingBooleans(Plugin):
    """Some cameras write xs:boolean as TRUE/FALSE, which zeep would read as False."""

    def ingress(self, envelope: Any, http_headers: Any, operation: Any) -> tuple[Any, Any]:
        for element in envelope.iter():
            text = element.text
            if text is not None and text in _BOOLEANS and len(element) == 0:
                element.text = _BOOLEANS[text]
        return envelope, http_headers


class UndeclaredPrefixes(Plugin):
    """Some cameras name types (xsi:type="xsd:int", xsi:type="ptz:PTZStatus") and fault
    subcodes ("ter:NotAuthorized") with prefixes their answer never declares, which zeep
    cannot resolve. A well-known ONVIF prefix is declared on the envelope; an xsi:type with
    any other undeclared or malformed name is dropped, and the element is read as the type
    the schema gives it."""

    def ingress(self, envelope: Any, http_headers: Any, operation: Any) -> tuple[Any, Any]:
        missing: dict[str, str] = {}
        for element in envelope.iter():
            if not isinstance(element.tag, str):
                continue  # comments and processing instructions
            named = element.get(XSI_TYPE)
            if named is not None and not self._known(element, named, missing):
                del element.attrib[XSI_TYPE]
            if element.tag == FAULT_VALUE and element.text:
                self._known(element, element.text, missing)
        return (_declare(envelope, missing) if missing else envelope), http_headers

    @staticmethod
    def _known(element: Any, qname: str, missing: dict[str, str]) -> bool:
        """Whether `qname` can be resolved at `element` (collecting well-known prefixes to
        declare in `missing`)."""
        prefix, colon, local = qname.strip().partition(":")
        if not colon:
            return True
        if not prefix or not local or ":" in local:
            return False
        if prefix in element.nsmap or prefix == "xml":
            return True
        if prefix in WELL_KNOWN_PREFIXES:
            missing[prefix] = WELL_KNOWN_PREFIXES[prefix]
            return True
        return False


def _declare(envelope: Any, prefixes: dict[str, str]) -> Any:
    """The envelope with `prefixes` declared on its root (lxml cannot add a declaration to
    an element, so the root is rebuilt and the children moved into it)."""
    root = etree.Element(
        envelope.tag, attrib=dict(envelope.attrib), nsmap=prefixes | envelope.nsmap
    )
    root.text = envelope.text
    root.extend(list(envelope))
    return root
