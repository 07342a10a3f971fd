"""``python -m simulator``: serve the virtual ONVIF camera fleet until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from pathlib import Path

import yaml

from simulator import config
from simulator.discovery import PORT, Discovery
from simulator.server import Simulator


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m simulator", description=__doc__)
    p.add_argument(
        "--config", type=Path, help="fleet description (YAML or TOML); default: demo set"
    )
    p.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    p.add_argument("--base-port", type=int, default=18080, help="port of the first camera (+index)")
    p.add_argument(
        "--address-per-camera",
        action="store_true",
        help="give camera i its own address 127.1.x.y on --base-port instead",
    )
    p.add_argument("--count", type=int, help="repeat the described cameras to this many")
    p.add_argument(
        "--rtsp-base-port", type=int, default=8554, help="RTSP port advertised by camera 0 (+index)"
    )
    p.add_argument("--save", type=Path, help="write the fleet state to this file on exit")
    p.add_argument(
        "--discovery-port", type=int, default=PORT, help="WS-Discovery UDP port on --host (0 = off)"
    )
    p.add_argument(
        "--multicast",
        action="store_true",
        help="WS-Discovery over multicast: only inside an isolated network namespace",
    )
    return p.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    cameras = config.load(
        args.config,
        args.host,
        args.base_port,
        args.count,
        args.address_per_camera,
        args.rtsp_base_port,
    )
    sim = Simulator(cameras)
    await sim.start()
    if args.discovery_port:
        sim.discovery = Discovery(cameras, args.host, args.discovery_port, args.multicast)
        await sim.discovery.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    for c in cameras:
        admin = next((u for u in c.users if u.level == "Administrator"), c.users[0])
        print(  # noqa: T201 - the start banner is the interface
            f"{c.name}: {c.runtime.url('/onvif/device_service')} "
            f"user {admin.name} password {admin.password}",
            flush=True,
        )
    await stop.wait()
    await sim.stop()
    if args.save:
        config.save(cameras, args.save)
    print("simulator stopped", flush=True)  # noqa: T201


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    args = parse_args(argv)
    try:
        asyncio.run(serve(args))
    except (OSError, ValueError, yaml.YAMLError) as exc:  # bad config file, port in use...
        raise SystemExit(f"simulator: {exc}") from None


if __name__ == "__main__":
    main()
