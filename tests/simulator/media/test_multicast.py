"""Multicast, tested only inside a private network namespace (unshare -n): nothing leaves it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from . import clients

PROBE = Path(__file__).with_name("multicast_probe.py")
SETUP = "ip link set lo up && ip link set lo multicast on && ip route add 224.0.0.0/4 dev lo"


async def test_it_streams_multicast_to_rtsp_clients_and_on_start_multicast_streaming():
    code, out, err = await clients.run(
        "unshare",
        "-n",
        "sh",
        "-c",
        f'{SETUP} && exec "$0" "$1"',
        sys.executable,
        str(PROBE),
        timeout=90,
    )
    assert code == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert (
        "c=IN IP4 239.255.10.2/1" in result["sdp"] and "m=video 32002 RTP/AVP 96" in result["sdp"]
    )
    assert result["ffprobe"][0] == "h264" and result["ffprobe"][1] > 0
    assert result["gst"]
    assert result["sessions_after"] == 0
    assert result["idle_packets"] == 0  # no session and no StartMulticastStreaming: silence
    assert result["started_packets"] > 10 and result["pt"] == 96
    assert result["stopped_packets"] == 0
    assert result["runtime_set_packets"] > 20  # PCMU, 50 packets a second
