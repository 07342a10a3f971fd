"""WS-Discovery (2005/04) client: Probe for ONVIF devices, unicast or multicast.

Unicast probes go to each address of a target (an address, a range `a-b` or a CIDR block);
multicast goes to 239.255.255.250:3702 and is off unless the admin turns it on, since a
multicast probe leaves the host. Answers are parsed without entity expansion or DTDs.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import uuid
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from lxml import etree

PORT = 3702
GROUP = "239.255.255.250"
MAX_ADDRESSES = 1024
NS = {
    "env": "http://www.w3.org/2003/05/soap-envelope",
    "wsa": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
    "d": "http://schemas.xmlsoap.org/ws/2005/04/discovery",
    "dn": "http://www.onvif.org/ver10/network/wsdl",
}
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
PROBE = """<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="{env}" xmlns:wsa="{wsa}" xmlns:d="{d}" xmlns:dn="{dn}">
<env:Header><wsa:MessageID>urn:uuid:{id}</wsa:MessageID>
<wsa:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To>
<wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</wsa:Action></env:Header>
<env:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></env:Body>
</env:Envelope>"""


class TargetError(ValueError):
    """A scan target the user typed cannot be understood; the message says why."""


@dataclass(frozen=True)
class Discovered:
    endpoint: str
    xaddrs: tuple[str, ...]
    scopes: tuple[str, ...]

    def scope(self, kind: str) -> str:
        prefix = f"onvif://www.onvif.org/{kind}/"
        return next((unquote(s[len(prefix) :]) for s in self.scopes if s.startswith(prefix)), "")

    @property
    def name(self) -> str:
        return self.scope("name")

    @property
    def hardware(self) -> str:
        return self.scope("hardware")

    @property
    def location(self) -> str:
        return self.scope("location")

    @property
    def host(self) -> str:
        return urlsplit(self.xaddrs[0]).hostname or "" if self.xaddrs else ""

    @property
    def port(self) -> int:
        return (urlsplit(self.xaddrs[0]).port or 80) if self.xaddrs else 80


def parse_targets(text: str) -> list[tuple[str, int]]:
    """`127.0.0.1`, `127.0.0.1:3703`, `127.0.0.1-127.0.0.9`, `127.0.0.0/28`, comma-separated."""
    targets: list[tuple[str, int]] = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        spec, port = item, PORT
        if item.count(":") == 1:
            spec, _, port_text = item.partition(":")
            if not port_text.isdigit() or not 0 < int(port_text) < 65536:
                raise TargetError(f"{item}: the port must be a number from 1 to 65535.")
            port = int(port_text)
        addresses = _addresses(item, spec)
        if len(targets) + len(addresses) > MAX_ADDRESSES:
            raise TargetError(f"At most {MAX_ADDRESSES} addresses per scan.")
        targets.extend((address, port) for address in addresses)
    if not targets:
        raise TargetError("Enter at least one address to probe.")
    return targets


def _addresses(item: str, spec: str) -> list[str]:
    """The addresses of one target, refusing more than MAX_ADDRESSES before listing them."""
    try:
        if "/" in spec:
            network = ipaddress.ip_network(spec, strict=False)
            if network.num_addresses > MAX_ADDRESSES + 2:
                raise TargetError(f"At most {MAX_ADDRESSES} addresses per scan.")
            return [str(a) for a in (list(network.hosts()) or [network.network_address])]
        if "-" in spec:
            first, last = (ipaddress.ip_address(a.strip()) for a in spec.split("-", 1))
            if int(last) < int(first):
                raise TargetError(f"{item}: the range ends before it starts.")
            if int(last) - int(first) >= MAX_ADDRESSES:
                raise TargetError(f"At most {MAX_ADDRESSES} addresses per scan.")
            return [str(ipaddress.ip_address(n)) for n in range(int(first), int(last) + 1)]
        return [str(ipaddress.ip_address(spec))]
    except TargetError:
        raise
    except ValueError:
        raise TargetError(f"{item}: not an IP address, range (a-b) or block (a/n).") from None


def parse_matches(data: bytes) -> list[Discovered]:
    try:
        root = etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError:
        return []
    found = []
    for match in root.iterfind(".//d:ProbeMatch", NS):
        endpoint = _endpoint(match)
        xaddrs = tuple(match.findtext("d:XAddrs", "", NS).split())
        scopes = tuple(match.findtext("d:Scopes", "", NS).split())
        if endpoint and xaddrs:
            found.append(Discovered(endpoint, xaddrs, scopes))
    return found


def _endpoint(match: etree._Element) -> str:
    """The EndpointReference address of a match. Some cameras put the EndpointReference (or
    its Address) in the discovery namespace instead of WS-Addressing: both are accepted."""
    for wrapper in ("wsa", "d"):
        for address in ("wsa", "d"):
            found = match.findtext(f"{wrapper}:EndpointReference/{address}:Address", None, NS)
            if found and found.strip():
                return found.strip()
    return ""


class _Collector(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.found: dict[str, Discovered] = {}

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        for device in parse_matches(data):
            self.found.setdefault(device.endpoint, device)


async def probe(
    targets: list[tuple[str, int]], *, timeout: float = 2.0, multicast: bool = False
) -> list[Discovered]:
    """Send a Probe to every target (and the multicast group if asked); collect for `timeout`."""
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(
        ("0.0.0.0", 0)
        if multicast
        else ("127.0.0.1", 0)
        if _all_loopback(targets)
        else ("0.0.0.0", 0)
    )
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    transport, collector = await loop.create_datagram_endpoint(_Collector, sock=sock)
    try:
        message = PROBE.format(id=uuid.uuid4(), **NS).encode()
        for address in ([(GROUP, PORT)] if multicast else []) + targets:
            transport.sendto(message, address)
            await asyncio.sleep(0)  # let answers in while sending to large ranges
        await asyncio.sleep(timeout)
    finally:
        transport.close()
    return sorted(collector.found.values(), key=lambda d: (d.host, d.port, d.name))


def _all_loopback(targets: list[tuple[str, int]]) -> bool:
    return all(ipaddress.ip_address(host).is_loopback for host, _ in targets)
