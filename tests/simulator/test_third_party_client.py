"""The simulator driven by onvif-python, a client this project did not write.

onvif-python installs a package named ``onvif`` and patches zeep on import, so it lives in its
own virtualenv (var/venvs/onvif-python-<version>), created here when missing, and runs as a
subprocess against an in-process simulator.
"""

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIN = "onvif-python==0.4.7"
VENV = ROOT / "var" / "venvs" / "onvif-python-0.4.7"
SCRIPT = Path(__file__).with_name("third_party_client.py")


@pytest.fixture(scope="session")
def onvif_python() -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True, timeout=120)
        subprocess.run([str(python), "-m", "pip", "install", "-q", PIN], check=True, timeout=600)
    return python


async def test_onvif_python_drives_the_ptz_dome(onvif_python, cams):
    camera = cams["ptz-dome"]
    proc = await asyncio.create_subprocess_exec(
        str(onvif_python),
        str(SCRIPT),
        camera.host,
        str(camera.port),
        "admin",
        "admin",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err.decode()[-2000:]
    found = json.loads(out.decode().strip().splitlines()[-1])
    assert found["model"] == "SV-PTZ-2000"
    assert "http://www.onvif.org/ver20/ptz/wsdl" in found["services"]
    assert found["profiles"] == ["Profile_1_main", "Profile_1_sub"]
    assert found["stream_uri"] == f"rtsp://127.0.0.1:{camera.rtsp_port}/Profile_1_main"
    assert found["move_statuses"] == ["MOVING", "IDLE"]
    assert found["pan"] == pytest.approx(0.25, abs=0.01)  # 0.5 x 0.5 units/s for 1 s
    assert found["brightness"] == 75.0
    assert found["masks"] and found["osd_text"] == ["Hello"]
    assert found["event_sources"] and found["event_sources"][0].startswith("Token=Profile_")
