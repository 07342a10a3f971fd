"""Prometheus text exposition of devices and live streams (served at /metrics)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from cameras.models import Device
from cameras.streams import read_stats

STREAM_GAUGES = {
    "viewers": ("vms_stream_viewers", "Browsers watching the stream."),
    "fps": ("vms_stream_fps", "Video packets per second from the camera."),
    "bitrate_kbps": ("vms_stream_bitrate_kbps", "Video bitrate from the camera, kbit/s."),
    "dropped": (
        "vms_stream_dropped_packets",
        "Packets dropped for slow viewers (current viewers).",
    ),
    "reconnects": ("vms_stream_reconnects_total", "Times the gateway reconnected to the camera."),
}


def _label(value: Any) -> str:
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def render() -> str:
    lines = ["# HELP vms_devices Devices by status.", "# TYPE vms_devices gauge"]
    counts = Counter(Device.objects.values_list("status", flat=True))
    for status in Device.Status.values:
        lines.append(f'vms_devices{{status="{status}"}} {counts.get(status, 0)}')
    streams = read_stats()
    lines += [
        "# HELP vms_stream_up 1 while the camera delivers video.",
        "# TYPE vms_stream_up gauge",
    ]
    for key, fields in sorted(streams.items()):
        up = 1 if fields.get("state") == "live" else 0
        lines.append(
            f'vms_stream_up{{stream="{_label(key)}",gateway="{_label(fields["gateway"])}"}} {up}'
        )
    for field, (name, help_text) in STREAM_GAUGES.items():
        kind = "counter" if name.endswith("_total") else "gauge"
        lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
        for key, fields in sorted(streams.items()):
            labels = f'stream="{_label(key)}",gateway="{_label(fields["gateway"])}"'
            lines.append(f"{name}{{{labels}}} {fields.get(field, 0)}")
    return "\n".join(lines) + "\n"
