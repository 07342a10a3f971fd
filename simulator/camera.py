"""Camera state: plain dataclasses, all in memory. ``config.py`` builds them; services edit them."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

KINDS = (
    "VideoSource",
    "AudioSource",
    "VideoEncoder",
    "AudioEncoder",
    "AudioOutput",
    "AudioDecoder",
    "Metadata",
    "Analytics",
    "PTZ",
)
LEVELS = ("Administrator", "Operator", "User")


@dataclass
class Identity:
    manufacturer: str = "ONVIF Simulator"
    model: str = "SIM-1"
    firmware: str = "1.0.0"
    serial: str = "SIM000001"
    hardware_id: str = "sim-hw-1"
    mac: str = "02:00:00:00:00:01"


@dataclass
class User:
    name: str
    password: str
    level: str = "User"


@dataclass
class Quirks:
    clock_offset: float = 0.0  # seconds the camera clock is off
    digest_only: bool = False  # HTTP Digest only: WS-UsernameToken is ignored
    no_get_services: bool = False  # GetServices -> ActionNotSupported (GetCapabilities only)
    media1_only: bool = False  # no Media2 service
    slow_response: float = 0.0  # seconds added to every response
    drop_every: int = 0  # close the connection without answering on every Nth request
    advertised_host: str = ""  # "host[:port]" put in every URL instead of the real one (NAT)
    bad_xml: bool = False  # BOM, text/xml content type and "TRUE"/"FALSE" booleans
    refuse_subscriptions: str = ""  # Subscribe/CreatePullPointSubscription fault with this text
    ignore_relative_time: bool = False  # a relative termination time is ignored: 1 h granted
    auth_clock: bool = False  # GetSystemDateAndTime, too, demands credentials (HTTP 401)
    video_sources_fault: bool = False  # Media1 GetVideoSources: a Receiver fault, no subcode
    undeclared_prefix: bool = False  # answers name types with a prefix they never declare
    discovery_epr_namespace: bool = False  # ProbeMatch EndpointReference in the wsd namespace
    rtsp_basic_only: bool = False  # RTSP asks for HTTP Basic credentials, never Digest
    snapshot_bytes: int = 0  # snapshot answers padded to at least this many bytes
    soap_bytes: int = 0  # SOAP answers padded (with an XML comment) to at least this many bytes


@dataclass
class Multicast:
    address: str = "239.255.0.1"
    port: int = 32000
    ttl: int = 1
    auto_start: bool = False


@dataclass
class VideoSourceMode:
    token: str
    width: int
    height: int
    fps: float
    encodings: str = "H264 H265 JPEG"
    reboot: bool = False
    description: str = ""


@dataclass
class Imaging:
    brightness: float = 50.0
    saturation: float = 50.0
    contrast: float = 50.0
    sharpness: float = 50.0
    ircut: str = "AUTO"
    exposure_mode: str = "AUTO"
    exposure_time: float = 10000.0
    gain: float = 0.0
    iris: float = 0.0
    focus_mode: str = "AUTO"
    focus_speed: float = 0.5
    wdr_mode: str = "OFF"
    wdr_level: float = 50.0
    backlight_mode: str = "OFF"
    wb_mode: str = "AUTO"
    cr_gain: float = 50.0
    cb_gain: float = 50.0
    current_preset: str = ""


@dataclass
class VideoSource:
    token: str
    width: int = 1920
    height: int = 1080
    framerate: float = 25.0
    modes: list[VideoSourceMode] = field(default_factory=list)
    mode: str = ""
    imaging: Imaging = field(default_factory=Imaging)
    has_imaging: bool = True
    remote_focus: bool = True  # False: a fixed-focus lens (GetMoveOptions empty, no focus moves)
    focus_position: float = 0.5  # saved focus position (0 = near, 1 = far)


@dataclass
class VideoOutput:
    token: str
    width: int = 1920
    height: int = 1080
    refresh: float = 60.0


@dataclass
class Configuration:
    """One media configuration entity. ``kind`` is the Media2 ConfigurationEnumeration value."""

    kind: str
    token: str
    name: str
    source: str = ""  # VideoSource/AudioSource/AudioOutput token, or PTZ node token
    bounds: list[int] = field(default_factory=list)  # VideoSource: x, y, width, height
    encoding: str = ""  # encoders
    width: int = 0
    height: int = 0
    fps: float = 0.0
    bitrate: int = 0
    gov: int = 50
    profile: str = "Main"
    quality: float = 5.0
    sample_rate: int = 8
    multicast: Multicast = field(default_factory=Multicast)
    send_primacy: str = "www.onvif.org/ver20/HalfDuplex/Auto"
    level: int = 50
    analytics: bool = True  # Metadata: analytics in stream
    events: bool = True
    ptz_status: bool = False
    timeout: float = 5.0  # PTZ: DefaultPTZTimeout (s)
    pt_speed: float = 0.5  # PTZ: DefaultPTZSpeed
    zoom_speed: float = 0.5
    eflip: str = "OFF"
    reverse: str = "OFF"
    # PTZ: PanTiltLimits and ZoomLimits [pan lo, hi, tilt lo, hi, zoom lo, hi]; [] = the node's
    limits: list[float] = field(default_factory=list)
    rules: list[AnalyticsItem] = field(default_factory=list)  # Analytics
    modules: list[AnalyticsItem] = field(default_factory=list)


@dataclass
class AnalyticsItem:
    """A rule or analytics module (tt:Config): Name, Type and SimpleItem/ElementItem parameters."""

    name: str
    type: str
    simple: dict[str, str] = field(default_factory=dict)
    elements: dict[str, str] = field(default_factory=dict)  # name -> serialized XML of the content


@dataclass
class Profile:
    token: str
    name: str
    fixed: bool = False
    configs: dict[str, str] = field(default_factory=dict)  # kind -> configuration token


@dataclass
class OSD:
    token: str
    vsc: str
    type: str = "Text"
    position: str = "UpperLeft"
    x: float = 0.0
    y: float = 0.0
    text_type: str = "Plain"
    plain_text: str = ""
    date_format: str = ""
    time_format: str = ""
    font_size: int = 0
    image: str = ""
    font_color: list[float] = field(default_factory=list)  # X, Y, Z (YCbCr); [] = white
    background_color: list[float] = field(default_factory=list)  # [] = black
    background_transparent: int = 0  # tt:OSDColor@Transparent: 0 opaque, 1 no box


@dataclass
class Mask:
    token: str
    vsc: str
    points: list[list[float]]
    type: str = "Color"
    enabled: bool = True
    color: list[float] = field(default_factory=list)  # X, Y, Z (YCbCr)


@dataclass
class Relay:
    """A relay output (Device IO): Bistable keeps its state, Monostable falls back after
    `delay` seconds. `active` is its logical state; `idle_state` says whether idle is open."""

    token: str
    mode: str = "Bistable"
    delay: float = 1.0
    idle_state: str = "open"
    active: bool = False


@dataclass
class DigitalInput:
    """A digital input; with `period` > 0 its contact changes every `period` seconds (a door
    opened and closed), else only when told (simulator.io.set_input)."""

    token: str
    idle_state: str = "closed"
    active: bool = False
    period: float = 0.0


@dataclass
class Preset:
    token: str
    name: str
    pan: float
    tilt: float
    zoom: float


@dataclass
class TourSpot:
    preset: str = ""  # preset token, or empty
    home: bool = False
    position: list[float] = field(default_factory=list)  # pan, tilt, zoom when no preset/home
    speed: float = 0.0  # 0 = default speed
    stay: float = 2.0  # seconds


@dataclass
class PresetTour:
    token: str
    name: str = ""
    spots: list[TourSpot] = field(default_factory=list)
    auto_start: bool = False
    recurring_time: int = 0  # 0 = not set
    recurring_duration: float = 0.0  # seconds, 0 = not set
    direction: str = "Forward"
    random: bool = False
    state: str = "Idle"
    current: int = -1


@dataclass
class PTZNode:
    token: str
    name: str = "PTZ"
    max_presets: int = 64
    home_supported: bool = True
    fixed_home: bool = False
    max_tours: int = 8
    aux_commands: list[str] = field(default_factory=lambda: ["tt:Wiper|On", "tt:Wiper|Off"])
    pan_limits: list[float] = field(default_factory=lambda: [-1.0, 1.0])
    tilt_limits: list[float] = field(default_factory=lambda: [-1.0, 1.0])
    zoom_limits: list[float] = field(default_factory=lambda: [0.0, 1.0])
    pt_max_speed: float = 0.5  # generic units per second at speed 1.0
    zoom_max_speed: float = 0.5
    # Degrees at generic -1 and at generic +1 (linear in between). With both set the node also
    # offers SphericalPositionSpaceDegrees and SphericalTranslationSpaceDegrees; empty = the
    # generic spaces only. E.g. a dome: pan [-180, 180], tilt [-90, 0] (0 horizontal, -90 down).
    pan_degrees: list[float] = field(default_factory=list)
    tilt_degrees: list[float] = field(default_factory=list)
    fov_degrees: list[float] = field(default_factory=lambda: [60.0, 33.75])  # h, v at zoom 0
    geo_move: bool = False  # GeoMove (clause 8.4.5); needs the degree mapping above
    home: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
    position: list[float] = field(default_factory=list)  # where it was when saved (else home)
    presets: list[Preset] = field(default_factory=list)
    tours: list[PresetTour] = field(default_factory=list)
    aux_state: dict[str, str] = field(default_factory=dict)


@dataclass
class Location:
    """A tt:LocationEntity of Device GetGeoLocation/SetGeoLocation: where the device (Entity
    "Device") or one of its sources is, and which way it faces. ``yaw`` is the bearing of pan 0
    in degrees clockwise from geographic north (None = north); GeoMove assumes a level mount and
    ignores roll and pitch."""

    entity: str = "Device"  # tt:Entity: Device, VideoSource or AudioSource
    token: str = ""  # the source's token, for a VideoSource or AudioSource entry
    fixed: bool = False  # a fixed entry cannot be deleted
    lon: float | None = None  # degrees east
    lat: float | None = None  # degrees north
    elevation: float | None = None  # metres above sea level
    roll: float | None = None
    pitch: float | None = None
    yaw: float | None = None


@dataclass
class SceneObject:
    """A synthetic object walking a straight path (normalised coordinates) back and forth."""

    object_id: int
    start: list[float]
    end: list[float]
    period: float = 10.0  # seconds for one leg


@dataclass
class Camera:
    name: str
    index: int = 0
    host: str = "127.0.0.1"
    port: int = 0
    rtsp_port: int = 554
    identity: Identity = field(default_factory=Identity)
    users: list[User] = field(default_factory=list)
    quirks: Quirks = field(default_factory=Quirks)
    scopes: list[str] = field(default_factory=list)
    video_sources: list[VideoSource] = field(default_factory=list)
    audio_sources: list[str] = field(default_factory=list)
    audio_outputs: list[str] = field(default_factory=list)
    video_outputs: list[VideoOutput] = field(default_factory=list)
    video_output_configs: dict[str, str] = field(default_factory=dict)  # output -> config name
    configurations: list[Configuration] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)
    max_profiles: int = 16
    osds: list[OSD] = field(default_factory=list)
    masks: list[Mask] = field(default_factory=list)
    max_osds: int = 8  # per video source configuration (GetOSDOptions)
    max_masks: int = 4  # per video source configuration (GetMaskOptions MaxMasks)
    max_mask_points: int = 4  # GetMaskOptions MaxPoints: quadrilaterals, as many cameras
    relays: list[Relay] = field(default_factory=list)
    digital_inputs: list[DigitalInput] = field(default_factory=list)
    ptz_nodes: list[PTZNode] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)  # Device GetGeoLocation entries
    analytics: bool = False  # has an analytics configuration (and the analytics service)
    rules: list[AnalyticsItem] = field(default_factory=list)  # its initial rules
    modules: list[AnalyticsItem] = field(default_factory=list)  # its initial modules
    scene: list[SceneObject] = field(default_factory=list)
    sound_period: float = 0.0  # audio camera: a synthetic sound every N seconds (0 = never)
    reboot_seconds: float = 3.0  # how long SystemReboot takes the camera away
    timezone: str = "UTC"
    ntp: bool = False
    counter: int = 0
    runtime: Any = field(default=None, repr=False, compare=False)  # simulator.runtime.Runtime

    # -- lookups ---------------------------------------------------------------------------
    def next_token(self, prefix: str) -> str:
        """A new token, unique among every token the camera already uses."""
        used = {x.token for x in [*self.profiles, *self.configurations, *self.osds, *self.masks]}
        used |= {x.token for n in self.ptz_nodes for x in [*n.presets, *n.tours]}
        while True:
            self.counter += 1
            token = f"{prefix}_{self.counter}"
            if token not in used:
                return token

    def profile(self, token: str | None) -> Profile | None:
        return next((p for p in self.profiles if p.token == token), None)

    def config(self, kind: str, token: str | None) -> Configuration | None:
        return next((c for c in self.configurations if c.kind == kind and c.token == token), None)

    def configs(self, kind: str) -> list[Configuration]:
        return [c for c in self.configurations if c.kind == kind]

    def profile_config(self, profile: Profile, kind: str) -> Configuration | None:
        return self.config(kind, profile.configs.get(kind))

    def video_source(self, token: str | None) -> VideoSource | None:
        return next((v for v in self.video_sources if v.token == token), None)

    def node(self, token: str | None) -> PTZNode | None:
        return next((n for n in self.ptz_nodes if n.token == token), None)

    def geo_location(self, source: str | None = None) -> Location | None:
        """Where video source `source` is (its own entry, else the device's): an entry with
        lon, lat and elevation; None when the camera does not know."""
        known = [x for x in self.locations if None not in (x.lon, x.lat, x.elevation)]
        own = [x for x in known if x.entity == "VideoSource" and x.token == source]
        return next(iter(own + [x for x in known if x.entity in ("Device", "")]), None)

    def use_count(self, cfg: Configuration) -> int:
        return sum(1 for p in self.profiles if p.configs.get(cfg.kind) == cfg.token)

    @property
    def has_ptz(self) -> bool:
        return bool(self.ptz_nodes)

    @property
    def has_analytics(self) -> bool:
        return self.analytics

    def clock(self) -> float:
        """The camera's idea of the current UTC time (POSIX seconds), quirks included."""
        return time.time() + self.quirks.clock_offset
