"""Camera events per second from N virtual cameras through ingestion to a browser's socket.

    .venv/bin/python bench/events.py                       # 50 cameras, 1000 events/s, 20 s
    .venv/bin/python bench/events.py --cameras 200 --rate 1000

Starts the virtual cameras (a child process that also fires LineDetector events at the given
total rate, spread over the cameras, each carrying its send time), the web server (uvicorn)
and `manage.py events` (pull points), signs a viewer in and reads /ws/events/ like the
browser's alarm feed does. Prints the time until every camera's subscription is active, the
events/s delivered to the socket, the p50/p99 delay from the camera firing to the socket,
and the events process's memory and CPU. Needs PostgreSQL and Redis on 127.0.0.1 (database
vms_events_bench, Redis database 11).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = "vms_events_bench"
os.environ.setdefault("VMS_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}")
os.environ.setdefault("VMS_REDIS_URL", "redis://127.0.0.1:6379/11")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vms.settings")
CROSSED = "tns1:RuleEngine/LineDetector/Crossed"


# -- the camera side (child process) ---------------------------------------------------------
async def serve_cameras(count: int) -> None:
    """Serve `count` cameras; on "fire RATE SECONDS" on stdin, fire events; "stop" ends."""
    from simulator import config
    from simulator.server import Simulator

    cameras = config.load(base_port=0, count=count)
    for camera in cameras:
        camera.scene = []  # only the bench's events
    simulator = Simulator(cameras)
    await simulator.start()
    for camera in cameras:
        print(f"camera {camera.port}", flush=True)
    print("ready", flush=True)
    loop = asyncio.get_running_loop()
    while True:
        line = (await loop.run_in_executor(None, sys.stdin.readline)).split()
        if not line or line[0] == "stop":
            break
        rate, seconds = float(line[1]), float(line[2])
        sent = await fire(cameras, rate, seconds)
        print(f"fired {sent}", flush=True)
    await simulator.stop()


async def fire(cameras: list, rate: float, seconds: float) -> int:
    """Publish `rate` events per second for `seconds`, round-robin over the cameras."""
    sent, start = 0, time.monotonic()
    while (elapsed := time.monotonic() - start) < seconds:
        while sent < int(rate * elapsed):
            camera = cameras[sent % len(cameras)]
            camera.runtime.events.publish(
                CROSSED,
                [("VideoSourceConfigurationToken", "VSC"), ("Rule", "BenchLine")],
                [("ObjectId", str(sent)), ("Sent", f"{time.time():.6f}")],
            )
            sent += 1
        await asyncio.sleep(0.005)
    return sent


# -- the VMS side ------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def reset_database(name: str = BENCH_DB) -> None:
    """An empty, migrated bench database (VMS_DATABASE_URL must name it)."""
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, check=True)


def add_devices(ports: list[int]) -> str:
    """Devices as a sync would leave them (events service only), and a viewer's cookie."""
    from django.test import Client

    from cameras.models import Device
    from frontend.roles import Role
    from tests.factories import UserFactory

    devices = []
    for port in ports:
        xaddr = f"http://127.0.0.1:{port}/onvif/events_service"
        device = Device(
            name=f"bench-{port}",
            host="127.0.0.1",
            port=port,
            username="admin",
            status=Device.Status.ONLINE,
            services={"events": {"xaddr": xaddr, "advertised": xaddr, "version": "21.12"}},
        )
        device.password = "admin"
        devices.append(device)
    Device.objects.bulk_create(devices)
    client = Client()
    client.force_login(UserFactory(username="bench-viewer", role=Role.VIEWER))
    return f"sessionid={client.cookies['sessionid'].value}"


def wait_active(count: int, seconds: float) -> float:
    from events.models import Subscription

    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if Subscription.objects.filter(status=Subscription.Status.ACTIVE).count() >= count:
            return time.monotonic() - start
        time.sleep(0.2)
    active = Subscription.objects.filter(status=Subscription.Status.ACTIVE).count()
    raise RuntimeError(f"only {active} of {count} subscriptions active after {seconds} s")


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (the events supervisor and its shard processes)."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            pids += process_tree(int(child))
    return pids


def process_stats(pid: int) -> tuple[float, float]:
    """Resident memory (MiB) and CPU seconds used so far by `pid` and its children."""
    rss = cpu = 0.0
    for each in process_tree(pid):
        status = Path(f"/proc/{each}/status").read_text()
        rss += int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        cpu += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return rss, cpu


async def read_socket(url: str, cookie: str, seconds: float) -> list[tuple[float, float]]:
    """(arrival, delay) of every bench event; ends 3 s after the last one."""
    import aiohttp

    seen: list[tuple[float, float]] = []
    headers = {"Cookie": cookie, "Origin": url}
    ws_url = url.replace("http://", "ws://") + "/ws/events/"
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(ws_url, headers=headers) as ws,
    ):
        ready.set()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                message = await ws.receive_json(timeout=3 if seen else seconds)
            except TimeoutError:
                break
            now = time.time()
            for event in message.get("events", []):
                if "Sent" in event["data"]:
                    seen.append((now, now - float(event["data"]["Sent"])))
    return seen


