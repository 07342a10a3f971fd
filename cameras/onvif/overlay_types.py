"""Typed on-screen displays (Media2 clause 6.10, Media1 6.14) and privacy masks (6.11).

Positions and polygons are in the standard's normalised space of the video source
configuration's window: x and y in [-1, 1], (0, 0) the centre, y upwards. Colours are
tt:Color triples (YCbCr unless a colour space says otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cameras.onvif.config_types import Range

OSD_POSITIONS = ("UpperLeft", "UpperRight", "LowerLeft", "LowerRight", "Custom")
TEXT_TYPES = ("Plain", "Date", "Time", "DateAndTime")
MASK_TYPES = ("Color", "Pixelated", "Blurred")

Point = tuple[float, float]


@dataclass(frozen=True)
class Color:
    x: float
    y: float
    z: float
    colorspace: str = ""

    @property
    def key(self) -> str:
        """ "x y z", how forms and the API name a colour of the camera's list."""
        return f"{self.x:g} {self.y:g} {self.z:g}"


@dataclass(frozen=True)
class OsdColor:
    color: Color
    transparent: int | None = None  # tt:OSDColor@Transparent: min opaque, max fully transparent


@dataclass(frozen=True, kw_only=True)
class Osd:
    token: str
    source_token: str  # the video source configuration it is drawn on
    type: str = "Text"  # Text, Image, Extended
    position: str = "UpperLeft"
    point: Point | None = None  # for position Custom: the text's upper-left corner
    text_type: str = "Plain"
    plain_text: str = ""
    date_format: str = ""
    time_format: str = ""
    font_size: int | None = None
    font_color: OsdColor | None = None
    background_color: OsdColor | None = None
    persistent: bool | None = None
    image_path: str = ""


@dataclass(frozen=True)
class OsdColorOptions:
    colors: tuple[Color, ...] = ()
    transparent: Range | None = None


@dataclass(frozen=True, kw_only=True)
class OsdOptions:
    max_total: int = 0
    # tt:MaximumNumberOfOSDs per type: PlainText, Date, Time, DateAndTime, Image
    max_by_type: dict[str, int] = field(default_factory=dict)
    types: tuple[str, ...] = ()
    positions: tuple[str, ...] = ()
    text_types: tuple[str, ...] = ()
    font_size: Range | None = None
    date_formats: tuple[str, ...] = ()
    time_formats: tuple[str, ...] = ()
    font_colors: OsdColorOptions | None = None
    background_colors: OsdColorOptions | None = None
    image_paths: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Mask:
    token: str
    source_token: str  # the video source configuration it hides part of
    points: tuple[Point, ...]
    type: str = "Color"
    color: Color | None = None
    enabled: bool = True


@dataclass(frozen=True, kw_only=True)
class MaskOptions:
    max_masks: int = 0
    max_points: int = 0
    types: tuple[str, ...] = ()
    colors: tuple[Color, ...] = ()
    rectangle_only: bool = False
    single_color_only: bool = False
