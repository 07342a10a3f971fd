"""The world a video source looks at: a procedurally drawn panorama and synthetic moving objects.

World coordinates are the normalised coordinates of the home view (pan 0, tilt 0, zoom 0): x to the
right and y up, (-1, -1) lower-left to (1, 1) upper-right. The panorama is three home views wide
and two high; the PTZ position picks which part of it the camera sees (``view_rect``).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from simulator.camera import SceneObject
from simulator.media import font

PAN_SPAN = 3  # the panorama is this many home views wide...
TILT_SPAN = 2  # ...and this many high
MAX_ZOOM = 8.0  # optical zoom factor at zoom = 1
MAX_DRAW_WIDTH = 1920  # panorama detail is drawn for at most this home-view width
HUMAN, VEHICLE = "Human", "Vehical"  # tt:ClassType spells it so (2020 metadatastream.xsd)
DEFAULT_SCENE = (
    SceneObject(1, [-0.9, -0.45], [0.9, -0.35], 12.0),
    SceneObject(2, [1.2, -0.75], [-1.2, -0.75], 9.0),
    SceneObject(3, [-0.4, -0.15], [0.5, -0.25], 15.0),
)


@dataclass(frozen=True)
class Rect:
    """A rectangle in panorama pixels (floats)."""

    x: float
    y: float
    w: float
    h: float


def rgb_to_yuv(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """BT.601 limited-range Y, and U/V subsampled 2x2 (yuv420p planes)."""
    f = rgb.astype(np.float32)
    r, g, b = f[..., 0], f[..., 1], f[..., 2]
    y = 16 + 0.257 * r + 0.504 * g + 0.098 * b
    u = 128 - 0.148 * r - 0.291 * g + 0.439 * b
    v = 128 + 0.439 * r - 0.368 * g - 0.071 * b
    h2, w2 = rgb.shape[0] // 2, rgb.shape[1] // 2
    u = u[: h2 * 2, : w2 * 2].reshape(h2, 2, w2, 2).mean(axis=(1, 3))
    v = v[: h2 * 2, : w2 * 2].reshape(h2, 2, w2, 2).mean(axis=(1, 3))
    planes = (y, u, v)
    return tuple(np.clip(p + 0.5, 0, 255).astype(np.uint8) for p in planes)  # type: ignore[return-value]


def color_yuv(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    y, u, v = rgb_to_yuv(np.array([[rgb] * 2] * 2, dtype=np.uint8))
    return int(y[0, 0]), int(u[0, 0]), int(v[0, 0])


class Panorama:
    """The drawn world of one video source, kept as yuv420p planes."""

    def __init__(self, seed_text: str, width: int, height: int) -> None:
        scale = min(1.0, MAX_DRAW_WIDTH / max(width, 1))
        self.view_w = max(64, int(width * scale)) // 2 * 2  # home view size in panorama pixels
        self.view_h = max(36, int(height * scale)) // 2 * 2
        self.width, self.height = self.view_w * PAN_SPAN, self.view_h * TILT_SPAN
        rng = np.random.default_rng(zlib.crc32(seed_text.encode()))
        self.y, self.u, self.v = rgb_to_yuv(draw(rng, self.width, self.height))

    # -- geometry ---------------------------------------------------------------------------
    def view_rect(self, pan: float = 0.0, tilt: float = 0.0, zoom: float = 0.0) -> Rect:
        factor = 1.0 + max(0.0, min(1.0, zoom)) * (MAX_ZOOM - 1.0)
        w, h = self.view_w / factor, self.view_h / factor
        cx = self.width / 2 + pan * self.view_w
        cy = self.height / 2 - tilt * self.view_h / 2
        x = min(max(cx - w / 2, 0.0), self.width - w)
        y = min(max(cy - h / 2, 0.0), self.height - h)
        return Rect(x, y, w, h)

    def to_pixels(self, x: float, y: float) -> tuple[float, float]:
        """World coordinates -> panorama pixels."""
        return self.width / 2 + x * self.view_w / 2, self.height / 2 - y * self.view_h / 2


@lru_cache(maxsize=8)
def panorama(seed_text: str, width: int, height: int) -> Panorama:
    """Panoramas are immutable and slow to draw (about a second): share them."""
    return Panorama(seed_text, width, height)


def draw(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """Sky, hills, a skyline with lit windows, numbered poles, grass and a road: all numpy."""
    img = np.empty((height, width, 3), dtype=np.uint8)
    horizon = int(height * 0.55)
    t = np.linspace(0.0, 1.0, horizon, dtype=np.float32)[:, None]
    img[:horizon] = (np.array([70, 120, 210]) * (1 - t) + np.array([190, 215, 240]) * t).astype(
        np.uint8
    )[:, None, :]
    xs = np.arange(width, dtype=np.float32)
    ridge = np.full(width, horizon * 0.75, dtype=np.float32)
    for k in range(1, 6):
        ridge += np.sin(xs / width * 2 * np.pi * (k * 2 + 1) + rng.uniform(0, 6.28)) * (
            horizon * 0.12 / k
        )
    rows = np.arange(horizon, dtype=np.float32)[:, None]
    img[:horizon][rows > ridge[None, :]] = (96, 120, 90)
    ground_t = np.linspace(0.0, 1.0, height - horizon, dtype=np.float32)[:, None]
    grass = np.array([80, 140, 60]) * (1 - ground_t) + np.array([40, 100, 35]) * ground_t
    img[horizon:] = grass.astype(np.uint8)[:, None, :]
    road0, road1 = int(height * 0.645), int(height * 0.73)  # in the home view
    img[road0:road1] = (70, 70, 75)
    dash = max(2, height // 200)
    mid = (road0 + road1) // 2
    for x0 in range(0, width, width // 60):
        img[mid - dash : mid + dash, x0 : x0 + width // 120] = (230, 230, 230)
    _skyline(rng, img, horizon)
    _poles(img, horizon)
    return img


def _skyline(rng: np.random.Generator, img: np.ndarray, horizon: int) -> None:
    height, width = img.shape[:2]
    x = 0
    while x < width:
        w = int(rng.uniform(0.015, 0.05) * width)
        h = int(rng.uniform(0.08, 0.3) * height)
        top = horizon - h
        color = rng.integers(60, 230, size=3)
        img[top:horizon, x : x + w] = color
        win = max(2, w // 10)
        lit = rng.random((h // (win * 3) + 1, w // (win * 2) + 1)) > 0.5
        for r, c in zip(*np.nonzero(lit), strict=True):
            y0, x0 = top + win + r * win * 3, x + win // 2 + c * win * 2
            if y0 + win < horizon and x0 + win < x + w:
                img[y0 : y0 + win, x0 : x0 + win] = (255, 230, 120)
        x += w + int(rng.uniform(0, 0.02) * width)


def _poles(img: np.ndarray, horizon: int) -> None:
    """Numbered coloured poles every 1/12 of the panorama, so panning is easy to see."""
    height, width = img.shape[:2]
    palette = ((220, 40, 40), (240, 200, 30), (40, 90, 230), (240, 240, 240), (160, 50, 200))
    scale = max(1, height // 180)
    for i in range(12):
        x = int((i + 0.5) * width / 12)
        pw = max(3, width // 400)
        img[int(horizon * 0.6) : int(height * 0.76), x - pw : x + pw] = palette[i % len(palette)]
        text = font.bitmap(f"P{i + 1:02d}", scale)
        y0, x0 = int(horizon * 0.6) - text.shape[0] - 4 * scale, x - text.shape[1] // 2
        box = img[y0 - scale : y0 + text.shape[0] + scale, x0 - scale : x0 + text.shape[1] + scale]
        box[:] = (20, 20, 20)
        img[y0 : y0 + text.shape[0], x0 : x0 + text.shape[1]][text] = (255, 255, 255)


# -- objects ------------------------------------------------------------------------------------
def objects(scene: list[SceneObject]) -> tuple[SceneObject, ...]:
    return tuple(scene) if scene else DEFAULT_SCENE


def object_class(obj: SceneObject) -> str:
    return HUMAN if obj.object_id % 2 else VEHICLE


def position(obj: SceneObject, t: float) -> tuple[float, float]:
    """World position (centre of the object) at time t (seconds): back and forth on its path."""
    phase = (t / obj.period) % 2.0 if obj.period > 0 else 0.0
    f = phase if phase < 1.0 else 2.0 - phase
    return (
        obj.start[0] + (obj.end[0] - obj.start[0]) * f,
        obj.start[1] + (obj.end[1] - obj.start[1]) * f,
    )


def box(obj: SceneObject, t: float) -> tuple[float, float, float, float]:
    """World bounding box (left, top, right, bottom) at time t."""
    x, y = position(obj, t)
    hw, hh = (0.035, 0.12) if object_class(obj) == HUMAN else (0.12, 0.07)
    return x - hw, y + hh, x + hw, y - hh
