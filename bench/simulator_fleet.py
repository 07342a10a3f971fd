"""Benchmark: start a fleet of virtual cameras in one process, then measure idle CPU.

    .venv/bin/python bench/simulator_fleet.py [--cameras 200] [--idle 10] [--base-port 30000]

Targets (issue 3): 200 cameras start in under 10 s and idle at under 5 % of one core. The demo
set is repeated to the requested size (so a quarter of the cameras run the synthetic analytics
scene and a quarter the sound detector); every camera answers one GetDeviceInformation first.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator import config
from simulator.server import Simulator

REQUEST = (
    b'<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body>'
    b'<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></e:Body></e:Envelope>'
)


async def run(cameras: int, idle: float, base_port: int) -> int:
    started_wall, started_cpu = time.perf_counter(), time.process_time()
    fleet = config.load(base_port=base_port, count=cameras)
    sim = Simulator(fleet)
    await sim.start()
    startup = time.perf_counter() - started_wall
    startup_cpu = time.process_time() - started_cpu
    timeout = aiohttp.ClientTimeout(total=10)
    async with aiohttp.ClientSession(timeout=timeout) as session:

        async def probe(c) -> int:
            url = f"http://{c.host}:{c.port}/onvif/device_service"
            async with session.post(url, data=REQUEST) as resp:
                await resp.read()
                return resp.status

        statuses = await asyncio.gather(*(probe(c) for c in fleet))
    await asyncio.sleep(1.0)  # let connection teardown settle before measuring
    cpu0, wall0 = time.process_time(), time.perf_counter()
    await asyncio.sleep(idle)
    idle_cpu = (time.process_time() - cpu0) / (time.perf_counter() - wall0) * 100
    await sim.stop()
    ok = sum(1 for s in statuses if s == 200)
    print(f"cameras: {len(fleet)} (answering: {ok})")
    print(f"startup: {startup:.2f} s wall, {startup_cpu:.2f} s CPU (target < 10 s)")
    print(f"idle: {idle_cpu:.2f} % of one core over {idle:g} s (target < 5 %)")
    good = ok == len(fleet) and startup < 10 and idle_cpu < 5
    print("PASS" if good else "FAIL")
    return 0 if good else 1


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cameras", type=int, default=200)
    p.add_argument("--idle", type=float, default=10.0, help="seconds of idle measurement")
    p.add_argument("--base-port", type=int, default=30000)
    args = p.parse_args()
    sys.exit(asyncio.run(run(args.cameras, args.idle, args.base_port)))


if __name__ == "__main__":
    main()
