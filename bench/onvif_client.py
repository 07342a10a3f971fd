"""ONVIF client costs: client build time and memory, SOAP calls per second, and the time to
add and fully sync 200 virtual cameras through Celery with the default worker settings.

    .venv/bin/python bench/onvif_client.py [--cameras 200] [--seconds 5]

Needs PostgreSQL and Redis on 127.0.0.1 (as for `make test`); uses the database `vms_bench`
(created if missing, emptied first) and Redis database 10.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DB = "vms_bench"
os.environ.setdefault("VMS_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}")
os.environ.setdefault("VMS_REDIS_URL", "redis://127.0.0.1:6379/10")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vms.settings")


def start_simulator(count: int, base_port: int) -> tuple[subprocess.Popen[str], list[int]]:
    argv = [sys.executable, "-m", "simulator", "--count", str(count), "--base-port", str(base_port)]
    process = subprocess.Popen(
        [*argv, "--discovery-port", "0"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    ports = []
    assert process.stdout is not None
    while len(ports) < count:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the simulator stopped")
        if match := re.search(r"http://127\.0\.0\.1:(\d+)/onvif/device_service", line):
            ports.append(int(match.group(1)))
    return process, ports


def client_build_cost(n: int) -> None:
    from cameras.onvif import OnvifClient, wsdl

    started = time.perf_counter()
    wsdl.preload()
    first = time.perf_counter() - started
    print(f"first client (parses every WSDL once per process): {first * 1000:.0f} ms")

    async def build() -> None:
        clients = []
        tracemalloc.start()
        before = tracemalloc.take_snapshot()
        t0 = time.perf_counter()
        for i in range(n):
            client = OnvifClient("127.0.0.1", 20000 + i, "admin", "admin")
            client.use_services({s: f"http://127.0.0.1:{20000 + i}/onvif/{s}" for s in
                                 ("media2", "media", "ptz", "imaging", "events")})  # fmt: skip
            for service in ("device", "media2", "ptz", "imaging"):
                client._proxy(service)
            clients.append(client)
        elapsed = time.perf_counter() - t0
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()
        grown = sum(s.size_diff for s in after.compare_to(before, "filename"))
        print(
            f"each further client (4 service proxies): {elapsed / n * 1000:.2f} ms, "
            f"{grown / n / 1024:.0f} KiB  (over {n} clients)"
        )

    asyncio.run(build())


def calls_per_second(port: int, seconds: float, concurrency: int = 32) -> None:
    from cameras.onvif import OnvifClient
    from cameras.onvif.device import get_device_information

    async def run() -> None:
        client = OnvifClient("127.0.0.1", port, "admin", "admin")
        await client.connect()
        done = 0
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            nonlocal done
            while time.perf_counter() < deadline:
                await get_device_information(client)
                done += 1

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - t0
        print(
            f"authenticated GetDeviceInformation from one process: {done / elapsed:.0f} calls/s "
            f"({concurrency} in flight, {elapsed:.1f} s)"
        )

    asyncio.run(run())


def reset_database() -> None:
    subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-q",
            "-c",
            f"DROP DATABASE IF EXISTS {BENCH_DB}",
        ],
        check=True,
    )
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"CREATE DATABASE {BENCH_DB}"],
        check=True,
    )
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, check=True)


def sync_fleet(ports: list[int]) -> None:
    import django

    django.setup()
    from django.conf import settings

    from cameras.models import Device
    from cameras.services import add_device

    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "vms", "worker", "-Q", "default,onvif,events",
         "--concurrency", str(settings.VMS_WORKER_CONCURRENCY), "-l", "WARNING"],
        cwd=ROOT,
    )  # fmt: skip
    try:
        time.sleep(3)  # worker start-up is not part of the figure
        t0 = time.perf_counter()
        for port in ports:
            add_device(host="127.0.0.1", port=port, username="admin", password="admin")
        while True:
            pending = Device.objects.filter(status=Device.Status.PENDING).count()
            if pending == 0:
                break
            if time.perf_counter() - t0 > 600:
                raise RuntimeError(f"{pending} devices still pending after 10 minutes")
            time.sleep(0.5)
        elapsed = time.perf_counter() - t0
        online = Device.objects.filter(status=Device.Status.ONLINE).count()
        profiles = sum(d.profiles.count() for d in Device.objects.all())
        print(
            f"add and fully sync {len(ports)} cameras (worker concurrency "
            f"{settings.VMS_WORKER_CONCURRENCY}): {elapsed:.1f} s, {online} online, "
            f"{profiles} profiles"
        )
    finally:
        worker.terminate()
        worker.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cameras", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    client_build_cost(args.cameras)
    reset_database()
    simulator, ports = start_simulator(args.cameras, 21000)
    try:
        calls_per_second(ports[0], args.seconds)
        sync_fleet(ports)
    finally:
        simulator.terminate()
        simulator.wait(30)


if __name__ == "__main__":
    main()
