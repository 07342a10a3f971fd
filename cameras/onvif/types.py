"""Typed values read from cameras. zeep objects never leave cameras/onvif/."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DeviceInfo:
    manufacturer: str
    model: str
    firmware: str
    serial: str
    hardware_id: str


@dataclass(frozen=True)
class ServiceInfo:
    name: str  # our short name: device, media, media2, ptz, imaging, events, ...
    namespace: str
    xaddr: str  # as we call it (rewritten to the address the admin entered)
    advertised: str  # as the camera advertised it
    version: str = ""


@dataclass(frozen=True)
class VideoEncoder:
    token: str
    encoding: str  # H264, H265, JPEG, MPEG4
    width: int
    height: int
    fps: float | None
    bitrate_kbps: int | None
    gov_length: int | None
    profile: str = ""


@dataclass(frozen=True)
class MediaProfile:
    token: str
    name: str
    fixed: bool
    video_source_token: str | None
    video_encoder: VideoEncoder | None
    audio_encoding: str | None = None
    ptz_configuration_token: str | None = None
    ptz_node_token: str | None = None
    has_metadata: bool = False
    has_audio_output: bool = False  # a back channel: the browser can talk through the camera


@dataclass(frozen=True)
class VideoSource:
    token: str
    width: int
    height: int
    framerate: float | None


@dataclass(frozen=True)
class PtzPreset:
    token: str
    name: str
    pan: float | None = None
    tilt: float | None = None
    zoom: float | None = None


@dataclass(frozen=True)
class PtzSpace:
    """One coordinate space of a PTZ node (tt:PTZSpaces, clause 8): its group (e.g.
    AbsolutePanTiltPositionSpace, PanTiltSpeedSpace), URI and ranges (x alone for zoom and
    speed spaces)."""

    group: str
    uri: str
    x: tuple[float, float] | None = None
    y: tuple[float, float] | None = None


@dataclass(frozen=True)
class PtzNode:
    token: str
    name: str
    max_presets: int
    home_supported: bool
    aux_commands: tuple[str, ...] = ()
    spaces: tuple[str, ...] = ()  # URIs of the supported coordinate spaces
    space_groups: tuple[PtzSpace, ...] = ()  # every space of the eight groups, with ranges
    max_tours: int = 0  # Extension.SupportedPresetTour.MaximumNumberOfPresetTours
    geo_move: bool = False  # the node's GeoMove attribute (clause 8.4.5)


@dataclass(frozen=True)
class FocusMoveOptions:
    """GetMoveOptions (clause 7.4.2): the ranges of each focus move the camera offers; None
    for a move it does not offer (all None: no remote focus)."""

    absolute_position: tuple[float, float] | None = None
    absolute_speed: tuple[float, float] | None = None
    relative_distance: tuple[float, float] | None = None
    relative_speed: tuple[float, float] | None = None
    continuous_speed: tuple[float, float] | None = None  # signed: below 0 near, above 0 far

    @property
    def offered(self) -> bool:
        return any(
            r is not None
            for r in (self.absolute_position, self.relative_distance, self.continuous_speed)
        )


@dataclass(frozen=True)
class ImagingOptions:
    video_source_token: str
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)  # e.g. Brightness
    modes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # e.g. IrCutFilterModes
    focus_modes: tuple[str, ...] = ()
    focus_moves: FocusMoveOptions | None = None  # None: not asked, or the camera refused


@dataclass(frozen=True)
class GeoLocation:
    """Where a camera is (Device GetGeoLocation, one tt:LocationEntity): lon/lat in degrees,
    elevation in metres above sea level (None if not given) and heading, the bearing of pan 0
    in degrees clockwise from north (GeoOrientation yaw; None if not given)."""

    lon: float
    lat: float
    elevation: float | None = None
    heading: float | None = None
    entity: str = "Device"  # tt:Entity: Device, VideoSource or AudioSource
    token: str = ""  # the source's token for a VideoSource/AudioSource entry
    fixed: bool = False  # the camera will not delete it
