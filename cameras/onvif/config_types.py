"""Typed media configurations, their options and profiles (Media2 clause 6.3, Media1 6.14).

Every configuration has a kind (tr2:ConfigurationEnumeration), a token and a name; the
fields below are the ones the VMS edits. What a camera sends beyond them is kept by the
wrappers (a Set* call re-reads the camera's own object and changes only these fields).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# tr2:ConfigurationEnumeration without "All", in the order pages show them.
KINDS = (
    "VideoSource",
    "VideoEncoder",
    "AudioSource",
    "AudioEncoder",
    "PTZ",
    "Analytics",
    "Metadata",
    "AudioOutput",
    "AudioDecoder",
)
# What each kind needs in the same profile (6.2, violation: ter:ConfigurationConflict).
DEPENDS = {
    "VideoEncoder": ("VideoSource",),
    "AudioEncoder": ("AudioSource",),
    "PTZ": ("VideoSource",),
    "AudioDecoder": ("AudioOutput",),
    "Metadata": ("VideoSource",),
    "Analytics": ("VideoSource", "AudioSource"),  # either one
}
SEND_PRIMACY = "www.onvif.org/ver20/HalfDuplex/"


@dataclass(frozen=True)
class Range:
    min: float
    max: float

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int | float) and self.min <= value <= self.max

    def __str__(self) -> str:
        return f"{self.min:g} to {self.max:g}"


@dataclass(frozen=True)
class Multicast:
    address: str = ""  # IPv4 or IPv6; "" or 0.0.0.0: multicast off
    port: int = 0
    ttl: int = 1
    auto_start: bool = False  # read-only: Start/StopMulticastStreaming


@dataclass(frozen=True, kw_only=True)
class Configuration:
    kind: str
    token: str
    name: str
    use_count: int | None = None


@dataclass(frozen=True, kw_only=True)
class VideoSourceConfig(Configuration):
    kind: str = "VideoSource"
    source_token: str
    bounds: tuple[int, int, int, int]  # x, y, width, height in source pixels
    rotate: str = ""  # OFF, ON, AUTO; "" when the camera has no rotation
    rotate_degree: int | None = None
    view_mode: str = ""


@dataclass(frozen=True, kw_only=True)
class VideoEncoderConfig(Configuration):
    kind: str = "VideoEncoder"
    encoding: str  # H264, H265, JPEG, MPEG4
    width: int
    height: int
    fps: float | None = None
    bitrate_kbps: int | None = None
    constant_bitrate: bool | None = None  # None: the camera does not say
    gov_length: int | None = None
    profile: str = ""
    quality: float | None = None
    multicast: Multicast | None = None


@dataclass(frozen=True, kw_only=True)
class AudioSourceConfig(Configuration):
    kind: str = "AudioSource"
    source_token: str


@dataclass(frozen=True, kw_only=True)
class AudioEncoderConfig(Configuration):
    kind: str = "AudioEncoder"
    encoding: str  # PCMU, G726, MP4A-LATM, mpeg4-generic (Media1 G711, G726, AAC)
    bitrate: int | None = None  # kbps
    sample_rate: int | None = None  # kHz
    multicast: Multicast | None = None


@dataclass(frozen=True, kw_only=True)
class AudioOutputConfig(Configuration):
    kind: str = "AudioOutput"
    output_token: str
    send_primacy: str = ""
    level: int | None = None


@dataclass(frozen=True, kw_only=True)
class MetadataConfig(Configuration):
    kind: str = "Metadata"
    events: bool = False
    analytics: bool = False
    ptz_status: bool = False
    ptz_position: bool = False
    multicast: Multicast | None = None


# AudioDecoder, Analytics and PTZ configurations are listed and attached by token: their
# own settings are edited on the pages of those services.
AnyConfig = (
    Configuration
    | VideoSourceConfig
    | VideoEncoderConfig
    | AudioSourceConfig
    | AudioEncoderConfig
    | AudioOutputConfig
    | MetadataConfig
)


@dataclass(frozen=True)
class ProfileConfigs:
    """A media profile with the token and name of each configuration it holds."""

    token: str
    name: str
    fixed: bool
    configurations: dict[str, Configuration] = field(default_factory=dict)  # kind -> ref


# -- options (Get*ConfigurationOptions) --------------------------------------------------------


@dataclass(frozen=True)
class VideoSourceOptions:
    x: Range | None = None
    y: Range | None = None
    width: Range | None = None
    height: Range | None = None
    source_tokens: tuple[str, ...] = ()
    rotate_modes: tuple[str, ...] = ()
    max_profiles: int | None = None


@dataclass(frozen=True)
class VideoEncoderOptions:
    """What one encoding allows (Media2 gives one per encoding; Media1 one per codec part)."""

    encoding: str
    resolutions: tuple[tuple[int, int], ...] = ()
    quality: Range | None = None
    bitrate: Range | None = None
    gov_length: Range | None = None
    frame_rates: tuple[float, ...] = ()  # Media2: the list offered, highest first
    frame_rate_range: Range | None = None  # Media1: a range
    profiles: tuple[str, ...] = ()
    constant_bitrate: bool = False

    def frame_rate_ok(self, fps: float) -> bool:
        if self.frame_rates:
            return any(abs(fps - r) < 1e-6 for r in self.frame_rates)
        return self.frame_rate_range is None or fps in self.frame_rate_range

    def frame_rate_text(self) -> str:
        if self.frame_rates:
            return ", ".join(f"{r:g}" for r in self.frame_rates)
        return str(self.frame_rate_range) if self.frame_rate_range else "any"


@dataclass(frozen=True)
class AudioEncoderOptions:
    encoding: str
    bitrates: tuple[int, ...] = ()
    sample_rates: tuple[int, ...] = ()


@dataclass(frozen=True)
class AudioSourceOptions:
    source_tokens: tuple[str, ...] = ()


@dataclass(frozen=True)
class AudioOutputOptions:
    output_tokens: tuple[str, ...] = ()
    send_primacies: tuple[str, ...] = ()
    level: Range | None = None


@dataclass(frozen=True)
class MetadataOptions:
    ptz_status: bool = False
    ptz_position: bool = False
    geo_location: bool = False


Options = (
    VideoSourceOptions
    | tuple[VideoEncoderOptions, ...]
    | tuple[AudioEncoderOptions, ...]
    | AudioSourceOptions
    | AudioOutputOptions
    | MetadataOptions
)


@dataclass(frozen=True)
class EncoderInstances:
    """GetVideoEncoderInstances (Media1: GetGuaranteedNumberOfVideoEncoderInstances)."""

    total: int
    by_encoding: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class VideoSourceMode:
    token: str
    enabled: bool
    max_fps: float | None
    width: int
    height: int
    encodings: tuple[str, ...] = ()
    reboot: bool = False
    description: str = ""
