"""Draw one frame of a video source: PTZ viewport, objects, imaging, masks, OSD and timecode."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import numpy as np

from simulator.camera import Camera, Imaging, VideoSource
from simulator.media import overlay, scene
from simulator.media.scene import Panorama, Rect

log = logging.getLogger(__name__)
HUMAN_COLORS = ((200, 50, 50), (235, 195, 160))  # body, head (RGB)
VEHICLE_COLORS = ((30, 80, 210), (20, 20, 30))  # body, windows and wheels


def imaging_luts(img: Imaging) -> tuple[np.ndarray, np.ndarray] | None:
    """Lookup tables (Y, chroma) for brightness, contrast and saturation; None when neutral."""
    b, c, s = float(img.brightness), float(img.contrast), float(img.saturation)
    if (b, c, s) == (50.0, 50.0, 50.0):
        return None
    levels = np.arange(256, dtype=np.float32)
    y = (levels - 128) * (c / 50.0) + 128 + (b - 50.0) * 1.6
    uv = (levels - 128) * (s / 50.0) + 128
    return tuple(np.clip(t + 0.5, 0, 255).astype(np.uint8) for t in (y, uv))  # type: ignore[return-value]


class Renderer:
    """Renders frames of one video source at one output size (yuv420p in a single buffer)."""

    def __init__(
        self, camera: Camera, source: VideoSource, panorama: Callable[[], Panorama]
    ) -> None:
        self.camera = camera
        self.source = source
        self.panorama = panorama
        self.cache_key: tuple | None = None
        self.cache: np.ndarray | None = None

    # -- camera state ---------------------------------------------------------------------------
    def ptz(self) -> tuple[float, float, float]:
        idx = self.camera.video_sources.index(self.source)
        rt = self.camera.runtime
        if rt is None or idx >= len(self.camera.ptz_nodes):
            return 0.0, 0.0, 0.0
        motion = rt.motion.get(self.camera.ptz_nodes[idx].token)
        return motion.position() if motion is not None else (0.0, 0.0, 0.0)

    def vsc_tokens(self) -> set[str]:
        return {
            c.token for c in self.camera.configs("VideoSource") if c.source == self.source.token
        }

    def view(self) -> Rect:
        return self.panorama().view_rect(*self.ptz())

    # -- drawing ----------------------------------------------------------------------------------
    def render(self, width: int, height: int, utc: float | None = None) -> np.ndarray:
        """A (height * 3 / 2, width) yuv420p frame of the scene at wall-clock time ``utc``."""
        utc = time.time() if utc is None else utc
        width, height = width // 2 * 2, height // 2 * 2
        pano = self.panorama()
        rect = pano.view_rect(*self.ptz())
        luts = imaging_luts(self.source.imaging)
        buf = self._background(pano, rect, width, height, luts).copy()
        planes = split(buf, width, height)
        self._objects(planes, pano, rect, utc, luts)
        tokens = self.vsc_tokens()
        overlay.draw_masks(planes, [m for m in list(self.camera.masks) if m.vsc in tokens])
        osds = [o for o in list(self.camera.osds) if o.vsc in tokens]
        overlay.draw_osds(planes, osds, self.camera.clock())
        overlay.draw_timecode(*planes, int(utc * 1000))
        return buf

    def _background(self, pano: Panorama, rect: Rect, width: int, height: int, luts) -> np.ndarray:
        key = (
            round(rect.x, 2),
            round(rect.y, 2),
            round(rect.w, 2),
            width,
            height,
            None if luts is None else (luts[0].tobytes(), luts[1].tobytes()),
        )
        if key == self.cache_key and self.cache is not None:
            return self.cache
        buf = np.empty((height * 3 // 2, width), dtype=np.uint8)
        y, u, v = split(buf, width, height)
        xs = np.clip(rect.x + (np.arange(width) + 0.5) * rect.w / width, 0, pano.width - 1)
        ys = np.clip(rect.y + (np.arange(height) + 0.5) * rect.h / height, 0, pano.height - 1)
        xs, ys = xs.astype(np.intp), ys.astype(np.intp)
        y[:] = pano.y.take(ys, axis=0).take(xs, axis=1)
        hx, hy = (
            np.minimum(xs[::2] // 2, pano.u.shape[1] - 1),
            np.minimum(ys[::2] // 2, pano.u.shape[0] - 1),
        )
        u[:] = pano.u.take(hy, axis=0).take(hx, axis=1)
        v[:] = pano.v.take(hy, axis=0).take(hx, axis=1)
        if luts is not None:
            np.take(luts[0], y, out=y)
            np.take(luts[1], u, out=u)
            np.take(luts[1], v, out=v)
        self.cache_key, self.cache = key, buf
        return buf

    def _objects(self, planes, pano: Panorama, rect: Rect, utc: float, luts) -> None:
        y = planes[0]
        height, width = y.shape
        for obj in scene.objects(self.camera.scene):
            left, top, right, bottom = scene.box(obj, utc)
            x0, y0 = pano.to_pixels(left, top)
            x1, y1 = pano.to_pixels(right, bottom)
            sx, sy = width / rect.w, height / rect.h
            box = ((x0 - rect.x) * sx, (y0 - rect.y) * sy, (x1 - rect.x) * sx, (y1 - rect.y) * sy)
            if scene.object_class(obj) == scene.HUMAN:
                body, head = HUMAN_COLORS
                fill(planes, box, body, luts)
                bh = box[3] - box[1]
                fill(planes, (box[0], box[1], box[2], box[1] + bh * 0.25), head, luts)
            else:
                body, dark = VEHICLE_COLORS
                fill(planes, box, body, luts)
                bw, bh = box[2] - box[0], box[3] - box[1]
                fill(
                    planes,
                    (box[0] + bw * 0.2, box[1] + bh * 0.1, box[2] - bw * 0.2, box[1] + bh * 0.4),
                    dark,
                    luts,
                )


def split(buf: np.ndarray, width: int, height: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Y, U and V views of a yuv420p buffer of shape (height * 3 / 2, width)."""
    flat = buf.reshape(-1)
    n = width * height
    y = flat[:n].reshape(height, width)
    u = flat[n : n + n // 4].reshape(height // 2, width // 2)
    v = flat[n + n // 4 : n + n // 2].reshape(height // 2, width // 2)
    return y, u, v


def fill(planes, box, rgb: tuple[int, int, int], luts) -> None:
    """Fill a rectangle (x0, y0, x1, y1 in pixels, clipped) with a colour."""
    y, u, v = planes
    height, width = y.shape
    x0, y0 = max(0, int(box[0])) // 2 * 2, max(0, int(box[1])) // 2 * 2
    x1, y1 = min(width, int(box[2])), min(height, int(box[3]))
    if x1 <= x0 or y1 <= y0:
        return
    cy, cu, cv = scene.color_yuv(rgb)
    if luts is not None:
        cy, cu, cv = int(luts[0][cy]), int(luts[1][cu]), int(luts[1][cv])
    y[y0:y1, x0:x1] = cy
    u[y0 // 2 : (y1 + 1) // 2, x0 // 2 : (x1 + 1) // 2] = cu
    v[y0 // 2 : (y1 + 1) // 2, x0 // 2 : (x1 + 1) // 2] = cv
