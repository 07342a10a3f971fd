"""SOAP 1.2 envelopes, faults and XML helpers (lxml, with entity expansion and DTDs refused)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from lxml import etree

NS = {
    "env": "http://www.w3.org/2003/05/soap-envelope",
    "ter": "http://www.onvif.org/ver10/error",
    "xs": "http://www.w3.org/2001/XMLSchema",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
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
    "wsnt": "http://docs.oasis-open.org/wsn/b-2",
    "wstop": "http://docs.oasis-open.org/wsn/t-1",
    "wsa": "http://www.w3.org/2005/08/addressing",
    "tns1": "http://www.onvif.org/ver10/topics",
    "wsse": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
    "wsu": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
    "d": "http://schemas.xmlsoap.org/ws/2005/04/discovery",
    "dn": "http://www.onvif.org/ver10/network/wsdl",
}
SENDER, RECEIVER = "env:Sender", "env:Receiver"

SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)


class Fault(Exception):
    """A SOAP 1.2 fault: Code (env:Sender/env:Receiver/...), ter: subcodes and a reason."""

    def __init__(
        self,
        code: str,
        subcodes: Iterable[str] = (),
        reason: str = "",
        detail: etree._Element | None = None,
    ) -> None:
        self.code, self.detail = code, detail
        self.subcodes = list(subcodes)
        self.reason = reason or (self.subcodes[-1].split(":")[-1] if self.subcodes else code)
        super().__init__(f"{code} {'/'.join(self.subcodes)}: {self.reason}")

    @property
    def http_status(self) -> int:
        return 400 if self.code in (SENDER, "env:VersionMismatch", "env:MustUnderstand") else 500


def invalid_arg(sub: str, reason: str = "") -> Fault:
    """Sender/ter:InvalidArgVal/ter:<sub>."""
    return Fault(SENDER, ["ter:InvalidArgVal", f"ter:{sub}"], reason)


def action_failed(sub: str, reason: str = "") -> Fault:
    """Receiver/ter:Action/ter:<sub>."""
    return Fault(RECEIVER, ["ter:Action", f"ter:{sub}"], reason)


def not_supported(sub: str | None = None, reason: str = "") -> Fault:
    """Receiver/ter:ActionNotSupported[/ter:<sub>]."""
    return Fault(RECEIVER, ["ter:ActionNotSupported"] + ([f"ter:{sub}"] if sub else []), reason)


def qn(name: str) -> str:
    """'tt:Name' -> '{namespace}Name'."""
    prefix, _, local = name.partition(":")
    return f"{{{NS[prefix]}}}{local}"


def E(name: str, *children: Any, **attrs: Any) -> etree._Element:
    """Build an element: E("tt:Name", "text", E(...), attr=value). None children are skipped."""
    el = etree.Element(qn(name), nsmap=None)
    for key, value in attrs.items():
        if value is None:
            continue
        el.set(qn(key) if ":" in key else key, xml_value(value))
    for child in children:
        append(el, child)
    return el


def append(el: etree._Element, child: Any) -> None:
    if child is None:
        return
    if isinstance(child, (list, tuple)):
        for c in child:
            append(el, c)
    elif isinstance(child, etree._Element):
        el.append(child)
    else:
        el.text = (el.text or "") + xml_value(child)


def xml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(round(value, 6)) if value == value else "NaN"
    return str(value)


def local(el: etree._Element) -> str:
    return etree.QName(el).localname


def child(el: etree._Element | None, name: str) -> etree._Element | None:
    """First child with this local name (any namespace): requests mix service and tt namespaces."""
    if el is None:
        return None
    for c in el:
        if isinstance(c.tag, str) and local(c) == name:
            return c
    return None


def children(el: etree._Element | None, name: str) -> list[etree._Element]:
    if el is None:
        return []
    return [c for c in el if isinstance(c.tag, str) and local(c) == name]


def text(
    el: etree._Element | None, name: str | None = None, default: str | None = None
) -> str | None:
    target = el if name is None else child(el, name)
    if target is None or target.text is None:
        return default
    return target.text.strip()


def parse_bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    if value.strip() in ("true", "1"):
        return True
    if value.strip() in ("false", "0"):
        return False
    raise invalid_arg("InvalidArgs", f"not an xs:boolean: {value!r}")


def parse_float(value: str | None, default: float | None = None) -> float | None:
    if value is None:
        return default
    try:
        return float(value)
    except ValueError:
        raise Fault(SENDER, ["ter:InvalidArgVal"], f"not a number: {value!r}") from None


def parse_request(data: bytes) -> tuple[etree._Element | None, etree._Element]:
    """Return (Header, first Body child). Malformed input raises a Sender fault."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise Fault(SENDER, ["ter:WellFormed"], "DTDs are not allowed in SOAP messages")
    try:
        root = etree.fromstring(data, SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise Fault(SENDER, ["ter:WellFormed"], f"not well-formed XML: {exc}") from None
    if root.tag == "{http://schemas.xmlsoap.org/soap/envelope/}Envelope":
        raise Fault("env:VersionMismatch", [], "SOAP 1.1 envelopes are not supported; use SOAP 1.2")
    if root.tag != qn("env:Envelope"):
        raise Fault(SENDER, ["ter:TagMismatch"], "root element is not a SOAP 1.2 Envelope")
    header, body = root.find(qn("env:Header")), root.find(qn("env:Body"))
    if body is None:
        raise Fault(SENDER, ["ter:Tag"], "no SOAP Body")
    payload = [c for c in body if isinstance(c.tag, str)]
    if not payload:
        raise Fault(SENDER, ["ter:Tag"], "empty SOAP Body")
    return header, payload[0]


_ENV_NSMAP = {p: NS[p] for p in ("env", "ter", "tt", "tds", "trt", "tr2", "tptz", "timg", "tev")}
_ENV_NSMAP |= {p: NS[p] for p in ("wsnt", "wsa", "tns1", "tan", "tmd", "axt", "wstop", "xs")}


def envelope(payload: etree._Element | None, headers: Iterable[etree._Element] = ()) -> bytes:
    env = etree.Element(qn("env:Envelope"), nsmap=_ENV_NSMAP)
    header = etree.SubElement(env, qn("env:Header"))
    for h in headers:
        header.append(h)
    body = etree.SubElement(env, qn("env:Body"))
    if payload is not None:
        body.append(payload)
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


def fault_element(fault: Fault) -> etree._Element:
    code = E("env:Code", E("env:Value", fault.code))
    parent = code
    for sub in fault.subcodes:
        node = E("env:Subcode", E("env:Value", sub))
        parent.append(node)
        parent = node
    reason = E("env:Reason", E("env:Text", fault.reason))
    reason[0].set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    detail = E("env:Detail", fault.detail) if fault.detail is not None else None
    return E("env:Fault", code, reason, detail)


def fault_envelope(fault: Fault) -> bytes:
    return envelope(fault_element(fault))


_DURATION = re.compile(
    r"^(-)?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(value: str) -> float:
    """xs:duration -> seconds (years/months approximated as 365/30 days)."""
    m = _DURATION.match(value.strip())
    if not m or value.strip() in ("P", "PT", "-P"):
        raise invalid_arg("InvalidArgs", f"not an xs:duration: {value!r}")
    sign, *parts = m.groups()
    factors = (365 * 86400, 30 * 86400, 86400, 3600, 60, 1)
    seconds = sum(float(p) * f for p, f in zip(parts, factors, strict=True) if p)
    return -seconds if sign else seconds


def duration(seconds: float) -> str:
    if seconds == int(seconds):
        return f"PT{int(seconds)}S"
    return f"PT{seconds:.3f}S"


def iso_time(posix: float) -> str:
    return datetime.fromtimestamp(posix, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: str) -> float:
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise invalid_arg("InvalidArgs", f"not an xs:dateTime: {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()
