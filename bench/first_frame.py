"""Time to first frame in Chromium, cold and warm, and end-to-end latency on loopback.

    .venv/bin/python bench/first_frame.py [--runs 5]

Starts the simulator, the web server (uvicorn) and a gateway, syncs one virtual camera
(audio-cam, 720p source, its smallest H.264 profile plays), then in Debian's Chromium:
- cold: the gateway has no pull for the stream (each run waits for the idle pull to stop);
- warm: a second tab joins a running stream;
- latency: the simulator's timecode read from the displayed frame against the clock.
Needs PostgreSQL and Redis on 127.0.0.1 (database vms_bench, Redis database 10).
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("VMS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vms_bench")
os.environ.setdefault("VMS_REDIS_URL", "redis://127.0.0.1:6379/10")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vms.settings")
IDLE_SECONDS = 2
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--autoplay-policy=no-user-gesture-required",
]  # fmt: skip
READ_TIMECODE = (ROOT / "bench" / "timecode.js").read_text()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def start(argv: list[str], **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def prepare_device(sim_port: int) -> None:
    import django

    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c",
                    "DROP DATABASE IF EXISTS vms_bench"], check=True)  # fmt: skip
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c",
                    "CREATE DATABASE vms_bench"], check=True)  # fmt: skip
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, check=True)
    django.setup()
    from django.contrib.auth.models import User

    from cameras.models import Device
    from cameras.sync import sync_device
    from frontend.accounts import create_user
    from frontend.roles import Role

    device = Device(host="127.0.0.1", port=sim_port, username="admin")
    device.password = "admin"
    device.save()
    sync_device(device, final_attempt=True)
    device.refresh_from_db()
    assert device.status == Device.Status.ONLINE, device.last_error
    if not User.objects.filter(username="bench").exists():
        create_user("bench", "bench-password-1", Role.VIEWER)


def first_frame_ms(context: object, url: str) -> tuple[float, list[float]]:
    page = context.new_page()  # type: ignore[attr-defined]
    page.goto(f"{url}/")
    page.wait_for_function(
        "() => document.querySelector('[data-player]')?.player?.firstFrameMs != null", timeout=20000
    )
    ms = page.evaluate("() => document.querySelector('[data-player]').player.firstFrameMs")
    latencies = []
    video = page.locator("video")
    for _ in range(10):
        shown = video.evaluate(READ_TIMECODE)
        if shown is not None:
            latencies.append(time.time() * 1000 - shown)
        page.wait_for_timeout(100)
    return float(ms), latencies, page


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    base = free_port()
    simulator = subprocess.Popen(
        [sys.executable, "-m", "simulator", "--base-port", str(base), "--discovery-port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    ports = []
    while len(ports) < 4:
        line = simulator.stdout.readline()  # type: ignore[union-attr]
        if match := re.search(r":(\d+)/onvif/device_service", line):
            ports.append(int(match.group(1)))
    web_port = free_port()
    processes = [simulator]
    try:
        prepare_device(ports[2])  # audio-cam
        processes.append(start([sys.executable, "-m", "uvicorn", "vms.asgi:application",
                                "--port", str(web_port), "--lifespan", "off"]))  # fmt: skip
        processes.append(start([sys.executable, "manage.py", "gateway", "--id", "bench"],
                               VMS_WEBRTC_HOST_ADDRESSES="127.0.0.1",
                               VMS_GATEWAY_IDLE_SECONDS=str(IDLE_SECONDS)))  # fmt: skip
        wait_port(web_port)
        url = f"http://127.0.0.1:{web_port}"
        cold, warm, latency = [], [], []
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                tempfile.mkdtemp(),
                executable_path="/usr/bin/chromium",
                headless=True,
                args=CHROMIUM_ARGS,
            )
            login = context.new_page()
            login.goto(f"{url}/login/")
            login.fill("input[name=username]", "bench")
            login.fill("input[name=password]", "bench-password-1")
            login.click("button.primary")
            login.close()
            for _ in range(args.runs):
                ms, lat, first = first_frame_ms(context, url)
                cold.append(ms)
                latency += lat
                for _ in range(2):
                    ms, lat, second = first_frame_ms(context, url)
                    warm.append(ms)
                    latency += lat
                    second.close()
                first.close()
                time.sleep(IDLE_SECONDS + 3)  # the gateway stops the idle pull
            context.close()
        print(f"first frame, cold stream: median {statistics.median(cold):.0f} ms "
              f"(min {min(cold):.0f}, max {max(cold):.0f}, n={len(cold)})")  # fmt: skip
        print(f"first frame, running stream: median {statistics.median(warm):.0f} ms "
              f"(min {min(warm):.0f}, max {max(warm):.0f}, n={len(warm)})")  # fmt: skip
        print(f"end-to-end latency (simulator capture to Chromium display): median "
              f"{statistics.median(latency):.0f} ms, p95 "
              f"{sorted(latency)[int(len(latency) * 0.95)]:.0f} ms (n={len(latency)})")  # fmt: skip
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(20)


if __name__ == "__main__":
    main()
