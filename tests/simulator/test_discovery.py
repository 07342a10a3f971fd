"""WS-Discovery over unicast loopback: Probe/ProbeMatches, Hello and Bye."""

import asyncio
import uuid

from lxml import etree

from simulator.discovery import NS, Discovery, endpoint

PROBE = """<?xml version="1.0"?>
<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"
 xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing"
 xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"
 xmlns:dn="http://www.onvif.org/ver10/network/wsdl">
<e:Header><w:MessageID>{mid}</w:MessageID><w:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To>
<w:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action></e:Header>
<e:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types>{scopes}</d:Probe></e:Body></e:Envelope>"""


class Collector(asyncio.DatagramProtocol):
    def __init__(self):
        self.received: asyncio.Queue = asyncio.Queue()

    def datagram_received(self, data, addr):
        self.received.put_nowait(etree.fromstring(data))


async def collector():
    loop = asyncio.get_running_loop()
    transport, proto = await loop.create_datagram_endpoint(Collector, local_addr=("127.0.0.1", 0))
    return transport, proto


async def test_it_answers_a_unicast_probe_for_each_camera(sim):
    disco = Discovery(sim.cameras, "127.0.0.1", 0)
    await disco.start()
    transport, proto = await collector()
    try:
        mid = f"urn:uuid:{uuid.uuid4()}"
        transport.sendto(PROBE.format(mid=mid, scopes="").encode(), ("127.0.0.1", disco.port))
        replies = [await asyncio.wait_for(proto.received.get(), 5) for _ in sim.cameras]
        xaddrs = {r.findtext(f".//{{{NS['d']}}}XAddrs") for r in replies}
        assert xaddrs == {c.runtime.url("/onvif/device_service") for c in sim.cameras}
        assert {r.findtext(f".//{{{NS['wsa']}}}RelatesTo") for r in replies} == {mid}
        scoped = "<d:Scopes>onvif://www.onvif.org/name/audio-cam</d:Scopes>"
        transport.sendto(PROBE.format(mid=mid, scopes=scoped).encode(), ("127.0.0.1", disco.port))
        reply = await asyncio.wait_for(proto.received.get(), 5)
        assert reply.findtext(f".//{{{NS['wsa']}}}Address") == endpoint(sim.cameras[2])
        await asyncio.sleep(0.2)
        assert proto.received.empty()
    finally:
        transport.close()
        await disco.stop()


async def test_it_announces_hello_and_bye(sim):
    transport, proto = await collector()
    listener = transport.get_extra_info("sockname")
    disco = Discovery(sim.cameras[:1], "127.0.0.1", 0, announce_to=[listener])
    await disco.start()
    hello = await asyncio.wait_for(proto.received.get(), 5)
    await disco.stop()
    bye = await asyncio.wait_for(proto.received.get(), 5)
    transport.close()
    assert hello.find(f".//{{{NS['d']}}}Hello") is not None
    assert bye.find(f".//{{{NS['d']}}}Bye") is not None
    assert bye.findtext(f".//{{{NS['wsa']}}}Address") == endpoint(sim.cameras[0])


async def test_multicast_discovery_inside_an_isolated_network_namespace():
    import json
    import sys
    from pathlib import Path

    script = Path(__file__).with_name("multicast_probe.py")
    proc = await asyncio.create_subprocess_exec(
        "unshare", "-n", sys.executable, str(script), stdout=asyncio.subprocess.PIPE
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 60)
    found = json.loads(out.decode().strip().splitlines()[-1])
    assert found["hellos"] == 2
    assert all("ProbeMatches" in m for m in found["matches"]) and len(found["matches"]) == 2


async def test_multicast_is_refused_outside_an_isolated_namespace(sim):
    import pytest

    with pytest.raises(RuntimeError):
        await Discovery(sim.cameras, "127.0.0.1", 0, multicast=True).start()


async def test_it_resolves_an_endpoint_to_its_addresses(sim):
    disco = Discovery(sim.cameras, "127.0.0.1", 0)
    await disco.start()
    transport, proto = await collector()
    camera = sim.cameras[1]
    resolve = PROBE.replace("Probe", "Resolve").replace(
        "<d:Types>dn:NetworkVideoTransmitter</d:Types>{scopes}",
        f"<w:EndpointReference><w:Address>{endpoint(camera)}</w:Address></w:EndpointReference>",
    )
    try:
        transport.sendto(resolve.format(mid="urn:uuid:1").encode(), ("127.0.0.1", disco.port))
        reply = await asyncio.wait_for(proto.received.get(), 5)
    finally:
        transport.close()
        await disco.stop()
    assert reply.find(f".//{{{NS['d']}}}ResolveMatch") is not None
    assert reply.findtext(f".//{{{NS['d']}}}XAddrs") == camera.runtime.url("/onvif/device_service")


async def test_discovery_epr_namespace_puts_the_endpoint_reference_in_the_wsd_namespace(sim):
    camera = sim.cameras[0]
    camera.quirks.discovery_epr_namespace = True
    disco = Discovery([camera], "127.0.0.1", 0)
    await disco.start()
    transport, proto = await collector()
    try:
        mid = f"urn:uuid:{uuid.uuid4()}"
        transport.sendto(PROBE.format(mid=mid, scopes="").encode(), ("127.0.0.1", disco.port))
        reply = await asyncio.wait_for(proto.received.get(), 5)
    finally:
        transport.close()
        await disco.stop()
    match = reply.find(f".//{{{NS['d']}}}ProbeMatch")
    assert match.find(f"{{{NS['wsa']}}}EndpointReference") is None
    assert match.findtext(f"{{{NS['d']}}}EndpointReference/{{{NS['wsa']}}}Address") == endpoint(
        camera
    )
