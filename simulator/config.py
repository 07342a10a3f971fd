"""Load a fleet description (YAML or TOML) into Camera dataclasses, and save state back.

The file format is the state itself (``camera.py`` field names), with everything optional: what is
missing gets a sensible default (configurations, profiles, PTZ node...). A saved state file loads
back unchanged, so "save" is simply the same format, fully expanded.
"""

from __future__ import annotations

import dataclasses
import tomllib
import types
import typing
from pathlib import Path
from typing import Any

import yaml

from simulator import camera as cam
from simulator.analytics_cells import DEFAULT_LAYOUT

DEMO_CONFIG = Path(__file__).with_name("demo.yaml")


def from_dict(cls: Any, data: Any) -> Any:
    """Build a dataclass (recursively) from plain data, using the field type hints."""
    origin = typing.get_origin(cls)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(cls) if a is not type(None)]
        return None if data is None else from_dict(args[0], data)
    if origin is list:
        (item,) = typing.get_args(cls)
        return [from_dict(item, x) for x in (data or [])]
    if origin is dict:
        _, item = typing.get_args(cls)
        return {str(k): from_dict(item, v) for k, v in (data or {}).items()}
    if dataclasses.is_dataclass(cls):
        if isinstance(data, cls):
            return data
        hints = typing.get_type_hints(cls, vars(cam))
        names = {f.name for f in dataclasses.fields(cls) if f.init}
        unknown = set(data or {}) - names
        if unknown:
            raise ValueError(f"{cls.__name__}: unknown keys {sorted(unknown)}")
        return cls(**{k: from_dict(hints[k], v) for k, v in (data or {}).items()})
    if cls is float and isinstance(data, int):
        return float(data)
    return data


def to_dict(camera: cam.Camera) -> dict[str, Any]:
    data = dataclasses.asdict(dataclasses.replace(camera, runtime=None))
    data.pop("runtime")
    return data


def read_file(path: Path) -> dict[str, Any]:
    raw = path.read_bytes()
    if path.suffix == ".toml":
        return tomllib.loads(raw.decode())
    return yaml.safe_load(raw) or {}


def load(
    path: Path | None = None,
    host: str = "127.0.0.1",
    base_port: int = 18080,
    count: int | None = None,
    address_per_camera: bool = False,
    rtsp_base_port: int | None = None,
) -> list[cam.Camera]:
    """Cameras from a config file (default: the demo set). ``count`` repeats the list cyclically.

    Camera i listens on ``base_port + i`` (0 = any free port) and advertises RTSP on
    ``rtsp_base_port + i`` (default: a free port taken at start); with ``address_per_camera`` each
    camera gets its own 127.1.x.y address and they all share the two base ports.
    """
    data = read_file(path or DEMO_CONFIG)
    specs = data.get("cameras", [])
    if count is not None:
        specs = [dict(specs[i % len(specs)], name=f"sim{i:03d}") for i in range(count)]
    cameras = []
    for index, spec in enumerate(specs):
        spec = dict(spec)
        spec.setdefault("index", index)
        if address_per_camera:
            spec.setdefault("host", f"127.1.{(index + 1) // 256}.{(index + 1) % 256}")
            spec.setdefault("port", base_port)
        spec.setdefault("host", host)
        if not spec.get("port"):
            spec["port"] = base_port + index if base_port else 0
        if rtsp_base_port and "rtsp_port" not in spec:
            spec["rtsp_port"] = rtsp_base_port + (0 if address_per_camera else index)
        spec.setdefault("rtsp_port", 0)
        cameras.append(finalize(from_dict(cam.Camera, spec)))
    return cameras


def save(cameras: list[cam.Camera], path: Path) -> None:
    """Write the fleet state (PTZ positions included) in the config file format."""
    for c in cameras:
        for node in c.ptz_nodes:
            if c.runtime is not None and node.token in c.runtime.motion:
                node.position = [round(v, 6) for v in c.runtime.motion[node.token].position()]
    path.write_text(yaml.safe_dump({"cameras": [to_dict(c) for c in cameras]}, sort_keys=False))


