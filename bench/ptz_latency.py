"""Joystick latency: a PTZ message at the server to the request reaching the camera.

    .venv/bin/python bench/ptz_latency.py                 # 200 moves and 200 stops
    .venv/bin/python bench/ptz_latency.py --rounds 500 --hold 0.05

A child process serves the simulated PTZ dome and prints the arrival time of every
ContinuousMove and Stop it receives. The VMS side is the real one: uvicorn on PostgreSQL
(database vms_ptz_bench) and Redis, the camera added and synced, an operator signed in on
/ws/ptz/ as the joystick is. The bench sends a move, waits until the camera has it, holds it
`--hold` seconds, sends a stop, waits likewise, and so on; each delay is from the message
leaving the bench's socket to the SOAP request arriving at the camera (same machine, same
clock), so it holds the WebSocket hop, the consumer, the command lane and the ONVIF call up
to the camera's HTTP server. Also prints the delay until the server answers a stop (moves
are not answered) and the web process's CPU. Needs PostgreSQL and Redis on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = "vms_ptz_bench"
os.environ.setdefault("VMS_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}")
os.environ.setdefault("VMS_REDIS_URL", "redis://127.0.0.1:6379/12")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vms.settings")
TIMED = ("ContinuousMove", "Stop")

from bench.events import free_port, percentile, process_stats, reset_database  # noqa: E402


# -- the camera side (child process) ---------------------------------------------------------
async def serve_camera() -> None:
    """The PTZ dome; prints "port N", then "<operation> <arrival time>" for each timed call."""
    from simulator import config
    from simulator.server import Simulator
    from simulator.services import load_all

    ptz = load_all()["ptz"]
    for name in TIMED:
        operation = ptz.operations[name]
        operation.handler = timed(name, operation.handler)
    camera = next(c for c in config.load(base_port=0) if c.name == "ptz-dome")
    camera.scene = []
    simulator = Simulator([camera])
    await simulator.start()
    print(f"port {camera.port}", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.readline)  # until the bench says stop
    await simulator.stop()


def timed(name: str, handler: Any) -> Any:
    def wrapper(call: Any) -> Any:
        print(f"{name} {time.time():.6f}", flush=True)
        return handler(call)

    return wrapper  # an awaitable the handler returns is awaited by the server as before


# -- the VMS side ------------------------------------------------------------------------------
def add_camera(port: int) -> tuple[int, str]:
    """The dome added and synced; an operator's session cookie."""
    from django.test import Client

    from cameras.models import Device
    from cameras.sync import sync_device
    from frontend.roles import Role
    from tests.factories import UserFactory

    device = Device(host="127.0.0.1", port=port, username="admin")
    device.password = "admin"
    device.save()
    sync_device(device, final_attempt=True)
    device.refresh_from_db()
    if device.status != Device.Status.ONLINE:
        raise RuntimeError(f"the dome did not sync: {device.last_error}")
    client = Client()
    client.force_login(UserFactory(username="bench-operator", role=Role.OPERATOR))
    return device.pk, f"sessionid={client.cookies['sessionid'].value}"


async def arrival(lines: asyncio.Queue[tuple[str, float]], name: str) -> float:
    while True:
        got, at = await asyncio.wait_for(lines.get(), 10)
        if got == name:
            return at


def read_camera(camera: subprocess.Popen[str], lines: asyncio.Queue[tuple[str, float]]) -> None:
    """Pass the camera's timed calls to the loop, from a daemon thread (a blocked read must
    not keep the bench from ending)."""
    loop = asyncio.get_running_loop()

    def read() -> None:
        assert camera.stdout is not None
        for line in camera.stdout:
            name, _, at = line.strip().partition(" ")
            if name in TIMED:
                loop.call_soon_threadsafe(lines.put_nowait, (name, float(at)))

    threading.Thread(target=read, name="camera output", daemon=True).start()


async def measure(url: str, cookie: str, device: int, camera: subprocess.Popen[str], args: Any):
    import aiohttp

    lines: asyncio.Queue[tuple[str, float]] = asyncio.Queue()
    read_camera(camera, lines)
    delays: dict[str, list[float]] = {"move": [], "stop": []}
    answered: dict[str, list[float]] = {"move": [], "stop": []}
    headers = {"Cookie": cookie, "Origin": url}
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(url.replace("http://", "ws://") + "/ws/ptz/", headers=headers) as ws,
    ):
        for round_ in range(args.warmup + args.rounds):
            for kind, message, operation in (
                ("move", {"type": "move", "device": device, "pan": 0.5, "tilt": 0.0, "zoom": 0.0},
                 "ContinuousMove"),
                ("stop", {"type": "stop", "device": device}, "Stop"),
            ):  # fmt: skip
                message["id"] = f"{kind}-{round_}"
                sent = time.time()
                await ws.send_str(json.dumps(message))
                at = await arrival(lines, operation)
                if kind == "stop":  # moves are quiet; a stop is answered once the camera has
                    while True:
                        reply = json.loads(await ws.receive_str(timeout=10))
                        if reply.get("id") == message["id"]:
                            break
                    if reply.get("type") == "error":
                        raise RuntimeError(f"the server refused a stop: {reply['message']}")
                if round_ >= args.warmup:
                    delays[kind].append(at - sent)
                    answered[kind].append(time.time() - sent)
                await asyncio.sleep(args.hold)
    for kind in ("move", "stop"):
        ms = [d * 1000 for d in delays[kind]]
        print(
            f"{kind}: message -> camera p50 {percentile(ms, 0.5):.1f} ms, "
            f"p95 {percentile(ms, 0.95):.1f} ms, max {max(ms):.1f} ms ({len(ms)} {kind}s)"
        )
    done = [d * 1000 for d in answered["stop"]]
    print(
        f"stop answered to the browser (the camera replied): p50 {percentile(done, 0.5):.1f} ms, "
        f"p95 {percentile(done, 0.95):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200, help="move + stop pairs measured")
    parser.add_argument("--warmup", type=int, default=10, help="pairs sent first, not counted")
    parser.add_argument("--hold", type=float, default=0.05, help="seconds between messages")
    parser.add_argument("--serve-camera", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_camera:
        asyncio.run(serve_camera())
        return
    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    reset_database(BENCH_DB)
    import django

    django.setup()
    camera = subprocess.Popen(
        [sys.executable, __file__, "--serve-camera"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    web = None
    try:
        assert camera.stdout is not None
        line = camera.stdout.readline().split()
        if not line or line[0] != "port":
            raise RuntimeError("the camera process stopped")
        device, cookie = add_camera(int(line[1]))
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = ["-m", "uvicorn", "vms.asgi:application", "--port", str(port)]
        web = subprocess.Popen(
            [sys.executable, *server, "--lifespan", "off", "--no-access-log"],
            cwd=ROOT,
        )
        time.sleep(2)  # the server is listening
        before, started = process_stats(web.pid)[1], time.monotonic()
        asyncio.run(measure(url, cookie, device, camera, args))
        spent = time.monotonic() - started
        cpu = (process_stats(web.pid)[1] - before) / spent * 100
        print(f"web process CPU while steering: {cpu:.0f}% of a core")
    finally:
        if web is not None:
            web.terminate()
            web.wait(30)
        if camera.stdin is not None:
            camera.stdin.write("stop\n")
            camera.stdin.flush()
        camera.wait(30)


if __name__ == "__main__":
    main()
