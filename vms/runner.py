"""Run every process of the VMS in the foreground; Ctrl-C stops them all.

`make run` calls `python -m vms.runner`. Each child runs in its own process group so that
stopping it also stops what it started (Celery's pool processes); on exit, or when one
child dies, the others get SIGTERM, then SIGKILL after a grace period. Nothing is left.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

GRACE_SECONDS = 10.0
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Process:
    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    popen: subprocess.Popen[bytes] | None = field(default=None, repr=False)


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for_port(host: str, port: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if port_open(host, port):
            return True
        time.sleep(0.1)
    return False


def redis_process(redis_url: str, var_dir: Path) -> Process | None:
    """None when Redis already answers; a redis-server to start when it can be started here."""
    parts = urlsplit(redis_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 6379
    if port_open(host, port):
        return None
    binary = shutil.which("redis-server")
    if host not in LOCAL_HOSTS or binary is None:
        raise SystemExit(
            f"Redis is not reachable at {host}:{port} (VMS_REDIS_URL={redis_url}).\n"
            "Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install "
            "redis) or point VMS_REDIS_URL at a running Redis, then run `make run` again."
        )
    data_dir = var_dir / "redis"
    data_dir.mkdir(parents=True, exist_ok=True)
    argv = [binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(data_dir)]
    return Process("redis", [*argv, "--save", "", "--appendonly", "no"])


def build_processes(settings: Any) -> list[Process]:
    python = sys.executable
    host, _, port = settings.VMS_BIND.rpartition(":")
    processes = [
        Process(
            "web",
            [
                python,
                "-m",
                "uvicorn",
                "vms.asgi:application",
                "--host",
                host,
                "--port",
                port,
                "--no-access-log",
                "--lifespan",
                "off",
                "--timeout-graceful-shutdown",
                "5",
            ],
        ),
        Process(
            "worker",
            [
                python,
                "-m",
                "celery",
                "-A",
                "vms",
                "worker",
                "-Q",
                "default,onvif,events",
                "--concurrency",
                str(settings.VMS_WORKER_CONCURRENCY),
                "-l",
                "INFO",
            ],
        ),
        Process(
            "beat",
            [
                python,
                "-m",
                "celery",
                "-A",
                "vms",
                "beat",
                "-l",
                "INFO",
                "-s",
                settings.CELERY_BEAT_SCHEDULE_FILENAME,
            ],
        ),
    ]
    # A browser on this host reaches a loopback-bound dashboard: offer 127.0.0.1 to WebRTC.
    gateway_env = {}
    if host in LOCAL_HOSTS and not settings.VMS_WEBRTC_HOST_ADDRESSES:
        gateway_env["VMS_WEBRTC_HOST_ADDRESSES"] = "127.0.0.1"
    processes.append(Process("gateway", [python, "manage.py", "gateway"], gateway_env))
    processes.append(Process("events", [python, "manage.py", "events"]))
    simulator = Path(settings.BASE_DIR) / "simulator" / "__main__.py"
    if settings.VMS_RUN_SIMULATOR and simulator.exists():
        processes.append(Process("simulator", [python, "-m", "simulator"]))
    return processes


class Runner:
    def __init__(self, processes: list[Process]) -> None:
        self.processes = processes
        self.stopping = threading.Event()
        self.width = max(len(p.name) for p in processes)

    def start(self, process: Process) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **process.env}
        process.popen = subprocess.Popen(
            process.argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        threading.Thread(target=self._pump, args=(process,), daemon=True).start()

    def _pump(self, process: Process) -> None:
        assert process.popen is not None and process.popen.stdout is not None
        prefix = f"{process.name:<{self.width}} | ".encode()
        for line in process.popen.stdout:
            sys.stdout.buffer.write(prefix + line)
            sys.stdout.buffer.flush()

    def say(self, text: str) -> None:
        sys.stdout.buffer.write(f"{'vms':<{self.width}} | {text}\n".encode())
        sys.stdout.buffer.flush()

    def watch(self, url: str, host: str, port: int) -> int:
        """Block until a signal or a child's death; announce the URL once the web port opens."""
        announced = False
        while not self.stopping.wait(0.2):
            for process in self.processes:
                code = process.popen.poll() if process.popen else None
                if code is not None:
                    self.say(f"{process.name} exited with code {code}; stopping everything.")
                    return 1
            if not announced and port_open(host, port):
                self.say(f"Dashboard: {url}  (Ctrl-C stops everything)")
                announced = True
        return 0

    def stop(self) -> None:
        running = [p for p in reversed(self.processes) if p.popen and p.popen.poll() is None]
        for process in running:
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for process in running:
            assert process.popen is not None
            try:
                process.popen.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(f"{process.name} did not stop in {GRACE_SECONDS:.0f} s; killing it.")
            _signal_group(process, signal.SIGKILL)  # also reaps children left in the group


def _signal_group(process: Process, sig: int) -> None:
    assert process.popen is not None
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.popen.pid, sig)


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vms.settings")
    from django.conf import settings

    redis = redis_process(settings.REDIS_URL, Path(settings.VAR_DIR))
    processes = ([redis] if redis else []) + build_processes(settings)
    runner = Runner(processes)

    def on_signal(signum: int, frame: object) -> None:
        runner.stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    code = 0
    try:
        if redis is not None:
            runner.say("Redis is not running: starting redis-server (data in var/redis).")
            runner.start(redis)
            redis_port = urlsplit(settings.REDIS_URL).port or 6379
            if not wait_for_port("127.0.0.1", redis_port, 10):
                runner.say(
                    "redis-server did not start listening within 10 s; see its output above."
                )
                return 1
        for process in processes:
            if process is not redis:
                runner.start(process)
        host, _, web_port = settings.VMS_BIND.rpartition(":")
        code = runner.watch(f"http://{settings.VMS_BIND}/", host, int(web_port))
    finally:
        runner.say("Stopping…")
        runner.stop()
        runner.say("All processes stopped.")
    return code


if __name__ == "__main__":
    sys.exit(main())
