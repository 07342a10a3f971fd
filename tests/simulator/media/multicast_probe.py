"""Run inside a private network namespace (see test_multicast.py): multicast never leaves it.

Starts the media test camera with multicast enabled, then checks ffprobe, GStreamer and a plain
socket receiver (StartMulticastStreaming, no RTSP) and prints one JSON line of results.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from simulator.media import CameraMedia
from tests.simulator.media import clients
from tests.simulator.media.conftest import make_camera


def receiver(group: str, port: int) -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((group, port))
    mreq = socket.inet_aton(group) + socket.inet_aton("127.0.0.1")
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    s.setblocking(False)
    return s


async def count(sock: socket.socket, seconds: float) -> int:
    loop, n = asyncio.get_running_loop(), 0
    end = loop.time() + seconds
    while loop.time() < end:
        try:
            await asyncio.wait_for(loop.sock_recv(sock, 2048), max(0.01, end - loop.time()))
            n += 1
        except TimeoutError:
            break
    return n


async def main() -> dict:
    camera = make_camera()
    for n, cfg in enumerate(camera.configurations):
        cfg.multicast.address, cfg.multicast.port = f"239.255.10.{n + 1}", 32000 + 2 * n
    media = CameraMedia(camera, auth=False, multicast=True)
    await media.start()
    out: dict = {}
    try:
        url = clients.url(media.port, "h264", query="?multicast")
        async with clients.RtspClient(media.port, user=None) as c:
            desc = (await c.request("DESCRIBE", "h264?multicast")).body.decode()
        out["sdp"] = desc
        streams = await clients.ffprobe(url, "udp_multicast")
        out["ffprobe"] = [streams[0]["codec_name"], int(streams[0]["nb_read_packets"])]
        gst = await clients.gst(url, "udp-mcast", "video")
        out["gst"] = "video/x-raw" in gst
        await asyncio.sleep(0.5)
        out["sessions_after"] = len(media.sessions)
        h264 = camera.config("VideoEncoder", "H264").multicast
        sock = receiver(h264.address, h264.port)
        out["idle_packets"] = await count(sock, 1.0)
        media.start_multicast("h264")
        out["started_packets"] = await count(sock, 1.0)
        header = await asyncio.get_running_loop().sock_recv(sock, 2048)
        out["pt"] = header[1] & 0x7F
        media.stop_multicast("h264")
        await asyncio.sleep(0.3)
        await count(sock, 0.3)  # drain
        out["stopped_packets"] = await count(sock, 1.0)
        camera.runtime.multicast.add("pcmu")  # what StartMulticastStreaming does
        pcmu = camera.config("AudioEncoder", "PCMU").multicast
        audio = receiver(pcmu.address, pcmu.port)
        out["runtime_set_packets"] = await count(audio, 1.5)
    finally:
        await media.stop()
    return out


if __name__ == "__main__":
    sys.stdout.write(json.dumps(asyncio.run(main())) + "\n")