def finalize(c: cam.Camera) -> cam.Camera:
    """Fill in whatever the description left out."""
    i = c.index + 1
    ident = c.identity
    if ident.serial == "SIM000001":
        ident.serial = f"SIM{i:06d}"
        ident.mac = f"02:00:00:00:{i // 256:02x}:{i % 256:02x}"
    if not c.users:
        c.users = [
            cam.User("admin", "admin", "Administrator"),
            cam.User("operator", "operator", "Operator"),
            cam.User("user", "user", "User"),
        ]
    if not c.scopes:
        c.scopes = [
            "onvif://www.onvif.org/type/video_encoder",
            "onvif://www.onvif.org/Profile/Streaming",
            "onvif://www.onvif.org/Profile/T",
            f"onvif://www.onvif.org/name/{c.name}",
            f"onvif://www.onvif.org/hardware/{ident.model}",
            "onvif://www.onvif.org/location/country/simulator",
        ]
        if c.ptz_nodes:
            c.scopes.insert(1, "onvif://www.onvif.org/type/ptz")
    if not c.video_sources:
        c.video_sources = [cam.VideoSource("VideoSource_1")]
    for node in c.ptz_nodes:
        for tour in node.tours:  # nothing runs yet: AutoStart tours start with the camera
            tour.state, tour.current = "Idle", -1
    for vs in c.video_sources:
        if not vs.modes:
            vs.modes = [
                cam.VideoSourceMode(
                    f"{vs.token}_mode1", vs.width, vs.height, vs.framerate, description="16:9"
                ),
                cam.VideoSourceMode(
                    f"{vs.token}_mode2", 1280, 960, 30.0, description="4:3", reboot=True
                ),
            ]
        vs.mode = vs.mode or vs.modes[0].token
    for j, out in enumerate(c.video_outputs):
        c.video_output_configs.setdefault(out.token, f"VideoOutputConfig_{j + 1}")
    if not c.configurations:
        _default_configurations(c)
    if not c.profiles:
        _default_profiles(c)
    return c


def _default_configurations(c: cam.Camera) -> None:
    add = c.configurations.append
    for n, vs in enumerate(c.video_sources, 1):
        add(
            cam.Configuration(
                "VideoSource",
                f"VideoSourceConfig_{n}",
                f"VideoSource {n}",
                source=vs.token,
                bounds=[0, 0, vs.width, vs.height],
            )
        )
        add(
            cam.Configuration(
                "VideoEncoder",
                f"VideoEncoder_{n}_main",
                f"Main {n}",
                encoding="H264",
                width=vs.width,
                height=vs.height,
                fps=vs.framerate,
                bitrate=4096,
            )
        )
        add(
            cam.Configuration(
                "VideoEncoder",
                f"VideoEncoder_{n}_sub",
                f"Sub {n}",
                encoding="H264",
                width=640,
                height=360,
                fps=15.0,
                bitrate=512,
                profile="Baseline",
            )
        )
    for n, token in enumerate(c.audio_sources, 1):
        add(
            cam.Configuration(
                "AudioSource", f"AudioSourceConfig_{n}", f"AudioSource {n}", source=token
            )
        )
        add(
            cam.Configuration(
                "AudioEncoder",
                f"AudioEncoder_{n}",
                f"G711 {n}",
                encoding="PCMU",
                bitrate=64,
                sample_rate=8,
            )
        )
    for n, token in enumerate(c.audio_outputs, 1):
        add(
            cam.Configuration(
                "AudioOutput", f"AudioOutputConfig_{n}", f"AudioOutput {n}", source=token
            )
        )
        add(cam.Configuration("AudioDecoder", f"AudioDecoder_{n}", f"AudioDecoder {n}"))
    add(cam.Configuration("Metadata", "MetadataConfig_1", "Metadata", ptz_status=bool(c.ptz_nodes)))
    for n, node in enumerate(c.ptz_nodes, 1):
        add(cam.Configuration("PTZ", f"PTZConfig_{n}", f"PTZ {n}", source=node.token))
    if c.analytics:
        modules = c.modules or [
            cam.AnalyticsItem(
                "MyCellMotion",
                "tt:CellMotionEngine",
                {"Sensitivity": "60"},
                {"Layout": CELL_LAYOUT},
            )
        ]
        add(
            cam.Configuration(
                "Analytics",
                "VideoAnalyticsConfig_1",
                "Analytics",
                source="VideoSourceConfig_1",
                rules=c.rules,
                modules=modules,
            )
        )


def _default_profiles(c: cam.Camera) -> None:
    for n, vs in enumerate(c.video_sources, 1):
        for variant in ("main", "sub"):
            configs = {
                "VideoSource": f"VideoSourceConfig_{n}",
                "VideoEncoder": f"VideoEncoder_{n}_{variant}",
                "Metadata": "MetadataConfig_1",
            }
            if len(c.audio_sources) >= n:
                configs |= {
                    "AudioSource": f"AudioSourceConfig_{n}",
                    "AudioEncoder": f"AudioEncoder_{n}",
                }
            if len(c.audio_outputs) >= n:
                configs |= {
                    "AudioOutput": f"AudioOutputConfig_{n}",
                    "AudioDecoder": f"AudioDecoder_{n}",
                }
            if len(c.ptz_nodes) >= n:
                configs["PTZ"] = f"PTZConfig_{n}"
            analytics = c.configs("Analytics")
            if analytics and n == 1:
                configs["Analytics"] = analytics[0].token
            c.profiles.append(
                cam.Profile(f"Profile_{n}_{variant}", f"{vs.token} {variant}", True, configs)
            )


# 22 x 18 cells over the whole picture, the upper-left cell at (-1, 1) and rows going down
CELL_LAYOUT = DEFAULT_LAYOUT.xml()
