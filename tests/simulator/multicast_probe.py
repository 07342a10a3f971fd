"""WS-Discovery over real multicast, run inside ``unshare -n`` (lo is the only interface).

Never run this in the main network namespace: multicast must not leave the machine. The test
(test_discovery.py) starts it as ``unshare -n python multicast_probe.py`` and reads one JSON line.
"""

import asyncio
import json
import socket
import struct
import subprocess
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from simulator import config
from simulator.discovery import GROUP, PORT, Discovery
from simulator.server import Simulator

PROBE = (
    '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" '
    'xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" '
    'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery">'
    "<e:Header><w:MessageID>urn:uuid:{}</w:MessageID></e:Header>"
    "<e:Body><d:Probe/></e:Body></e:Envelope>"
)


async def main() -> None:
    if [name for _, name in socket.if_nameindex()] != ["lo"]:  # Discovery refuses too
        print(json.dumps({"error": "not in an isolated network namespace"}))  # noqa: T201
        return
    subprocess.run(["ip", "link", "set", "lo", "up", "multicast", "on"], check=True)
    subprocess.run(["ip", "route", "add", "224.0.0.0/4", "dev", "lo"], check=True)
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("", PORT))
    mreq = struct.pack("4s4s", socket.inet_aton(GROUP), socket.inet_aton("127.0.0.1"))
    listener.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    listener.setblocking(False)
    cameras = config.load(base_port=0)[:2]
    sim = Simulator(cameras)
    await sim.start()
    disco = Discovery(cameras, "127.0.0.1", PORT, multicast=True)
    await disco.start()
    loop = asyncio.get_running_loop()
    hellos = set()
    while len(hellos) < 2:
        data = await asyncio.wait_for(loop.sock_recv(listener, 65536), 5)
        if b"Hello" in data:
            hellos.add(data)
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("127.0.0.1"))
    probe.bind(("127.0.0.1", 0))
    probe.setblocking(False)
    probe.sendto(PROBE.format(uuid.uuid4()).encode(), (GROUP, PORT))
    matches = [await asyncio.wait_for(loop.sock_recv(probe, 65536), 5) for _ in cameras]
    await disco.stop()
    await sim.stop()
    print(json.dumps({"hellos": len(hellos), "matches": [m.decode() for m in matches]}))  # noqa: T201


if __name__ == "__main__":
    asyncio.run(main())
