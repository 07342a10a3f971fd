"""`python -m vms.runner` (what `make run` starts) serves the login page; Ctrl-C leaves nothing."""

import os
import signal
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
