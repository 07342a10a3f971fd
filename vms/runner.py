"""Run every process of the VMS in the foreground; Ctrl-C stops them all.

`make run` calls `python -m vms.runner`. Each child runs in its own process group so that
stopping it also stops what it started (Celery's pool processes). A child that dies is
restarted with back-off (1 s, doubling up to 30 s) while the others keep running; after
MAX_RAPID_CRASHES crashes in a row, each within RAPID_SECONDS of its start, the runner says so
and stops everything. On exit the children get SIGTERM, then SIGKILL after a grace period.
Nothing is left.
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
FIRST_DELAY, MAX_DELAY = 1.0, 30.0  # seconds before a restart, doubling per rapid crash
RAPID_SECONDS = 60.0  # a child that ran this long before dying counts as having worked
MAX_RAPID_CRASHES = 5


@dataclass
class Restarts:
    """The restart policy of one child: its crashes in a row, each soon after its start."""

    rapid: int = 0

    def crashed(self, *, started: float, now: float) -> float | None:
        """Seconds to wait before restarting it; None when it should not be restarted."""
        if now - started >= RAPID_SECONDS:
            self.rapid = 0
        self.rapid += 1
        if self.rapid >= MAX_RAPID_CRASHES:
            return None
        return min(MAX_DELAY, FIRST_DELAY * 2 ** (self.rapid - 1))


@dataclass
class Process:
    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    popen: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    started: float = 0.0
    restart_at: float | None = None
    restarts: Restarts = field(default_factory=Restarts)


def exit_reason(code: int) -> str:
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
    return f"with code {code}"


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
        process.started, process.restart_at = time.monotonic(), None
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
        """Block until a signal, restarting children that die; announce the URL once the web
        port opens. 1 when a child kept crashing and everything should stop."""
        announced = False
        while not self.stopping.wait(0.2):
            for process in self.processes:
                if not self.supervise(process):
                    return 1
            if not announced and port_open(host, port):
                self.say(f"Dashboard: {url}  (Ctrl-C stops everything)")
                announced = True
        return 0

    def supervise(self, process: Process) -> bool:
        """Restart `process` when it died and its back-off is over; False to give up."""
        now = time.monotonic()
        if process.restart_at is not None:
            if now >= process.restart_at:
                self.start(process)
                self.say(f"{process.name} restarted.")
            return True
        code = process.popen.poll() if process.popen else None
        if code is None:
            return True
        _signal_group(process, signal.SIGKILL)  # what it started (Celery's pool) goes too
        delay = process.restarts.crashed(started=process.started, now=now)
        if delay is None:
            self.say(
                f"{process.name} exited {exit_reason(code)}, its {MAX_RAPID_CRASHES}th crash in a "
                f"row within {RAPID_SECONDS:.0f} s of starting: stopping everything. Its output "
                "above says why; fix that and run `make run` again."
            )
            return False
        self.say(f"{process.name} exited ({exit_reason(code)}); restarting it in {delay:.0f} s.")
        process.restart_at = now + delay
        return True

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
    host, _, web_port = settings.VMS_BIND.rpartition(":")
    if port_open(host.strip("[]"), int(web_port)):
        runner.say(
            f"{settings.VMS_BIND} is already in use (another `make run`?): stop what listens "
            "there, or set VMS_BIND to another address, e.g. VMS_BIND=127.0.0.1:8001."
        )
        return 1
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
        code = runner.watch(f"http://{settings.VMS_BIND}/", host, int(web_port))
    finally:
        runner.say("Stopping…")
        runner.stop()
        runner.say("All processes stopped.")
    return code


if __name__ == "__main__":
    sys.exit(main())
