"""WS-Discovery (2005/04) for the fleet: answers Probe, sends Hello and Bye.

Unicast by default: one UDP socket on ``host:port`` (127.0.0.1:3702) answers Probes sent to it.
Multicast (239.255.255.250:3702) is only used when asked for explicitly, and is meant for an
isolated network namespace (``unshare -n``): multicast must never leave this machine.
Hello/Bye go to the multicast group in multicast mode, else to the ``announce_to`` addresses.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import struct
import uuid

from lxml import etree

from simulator.camera import Camera
from simulator.soap import SAFE_PARSER

log = logging.getLogger(__name__)
GROUP, PORT = "239.255.255.250", 3702
NS = {
    "env": "http://www.w3.org/2003/05/soap-envelope",
    "wsa": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
    "d": "http://schemas.xmlsoap.org/ws/2005/04/discovery",
    "dn": "http://www.onvif.org/ver10/network/wsdl",
    "tds": "http://www.onvif.org/ver10/device/wsdl",
}
TYPES = "dn:NetworkVideoTransmitter tds:Device"
ACTION = "http://schemas.xmlsoap.org/ws/2005/04/discovery/"
ANONYMOUS = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"


def endpoint(camera: Camera) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'onvif-sim:' + camera.identity.serial)}"


def _q(name: str) -> str:
    prefix, _, local = name.partition(":")
    return f"{{{NS[prefix]}}}{local}"


def _sub(parent, name: str, text: str | None = None):
    el = etree.SubElement(parent, _q(name))
    if text is not None:
        el.text = text
    return el


def message(
    action: str,
    body_name: str,
    cameras: list[Camera],
    relates_to: str | None = None,
    to: str = ANONYMOUS,
) -> bytes:
    env = etree.Element(_q("env:Envelope"), nsmap=NS)
    header = _sub(env, "env:Header")
    _sub(header, "wsa:MessageID", f"urn:uuid:{uuid.uuid4()}")
    if relates_to:
        _sub(header, "wsa:RelatesTo", relates_to)
    _sub(header, "wsa:To", to)
    _sub(header, "wsa:Action", ACTION + action)
    if action in ("Hello", "Bye"):
        _sub(header, "d:AppSequence").attrib.update({"InstanceId": "1", "MessageNumber": "1"})
    body = _sub(_sub(env, "env:Body"), body_name)
    for camera in cameras:
        inner = {"d:ProbeMatches": "d:ProbeMatch", "d:ResolveMatches": "d:ResolveMatch"}
        target = _sub(body, inner[body_name]) if body_name in inner else body
        # discovery_epr_namespace quirk: the EndpointReference in the discovery namespace
        wrapper = "d" if camera.quirks.discovery_epr_namespace else "wsa"
        _sub(_sub(target, f"{wrapper}:EndpointReference"), "wsa:Address", endpoint(camera))
        if action != "Bye":
            _sub(target, "d:Types", TYPES)
            _sub(target, "d:Scopes", " ".join(camera.scopes))
            _sub(target, "d:XAddrs", camera.runtime.url("/onvif/device_service"))
            _sub(target, "d:MetadataVersion", "1")
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


def matches(camera: Camera, types: list[tuple[str, str]], scopes: list[str]) -> bool:
    offered = {(NS["dn"], "NetworkVideoTransmitter"), (NS["tds"], "Device")}
    if any(t not in offered for t in types):
        return False
    for scope in scopes:
        if not any(s == scope or s.startswith(scope.rstrip("/") + "/") for s in camera.scopes):
            return False
    return True


def parse_resolve(data: bytes) -> tuple[str, str] | None:
    """(MessageID, endpoint address) of a Resolve message, else None."""
    try:
        root = etree.fromstring(data, SAFE_PARSER)
    except etree.XMLSyntaxError:
        return None
    resolve = root.find(f"{_q('env:Body')}/{_q('d:Resolve')}")
    if resolve is None:
        return None
    msg_id = root.findtext(f"{_q('env:Header')}/{_q('wsa:MessageID')}") or ""
    return msg_id, (resolve.findtext(f"{_q('wsa:EndpointReference')}/{_q('wsa:Address')}") or "")


def parse_probe(data: bytes) -> tuple[str, list[tuple[str, str]], list[str]] | None:
    try:
        root = etree.fromstring(data, SAFE_PARSER)
    except etree.XMLSyntaxError:
        return None
    probe = root.find(f"{_q('env:Body')}/{_q('d:Probe')}")
    if probe is None:
        return None
    msg_id = root.findtext(f"{_q('env:Header')}/{_q('wsa:MessageID')}") or ""
    types_el = probe.find(_q("d:Types"))
    types = []
    for qname in (types_el.text or "").split() if types_el is not None else []:
        prefix, _, name = qname.rpartition(":")
        types.append((types_el.nsmap.get(prefix or None, ""), name))
    scopes = (probe.findtext(_q("d:Scopes")) or "").split()
    return msg_id, types, scopes


class Protocol(asyncio.DatagramProtocol):
    def __init__(self, discovery: Discovery) -> None:
        self.discovery = discovery
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr) -> None:
        if self.transport is None:
            return
        if (resolve := parse_resolve(data)) is not None:
            msg_id, address = resolve
            for camera in self.discovery.cameras:
                if camera.runtime.online and endpoint(camera) == address.strip():
                    reply = message("ResolveMatches", "d:ResolveMatches", [camera], msg_id)
                    self.transport.sendto(reply, addr)
            return
        probe = parse_probe(data)
        if probe is None:
            return
        msg_id, types, scopes = probe
        for camera in self.discovery.cameras:
            if camera.runtime.online and matches(camera, types, scopes):
                reply = message("ProbeMatches", "d:ProbeMatches", [camera], relates_to=msg_id)
                self.transport.sendto(reply, addr)


class Discovery:
    def __init__(
        self,
        cameras: list[Camera],
        host: str = "127.0.0.1",
        port: int = PORT,
        multicast: bool = False,
        announce_to: list[tuple[str, int]] | None = None,
    ) -> None:
        self.cameras, self.host, self.port, self.multicast = cameras, host, port, multicast
        self.announce_to = announce_to or []
        self.transport: asyncio.DatagramTransport | None = None

    async def start(self) -> None:
        if self.multicast and [n for _, n in socket.if_nameindex()] != ["lo"]:
            raise RuntimeError(
                "WS-Discovery multicast is only allowed in an isolated network namespace "
                "(e.g. `unshare -n`), where it cannot leave the machine"
            )
        loop = asyncio.get_running_loop()
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if self.multicast:
            sock.bind(("", self.port))
            mreq = struct.pack("4s4s", socket.inet_aton(GROUP), socket.inet_aton(self.host))
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(self.host))
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
        else:
            sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        self.transport, _ = await loop.create_datagram_endpoint(lambda: Protocol(self), sock=sock)
        self.announce("Hello", "d:Hello")

    def announce(self, action: str, body: str) -> None:
        targets = [(GROUP, PORT)] if self.multicast else self.announce_to
        for camera in self.cameras:
            data = message(
                action, body, [camera], to="urn:schemas-xmlsoap-org:ws:2005:04:discovery"
            )
            for target in targets:
                self.transport.sendto(data, target)

    async def stop(self) -> None:
        if self.transport is not None:
            self.announce("Bye", "d:Bye")
            await asyncio.sleep(0)
            self.transport.close()
            self.transport = None
