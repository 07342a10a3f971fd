"""Benchmark: CPU cost of the virtual camera's live streams (render + encode + RTP), in one process.

    .venv/bin/python bench/simulator_media.py [--seconds 10] [--max-streams 16]

Each stream has its own video encoder configuration (so nothing is shared) and one FFmpeg client
(``ffmpeg -rtsp_transport tcp -i URL -c copy -f null -``, a separate process) pulls it. CPU is
the benchmark process's own CPU time (server only) over the measuring window, in % of one core.
Concurrency: streams are added until one of them delivers under 95 % of its frame rate or the
process exceeds the machine's cores. Latency: capture-to-decode time read from the frames'
timecode, PyAV over RTSP/TCP.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator import camera as cam  # noqa: E402
from simulator import config  # noqa: E402
from simulator.media import CameraMedia  # noqa: E402
from simulator.media.overlay import read_timecode, unwrap_ms  # noqa: E402


def make_camera(streams: list[tuple[str, int, int, int]]) -> cam.Camera:
    """One 1920x1080 video source; one profile per (encoding, width, height, fps)."""
    vs = [{"token": "VS1", "width": 1920, "height": 1080, "framerate": 25}]
    cfgs: list[dict] = [{"kind": "VideoSource", "token": "VSC1", "name": "vsc", "source": "VS1",
                         "bounds": [0, 0, 1920, 1080]}]  # fmt: skip
    profiles = []
    for i, (enc, w, h, fps) in enumerate(streams):
        bitrate = max(1000, w * h * fps // 10000)  # 720p25: 2300 kbit/s
        cfgs.append({"kind": "VideoEncoder", "token": f"E{i}", "name": f"e{i}", "encoding": enc,
                     "width": w, "height": h, "fps": fps, "bitrate": bitrate, "gov": 2 * fps,
                     "quality": 6})  # fmt: skip
        profiles.append({"token": f"p{i}", "name": f"p{i}",
                         "configs": {"VideoSource": "VSC1", "VideoEncoder": f"E{i}"}})  # fmt: skip
    spec = {"name": "bench", "host": "127.0.0.1", "port": 0, "rtsp_port": 0,
            "video_sources": vs, "configurations": cfgs, "profiles": profiles}  # fmt: skip
    return config.finalize(config.from_dict(cam.Camera, spec))


async def measure(streams: list[tuple[str, int, int, int]], seconds: float) -> dict:
    camera = make_camera(streams)
    media = CameraMedia(camera, auth=False)
    await media.start()
    procs = []
    try:
        for i in range(len(streams)):
            procs.append(await asyncio.create_subprocess_exec(
                "ffmpeg", "-v", "quiet", "-rtsp_transport", "tcp", "-i",
                f"rtsp://127.0.0.1:{media.port}/p{i}", "-c", "copy", "-f", "null", "-",
                stdin=asyncio.subprocess.DEVNULL))  # fmt: skip
        await asyncio.sleep(4.0)  # DESCRIBE, probing, encoder start
        sources = list(media.sources.values())
        frames0 = [s.frames for s in sources]
        cpu0, t0 = time.process_time(), time.monotonic()
        await asyncio.sleep(seconds)
        cpu, wall = time.process_time() - cpu0, time.monotonic() - t0
        rates = [(s.frames - f) / wall for s, f in zip(sources, frames0, strict=True)]
    finally:
        for p in procs:
            p.terminate()
        await asyncio.gather(*(p.wait() for p in procs))
        await media.stop()
    targets = [fps for _, _, _, fps in streams]
    worst = min((r / t for r, t in zip(rates, targets, strict=False)), default=0.0)
    return {"cpu": 100 * cpu / wall, "rates": rates, "worst": worst, "n": len(sources)}


def _latency(url: str, frames: int) -> list[float]:
    import av

    out = []
    with av.open(url, options={"rtsp_transport": "tcp"}, timeout=10) as container:
        for frame in container.decode(video=0):
            stamp = read_timecode(frame.to_ndarray(format="gray"))
            if stamp is not None:
                out.append(time.time() * 1000 - unwrap_ms(stamp))
            if len(out) >= frames:
                break
    return out


async def latency() -> list[float]:
    camera = make_camera([("H264", 1280, 720, 25)])
    media = CameraMedia(camera, auth=False)
    await media.start()
    try:
        url = f"rtsp://127.0.0.1:{media.port}/p0"
        lat = await asyncio.to_thread(_latency, url, 150)
        return lat[50:]  # after the start-up burst the probing buffered
    finally:
        await media.stop()


async def main(seconds: float, max_streams: int) -> None:
    print(f"{os.cpu_count()} cores, {seconds:.0f} s per measurement")
    for label, stream in (
        ("720p25 H.264", ("H264", 1280, 720, 25)),
        ("1080p25 H.264", ("H264", 1920, 1080, 25)),
        ("720p25 H.265", ("H265", 1280, 720, 25)),
        ("720p25 JPEG", ("JPEG", 1280, 720, 25)),
        ("1080p25 JPEG", ("JPEG", 1920, 1080, 25)),
    ):
        r = await measure([stream], seconds)
        print(f"{label:16} CPU {r['cpu']:5.1f} % of a core, {r['rates'][0]:5.1f} fps delivered")
    lat = await latency()
    print(f"latency 720p25 H.264 capture->PyAV decode: p50 {statistics.median(lat):.0f} ms, "
          f"p90 {statistics.quantiles(lat, n=10)[-1]:.0f} ms")  # fmt: skip
    best = 0
    for n in range(2, max_streams + 1):
        r = await measure([("H264", 1280, 720, 25)] * n, seconds)
        ok = r["worst"] >= 0.95
        print(f"{n:2} x 720p25 H.264: CPU {r['cpu']:5.1f} %, slowest stream "
              f"{min(r['rates']):4.1f} fps {'ok' if ok else 'SATURATED'}")  # fmt: skip
        if not ok:
            break
        best = n
    print(f"sustained concurrent 720p25 H.264 streams: {best}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--max-streams", type=int, default=16)
    args = parser.parse_args()
    asyncio.run(main(args.seconds, args.max_streams))
