"""Our gateway against a bare aiortc relay, on the same simulated 720p25 H.264 streams.

    .venv/bin/python bench/gateway.py [--streams 2] [--viewers 20] [--seconds 20]

For each relay (ours: cameras.media.gateway.Gateway; bare: MediaPlayer(url, decode=False)
+ MediaRelay, the usual aiortc recipe) in its own process, a viewer process opens
streams x viewers WebRTC connections (aiortc receivers whose decoder only counts the
frames the jitter buffer completes, so 40 viewers fit on two cores) and the relay reports:
its CPU (% of one core) per stream-viewer over the window, the time from a packet leaving
the RTSP demuxer to it being handed to the RTP sender (p50/p95), and the frames each viewer
received against the frames the camera sent (loss).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds() -> float:
    fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


# -- relay process -----------------------------------------------------------------------------
class Relay:
    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.delays: list[float] = []
        self.sent: dict[str, int] = {}  # stream url -> packets demuxed
        self.pcs: list[Any] = []
        self.window: tuple[float, float] | None = None
        if mode == "ours":
            from cameras.media.gateway import Gateway, use_host_addresses

            use_host_addresses(["127.0.0.1"])
            self.gateway = Gateway(ice_servers=[], notify=lambda session, message: None)
        else:
            from cameras.media.gateway import use_host_addresses

            use_host_addresses(["127.0.0.1"])
            self.players: dict[str, Any] = {}
            self.relay: Any = None
            self.put_times: dict[int, float] = {}

    def dropped(self) -> int:
        """Packets the relay dropped for slow viewers (ours only: MediaRelay never drops)."""
        if self.mode != "ours":
            return 0
        return sum(v.track.subscriber.dropped for v in self.gateway.viewers.values())

    async def offer(self, session: str, url: str, sdp: str) -> str:
        if self.mode == "ours":
            answer = await self.gateway.offer(session, url, url, sdp)
            track = self.gateway.viewers[session].track
            self._time_ours(track)
            return answer
        return await self._offer_bare(url, sdp)

    def _time_ours(self, track: Any) -> None:
        get = track.subscriber.get

        async def timed() -> Any:
            item = await get()
            self.delays.append(time.monotonic() - item.received)
            self.sent[track.source.url] = track.source.stats.packets
            return item

        track.subscriber.get = timed

    async def _offer_bare(self, url: str, sdp: str) -> str:
        from aiortc import RTCPeerConnection, RTCRtpSender, RTCSessionDescription
        from aiortc.contrib.media import MediaPlayer, MediaRelay

        if self.relay is None:
            self.relay = MediaRelay()
        if url not in self.players:
            player = MediaPlayer(url, decode=False, options={"rtsp_transport": "tcp"})
            self.players[url] = player
            self._time_bare(player, url)
        pc = RTCPeerConnection()
        self.pcs.append(pc)
        pc.addTrack(self._time_viewer(self.relay.subscribe(self.players[url].video)))
        h264 = [
            c for c in RTCRtpSender.getCapabilities("video").codecs if c.mimeType == "video/H264"
        ]
        for transceiver in pc.getTransceivers():
            transceiver.setCodecPreferences(h264)
        await pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        return str(pc.localDescription.sdp)

    def _time_bare(self, player: Any, url: str) -> None:
        queue = player.video._queue
        original_put = queue.put

        def put(item: Any) -> Any:
            # Called in MediaPlayer's reader thread right after the demuxer, like ours.
            if item is not None:
                self.put_times[id(item)] = time.monotonic()
                self.sent[url] = self.sent.get(url, 0) + 1
                if len(self.put_times) > 20000:  # keep the last few seconds only
                    for key in list(self.put_times)[:10000]:
                        del self.put_times[key]
            return original_put(item)

        queue.put = put

    def _time_viewer(self, track: Any) -> Any:
        """Time each viewer's packet as its RTP sender takes it (after the fan-out)."""
        original_recv = track.recv

        async def recv() -> Any:
            packet = await original_recv()
            started = self.put_times.get(id(packet))
            if started is not None:
                self.delays.append(time.monotonic() - started)
            return packet

        track.recv = recv
        return track


