"""``python -m simulator``: starts, prints one line per camera, stops on SIGTERM, saves state."""

import asyncio
import signal
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_ports(count: int) -> int:
    """A base port such that ``count`` consecutive ports are free right now."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + count > 65535:
            continue
        try:
            held = []
            for port in range(base, base + count):
                sock = socket.socket()
                held.append(sock)
                sock.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            for sock in held:
                sock.close()
        return base
    raise RuntimeError("no free port range")


async def test_it_serves_the_demo_set_until_sigterm(tmp_path):
    base, save = free_ports(4), tmp_path / "state.yaml"
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulator",
        "--base-port",
        str(base),
        "--discovery-port",
        "0",
        "--save",
        str(save),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        lines = [(await asyncio.wait_for(proc.stdout.readline(), 20)).decode() for _ in range(4)]
        assert lines[0].startswith(f"ptz-dome: http://127.0.0.1:{base}/onvif/device_service")
        assert "user admin password admin" in lines[3]
        _, writer = await asyncio.open_connection("127.0.0.1", base + 3)
        writer.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        rest = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 0
    assert b"simulator stopped" in rest[0]
    assert "dual-sensor" in save.read_text()


async def test_it_reports_a_bad_config_file_without_a_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("cameras:\n  - name: x\n    no_such_key: 1\n")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "simulator", "--config", str(bad), cwd=ROOT,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 1
    assert b"unknown keys ['no_such_key']" in err and b"Traceback" not in err