ready = asyncio.Event()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(
    url: str, cookie: str, cameras: subprocess.Popen[str], rate: float, seconds: float
) -> None:
    reader = asyncio.create_task(read_socket(url, cookie, seconds + 30))
    await ready.wait()
    await asyncio.sleep(1)  # the socket has joined its groups
    assert cameras.stdin is not None and cameras.stdout is not None
    started = time.time()
    cameras.stdin.write(f"fire {rate} {seconds}\n")
    cameras.stdin.flush()
    line = await asyncio.get_running_loop().run_in_executor(None, cameras.stdout.readline)
    fired = int(line.split()[1])
    seen = await reader
    print(f"fired {fired} events in {seconds:g} s ({fired / seconds:.0f}/s)")
    if not seen:
        print("nothing reached the socket")
        return
    delays = [delay for _, delay in seen]
    elapsed = max(arrival for arrival, _ in seen) - started
    print(
        f"delivered to the socket: {len(seen)} of {fired} "
        f"({len(seen) / elapsed:.0f}/s, last one {elapsed:.1f} s after the first was fired)"
    )
    print(
        f"delay camera -> socket: p50 {percentile(delays, 0.5) * 1000:.0f} ms, "
        f"p99 {percentile(delays, 0.99) * 1000:.0f} ms, "
        f"max {max(delays) * 1000:.0f} ms, mean {statistics.mean(delays) * 1000:.0f} ms"
    )
    from asgiref.sync import sync_to_async

    stored = await sync_to_async(stored_delays)()
    print(
        f"delay camera -> stored: p50 {percentile(stored, 0.5) * 1000:.0f} ms, "
        f"p99 {percentile(stored, 0.99) * 1000:.0f} ms"
    )


def stored_delays() -> list[float]:
    from events.models import Event

    rows = Event.objects.filter(rule="BenchLine").values_list("received", "data")
    return [received.timestamp() - float(data["Sent"]) for received, data in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cameras", type=int, default=50)
    parser.add_argument("--rate", type=float, default=1000, help="events per second, in total")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument(
        "--processes", type=int, default=2, help="events processes (VMS_EVENTS_PROCESSES)"
    )
    parser.add_argument("--serve-cameras", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_cameras:
        asyncio.run(serve_cameras(args.serve_cameras))
        return
    print(
        f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}; "
        f"{args.cameras} cameras, {args.processes} events process(es)"
    )
    reset_database()
    import django

    django.setup()
    cameras = subprocess.Popen(
        [sys.executable, __file__, "--serve-cameras", str(args.cameras)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    children: list[subprocess.Popen[bytes]] = []
    try:
        assert cameras.stdout is not None
        ports = []
        while (line := cameras.stdout.readline().strip()) != "ready":
            if not line:
                raise RuntimeError("the cameras process stopped")
            ports.append(int(line.split()[1]))
        cookie = add_devices(ports)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        web = [sys.executable, "-m", "uvicorn", "vms.asgi:application", "--port", str(port)]
        children.append(subprocess.Popen([*web, "--lifespan", "off", "--no-access-log"], cwd=ROOT))
        env = {**os.environ, "VMS_EVENTS_PROCESSES": str(args.processes)}
        runner = subprocess.Popen([sys.executable, "manage.py", "events"], cwd=ROOT, env=env)
        children.append(runner)
        took = wait_active(len(ports), 120)
        rss, cpu = process_stats(runner.pid)
        print(
            f"{len(ports)} subscriptions active after {took:.1f} s "
            f"(events processes: {rss:.0f} MiB)"
        )
        time.sleep(10)
        rss, cpu_later = process_stats(runner.pid)
        print(
            f"holding {len(ports)} idle subscriptions: {(cpu_later - cpu) / 10 * 100:.1f}% of a "
            f"core, {rss:.0f} MiB"
        )
        watched = {"events": runner.pid, "web": children[0].pid, "cameras": cameras.pid}
        before = {name: process_stats(pid)[1] for name, pid in watched.items()}
        started = time.monotonic()
        asyncio.run(measure(url, cookie, cameras, args.rate, args.seconds))
        spent = time.monotonic() - started
        usage = ", ".join(
            f"{name} {(process_stats(pid)[1] - before[name]) / spent * 100:.0f}%"
            for name, pid in watched.items()
        )
        print(f"CPU while measuring (of one core): {usage}")
    finally:
        for child in reversed(children):
            child.terminate()
            child.wait(30)
        if cameras.stdin is not None:
            cameras.stdin.write("stop\n")
            cameras.stdin.flush()
        cameras.wait(30)


if __name__ == "__main__":
    main()
