"""WS-Discovery against the virtual cameras: unicast here, multicast in a private namespace."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from cameras.onvif.discovery import TargetError, parse_matches, parse_targets, probe
from simulator.camera import Camera
from simulator.discovery import Discovery, endpoint
from tests.processes import ROOT


def test_targets_accept_addresses_ranges_and_blocks() -> None:
    assert parse_targets("127.0.0.1") == [("127.0.0.1", 3702)]
    assert parse_targets("127.0.0.1:3703, 127.0.0.5-127.0.0.6") == [
        ("127.0.0.1", 3703),
        ("127.0.0.5", 3702),
        ("127.0.0.6", 3702),
    ]
    assert len(parse_targets("127.0.1.0/28")) == 14


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "at least one address"),
        ("camera.local", "not an IP address"),
        ("127.0.0.9-127.0.0.1", "ends before it starts"),
        ("127.0.0.1:99999", "port must be a number"),
        ("10.0.0.0/8", "At most 1024"),
    ],
)
def test_bad_targets_are_explained(text: str, message: str) -> None:
    with pytest.raises(TargetError, match=message):
        parse_targets(text)


def test_hostile_answers_are_ignored() -> None:
    bomb = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;</x>"""
    assert parse_matches(bomb) == []
    assert parse_matches(b"not xml at all") == []


async def test_a_unicast_probe_finds_every_virtual_camera(fleet: dict[str, Camera]) -> None:
    discovery = Discovery(list(fleet.values()), "127.0.0.1", 0)
    await discovery.start()
    try:
        found = await probe([("127.0.0.1", discovery.port)], timeout=0.5)
    finally:
        await discovery.stop()
    by_name = {d.name: d for d in found}
    assert set(by_name) == set(fleet)
    dome = by_name["ptz-dome"]
    assert (dome.host, dome.port) == ("127.0.0.1", fleet["ptz-dome"].port)
    assert dome.hardware == "SV-PTZ-2000"
    assert dome.xaddrs[0].endswith("/onvif/device_service")


MULTICAST_SCRIPT = textwrap.dedent(
    """
    import asyncio, subprocess
    subprocess.run(["ip", "link", "set", "lo", "up", "multicast", "on"], check=True)
    subprocess.run(["ip", "route", "add", "239.0.0.0/8", "dev", "lo"], check=True)
    from simulator import config
    from simulator.server import Simulator
    from simulator.discovery import Discovery
    from cameras.onvif.discovery import probe

    async def main():
        cameras = config.load(base_port=0)
        simulator = Simulator(cameras)
        await simulator.start()
        discovery = Discovery(cameras, "127.0.0.1", 3702, multicast=True)
        await discovery.start()
        found = await probe([], timeout=0.5, multicast=True)
        await discovery.stop()
        await simulator.stop()
        print(sorted(d.name for d in found))

    asyncio.run(main())
    """
)


def test_a_multicast_probe_inside_a_private_network_namespace() -> None:
    # `unshare -n` gives the test its own network with only `lo`: nothing leaves the host.
    result = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", MULTICAST_SCRIPT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(
        sorted(["ptz-dome", "bullet-analytics", "audio-cam", "dual-sensor"])
    )


async def test_a_reply_with_the_endpoint_reference_in_the_discovery_namespace_is_kept(
    fleet: dict[str, Camera],
) -> None:
    """Some cameras write d:EndpointReference instead of wsa:EndpointReference."""
    odd, plain = fleet["audio-cam"], fleet["ptz-dome"]
    odd.quirks.discovery_epr_namespace = True
    discovery = Discovery([odd, plain], "127.0.0.1", 0)
    await discovery.start()
    try:
        found = await probe([("127.0.0.1", discovery.port)], timeout=0.5)
    finally:
        await discovery.stop()
    by_name = {d.name: d for d in found}
    assert set(by_name) == {"audio-cam", "ptz-dome"}
    assert by_name["audio-cam"].endpoint == endpoint(odd)
    assert (by_name["audio-cam"].host, by_name["audio-cam"].port) == ("127.0.0.1", odd.port)


@pytest.mark.parametrize(
    "reference",
    [
        "<wsa:EndpointReference><wsa:Address>urn:uuid:1</wsa:Address></wsa:EndpointReference>",
        "<d:EndpointReference><wsa:Address>urn:uuid:1</wsa:Address></d:EndpointReference>",
        "<d:EndpointReference><d:Address>urn:uuid:1</d:Address></d:EndpointReference>",
    ],
    ids=["wsa", "wsd-wrapper", "wsd-address"],
)
def test_the_endpoint_reference_is_read_in_either_namespace(reference: str) -> None:
    reply = (
        '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
        'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><e:Body><d:ProbeMatches>'
        f"<d:ProbeMatch>{reference}<d:XAddrs>http://127.0.0.1:8080/onvif/device_service"
        "</d:XAddrs></d:ProbeMatch></d:ProbeMatches></e:Body></e:Envelope>"
    )
    (match,) = parse_matches(reply.encode())
    assert (match.endpoint, match.port) == ("urn:uuid:1", 8080)