async def serve_relay(mode: str, port: int) -> None:
    from aiohttp import web

    relay = Relay(mode)
    state: dict[str, Any] = {}

    async def offer(request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response(
            {"sdp": await relay.offer(body["session"], body["url"], body["sdp"])}
        )

    async def start(request: web.Request) -> web.Response:
        relay.delays.clear()
        state.update(
            cpu=cpu_seconds(), wall=time.monotonic(), sent=dict(relay.sent), dropped=relay.dropped()
        )
        return web.json_response({})

    async def report(request: web.Request) -> web.Response:
        wall = time.monotonic() - state["wall"]
        cpu = cpu_seconds() - state["cpu"]
        delays = sorted(relay.delays)
        sent = {url: relay.sent.get(url, 0) - state["sent"].get(url, 0) for url in relay.sent}
        dropped = relay.dropped() - state["dropped"]
        return web.json_response({
            "cpu_percent": 100 * cpu / wall,
            "p50_ms": 1000 * statistics.median(delays) if delays else None,
            "p95_ms": 1000 * delays[int(len(delays) * 0.95)] if delays else None,
            "sent": sent,
            "dropped": dropped,
        })  # fmt: skip

    app = web.Application()
    app.router.add_post("/offer", offer)
    app.router.add_post("/start", start)
    app.router.add_get("/report", report)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print("ready", flush=True)
    await asyncio.Event().wait()


# -- viewer process ------------------------------------------------------------------------------
def count_only_decoder() -> dict[int, int]:
    """Replace aiortc's decoder with a counter of the frames the jitter buffer completes."""
    import aiortc.rtcrtpreceiver as receiver

    counts: dict[int, int] = {}

    def decoder_worker(loop: Any, input_q: Any, output_q: Any, *rest: Any) -> None:
        key = id(output_q)
        counts[key] = 0
        while True:
            task = input_q.get()
            if task is None:
                break
            counts[key] += 1

    receiver.decoder_worker = decoder_worker
    return counts


async def run_viewers(
    relay_port: int, urls: list[str], viewers: int, seconds: float
) -> dict[str, Any]:
    import aiohttp
    from aiortc import RTCPeerConnection, RTCSessionDescription

    from cameras.media.gateway import use_host_addresses

    use_host_addresses(["127.0.0.1"])
    counts = count_only_decoder()
    pcs = []
    async with aiohttp.ClientSession(f"http://127.0.0.1:{relay_port}") as http:
        for n, url in enumerate(u for u in urls for _ in range(viewers)):
            pc = RTCPeerConnection()
            pc.addTransceiver("video", direction="recvonly")
            pc.on("track", lambda track: asyncio.ensure_future(_drain(track)))
            await pc.setLocalDescription(await pc.createOffer())
            offer = {"session": str(n), "url": url, "sdp": pc.localDescription.sdp}
            async with http.post("/offer", json=offer) as response:
                answer = (await response.json())["sdp"]
            await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
            pcs.append((url, pc))
        await asyncio.sleep(5)  # everyone connected and past the first key frame
        before = dict(counts)
        await http.post("/start")
        await asyncio.sleep(seconds)
        after = dict(counts)
        async with http.get("/report") as response:
            report = await response.json()
    received = [after[k] - before.get(k, 0) for k in after]
    for _, pc in pcs:
        await pc.close()
    report["received_min"], report["received_max"] = min(received), max(received)
    report["stream_viewers"] = len(pcs)
    return report


async def _drain(track: Any) -> None:
    while True:
        await track.recv()


# -- orchestration --------------------------------------------------------------------------
FLEET = """cameras:
{cameras}"""
CAMERA = """  - name: bench{n}
    video_sources: [{{token: VideoSource_1, width: 1280, height: 720, framerate: 25}}]
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("role", nargs="?", default="run", choices=["run", "relay", "viewers"])
    parser.add_argument("--streams", type=int, default=2)
    parser.add_argument("--viewers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--mode", default="ours")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--urls", default="")
    args = parser.parse_args()
    if args.role == "relay":
        asyncio.run(serve_relay(args.mode, args.port))
        return
    if args.role == "viewers":
        result = asyncio.run(
            run_viewers(args.port, args.urls.split(","), args.viewers, args.seconds)
        )
        print(json.dumps(result), flush=True)
        return
    fleet = Path(tempfile.mkdtemp()) / "fleet.yaml"
    fleet.write_text(FLEET.format(cameras="".join(CAMERA.format(n=n) for n in range(args.streams))))
    simulator = subprocess.Popen(
        [sys.executable, "-m", "simulator", "--config", str(fleet), "--base-port", "23000",
         "--rtsp-base-port", "23500", "--discovery-port", "0"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    urls = [f"rtsp://admin:admin@127.0.0.1:{23500 + n}/Profile_1_main" for n in range(args.streams)]
    results = {}
    try:
        time.sleep(2)
        for mode in ("ours", "bare"):
            relay = subprocess.Popen(
                [sys.executable, __file__, "relay", "--mode", mode, "--port", "23900"],
                cwd=ROOT, stdout=subprocess.PIPE, text=True,
                env={**os.environ, "DJANGO_SETTINGS_MODULE": "vms.settings"},
            )  # fmt: skip
            assert relay.stdout is not None and relay.stdout.readline().strip() == "ready"
            viewer = subprocess.run(
                [sys.executable, __file__, "viewers", "--port", "23900", "--urls", ",".join(urls),
                 "--viewers", str(args.viewers), "--seconds", str(args.seconds)],
                cwd=ROOT, capture_output=True, text=True, timeout=300,
            )  # fmt: skip
            relay.terminate()
            relay.wait(20)
            results[mode] = json.loads(viewer.stdout.strip().splitlines()[-1])
            time.sleep(3)
    finally:
        simulator.terminate()
        simulator.wait(20)
    print(
        f"{args.streams} simulated 720p25 H.264 streams x {args.viewers} viewers, "
        f"{args.seconds:.0f} s window"
    )
    for mode, r in results.items():
        per = r["cpu_percent"] / r["stream_viewers"]
        sent = max(r["sent"].values()) if r["sent"] else 0
        print(
            f"{mode:>4}: CPU {r['cpu_percent']:.1f} % of a core ({per:.2f} % per stream-viewer); "
            f"added latency p50 {r['p50_ms']:.2f} ms, p95 {r['p95_ms']:.2f} ms; "
            f"frames sent {sent}, received per viewer {r['received_min']}-{r['received_max']}, "
            f"dropped by the relay {r['dropped']}"
        )
    ours, bare = results["ours"], results["bare"]
    print(f"ratio ours/bare: CPU {ours['cpu_percent'] / bare['cpu_percent']:.2f}, "
          f"latency p50 {ours['p50_ms'] / bare['p50_ms']:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
