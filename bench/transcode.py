"""What viewing an H.265 camera costs the gateway: H.265 -> H.264 once per stream.

    .venv/bin/python bench/transcode.py [--seconds 10]

Pulls the simulator's 1280x720 25 fps main stream as H.264 (passthrough) and as H.265
(transcoded), each for the same time, and prints the gateway process's CPU for both.
The simulator runs in another process so its encoding is not counted.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FLEET = """cameras:
  - name: h264
    video_sources: [{token: VideoSource_1, width: 1280, height: 720, framerate: 25}]
  - name: h265
    video_sources: [{token: VideoSource_1, width: 1280, height: 720, framerate: 25}]
    configurations:
      - {kind: VideoSource, token: VSC, name: vsc, source: VideoSource_1, bounds: [0, 0, 1280, 720]}
      - {kind: VideoEncoder, token: ENC, name: enc, encoding: H265, width: 1280, height: 720,
         fps: 25, bitrate: 4096, gov: 50}
    profiles:
      - {token: Profile_1_main, name: main, configs: {VideoSource: VSC, VideoEncoder: ENC}}
"""


async def measure(url: str, seconds: float) -> tuple[float, int]:
    from cameras.media.source import RtspSource

    source = RtspSource("bench", url)
    source.subscribe()
    source.start()
    await asyncio.sleep(3)  # connected, encoder warmed up
    cpu, packets = time.process_time(), source.stats.packets
    await asyncio.sleep(seconds)
    used, sent = time.process_time() - cpu, source.stats.packets - packets
    source.stop()
    await source.wait_stopped()
    return 100 * used / seconds, sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    fleet = Path(tempfile.mkdtemp()) / "fleet.yaml"
    fleet.write_text(FLEET)
    simulator = subprocess.Popen(
        [sys.executable, "-m", "simulator", "--config", str(fleet), "--base-port", "24000",
         "--rtsp-base-port", "24500", "--discovery-port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        for _ in range(2):
            assert simulator.stdout is not None and re.search(
                r"/onvif/", simulator.stdout.readline()
            )
        for name, port in (("H.264 passthrough", 24500), ("H.265 -> H.264", 24501)):
            url = f"rtsp://admin:admin@127.0.0.1:{port}/Profile_1_main"
            cpu, packets = asyncio.run(measure(url, args.seconds))
            print(
                f"{name}: {cpu:.1f} % of one core for 1280x720 at {packets / args.seconds:.1f} fps"
            )
    finally:
        simulator.terminate()
        simulator.wait(20)


if __name__ == "__main__":
    main()
