"""`python -m vms.runner` (what `make run` starts) serves the login page; Ctrl-C leaves nothing."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.processes import ROOT, child_env, free_port


def descendants(pid: int) -> set[int]:
    children: dict[int, set[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), set()).add(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), ()):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.django_db(transaction=True)
def test_the_runner_serves_the_dashboard_and_ctrl_c_stops_every_process(tmp_path: Any) -> None:
    port = free_port()
    env = child_env(VMS_BIND=f"127.0.0.1:{port}", VMS_RUN_SIMULATOR="false")
    env["VMS_VAR_DIR"] = str(tmp_path)  # its own beat schedule file
    env["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    log = tmp_path / "runner.log"
    with log.open("wb") as out:
        runner = subprocess.Popen(
            [sys.executable, "-m", "vms.runner"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    try:
        deadline = time.monotonic() + 60
        while b"Dashboard: http://127.0.0.1" not in log.read_bytes():
            assert runner.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=10) as page:
            assert page.status == 200
            assert "Sign in" in page.read().decode()
        children = descendants(runner.pid)
        assert len(children) >= 3  # web, worker (+ its pool), beat
        os.kill(runner.pid, signal.SIGINT)
        assert runner.wait(timeout=30) == 0
    finally:
        if runner.poll() is None:
            runner.kill()
    time.sleep(0.5)
    left = [pid for pid in children if alive(pid)]
    assert left == [], f"processes left behind: {left}\n{log.read_text()}"
    assert "All processes stopped." in log.read_text()


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def child_running(runner_pid: int, needle: str) -> int | None:
    """The pid of the runner's child whose command line contains `needle`."""
    for pid in descendants(runner_pid):
        if needle in command_line(pid) and alive(pid):
            return pid
    return None


def wait_for(condition: Any, log: Path, seconds: float = 60) -> Any:
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)
    return value


@pytest.mark.django_db(transaction=True)
def test_a_crashed_gateway_is_restarted_and_the_others_keep_running(tmp_path: Any) -> None:
    port = free_port()
    env = child_env(VMS_BIND=f"127.0.0.1:{port}", VMS_RUN_SIMULATOR="false")
    env["VMS_VAR_DIR"] = str(tmp_path)
    log = tmp_path / "runner.log"
    with log.open("wb") as out:
        runner = subprocess.Popen(
            [sys.executable, "-m", "vms.runner"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    try:
        wait_for(lambda: b"Dashboard: http://127.0.0.1" in log.read_bytes(), log)
        gateway = wait_for(lambda: child_running(runner.pid, "manage.py gateway"), log)
        worker = child_running(runner.pid, "celery -A vms worker")
        web = child_running(runner.pid, "uvicorn")
        assert worker and web
        os.killpg(gateway, signal.SIGKILL)
        wait_for(
            lambda: b"gateway exited (killed by SIGKILL); restarting it in" in log.read_bytes(), log
        )
        restarted = wait_for(lambda: child_running(runner.pid, "manage.py gateway"), log)
        assert restarted != gateway
        assert b"gateway restarted" in log.read_bytes()
        assert runner.poll() is None
        assert alive(worker) and alive(web)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=10) as page:
            assert page.status == 200
        children = descendants(runner.pid)
        os.kill(runner.pid, signal.SIGINT)
        assert runner.wait(timeout=30) == 0
    finally:
        if runner.poll() is None:
            runner.kill()
    time.sleep(0.5)
    assert [pid for pid in children if alive(pid)] == [], log.read_text()


def test_restarts_back_off_and_give_up_after_repeated_rapid_crashes() -> None:
    from vms.runner import Restarts

    restarts = Restarts()
    delays = [restarts.crashed(started=100.0 * n, now=100.0 * n + 2) for n in range(4)]
    assert delays == [1, 2, 4, 8]
    assert restarts.crashed(started=500, now=502) is None  # five in a row: give up


def test_a_child_that_ran_a_while_before_crashing_starts_the_count_again() -> None:
    from vms.runner import Restarts

    restarts = Restarts()
    for n in range(3):
        restarts.crashed(started=n * 10.0, now=n * 10.0 + 1)
    assert restarts.crashed(started=100, now=100 + 3600) == 1  # it had run for an hour
    assert restarts.crashed(started=3800, now=3801) == 2


def test_the_web_port_in_use_is_said_at_once(tmp_path: Any) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = child_env(VMS_BIND=f"127.0.0.1:{port}", VMS_RUN_SIMULATOR="false")
        env["VMS_VAR_DIR"] = str(tmp_path)
        result = subprocess.run(
            [sys.executable, "-m", "vms.runner"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert f"127.0.0.1:{port} is already in use" in result.stdout
