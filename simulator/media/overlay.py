"""What is drawn over the scene: OSD text, privacy masks and the machine-readable timecode.

All functions work in place on yuv420p planes (Y full size, U/V half size, uint8).
"""

from __future__ import annotations

import re
import time
from functools import lru_cache

import numpy as np

from simulator.camera import OSD, Mask
from simulator.media import font

TIMECODE_BITS = 48  # 44 bits of milliseconds since the epoch (mod 2**44), 4 bits of checksum
BLACK, WHITE = 16, 235


# -- timecode -----------------------------------------------------------------------------------
def block_size(width: int) -> int:
    bs = max(4, width // 80) // 2 * 2
    if bs * TIMECODE_BITS > width:
        bs = max(2, width // TIMECODE_BITS // 2 * 2)
    return bs


def _checksum(value: int) -> int:
    return sum((value >> (4 * i)) & 0xF for i in range(11)) & 0xF


def draw_timecode(y: np.ndarray, u: np.ndarray, v: np.ndarray, ms: int) -> None:
    """A row of black/white blocks in the top-left corner: bit 1 = white, most significant first."""
    bs = block_size(y.shape[1])
    value = ms % (1 << 44)
    word = (value << 4) | _checksum(value)
    bits = np.array([(word >> (TIMECODE_BITS - 1 - i)) & 1 for i in range(TIMECODE_BITS)])
    row = np.where(bits.astype(bool), WHITE, BLACK).astype(np.uint8).repeat(bs)
    y[:bs, : row.size] = row[None, :]
    u[: bs // 2, : row.size // 2] = 128
    v[: bs // 2, : row.size // 2] = 128


def read_timecode(y: np.ndarray) -> int | None:
    """The capture time (ms since the epoch, mod 2**44) from a decoded Y plane, or None."""
    bs = block_size(y.shape[1])
    c0, c1 = max(0, bs // 2 - 1), bs // 2 + 1
    strip = y[c0:c1, : bs * TIMECODE_BITS].astype(np.float32)
    cells = strip.reshape(strip.shape[0], TIMECODE_BITS, bs)[:, :, c0:c1].mean(axis=(0, 2))
    word = 0
    for cell in cells:
        word = (word << 1) | int(cell > 128)
    value, check = word >> 4, word & 0xF
    return value if _checksum(value) == check else None


def unwrap_ms(value: int, now_ms: int | None = None) -> int:
    """Undo the 2**44 wrap-around against a nearby clock."""
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    return now_ms - ((now_ms - value) % (1 << 44))


# -- OSD --------------------------------------------------------------------------------------
_TOKEN = re.compile(r"yyyy|MMMM|MM|M|dddd|dd|d|HH|H|hh|h|mm|ss|tt")


def format_time(fmt: str, when: time.struct_time) -> str:
    """Format with the .NET-style patterns of tt:OSDTextConfiguration (DateFormat/TimeFormat)."""
    hour12 = when.tm_hour % 12 or 12
    values = {
        "yyyy": f"{when.tm_year:04d}",
        "MMMM": time.strftime("%B", when),
        "MM": f"{when.tm_mon:02d}",
        "M": str(when.tm_mon),
        "dddd": time.strftime("%A", when),
        "dd": f"{when.tm_mday:02d}",
        "d": str(when.tm_mday),
        "HH": f"{when.tm_hour:02d}",
        "H": str(when.tm_hour),
        "hh": f"{hour12:02d}",
        "h": str(hour12),
        "mm": f"{when.tm_min:02d}",
        "ss": f"{when.tm_sec:02d}",
        "tt": "AM" if when.tm_hour < 12 else "PM",
    }
    return _TOKEN.sub(lambda m: values[m.group(0)], fmt)


def osd_text(osd: OSD, utc: float) -> str:
    when = time.gmtime(utc)
    date = format_time(osd.date_format or "yyyy-MM-dd", when)
    clock = format_time(osd.time_format or "HH:mm:ss", when)
    return {
        "Plain": osd.plain_text,
        "Date": date,
        "Time": clock,
        "DateAndTime": f"{date} {clock}",
    }.get(osd.text_type, osd.plain_text)


def text_scale(osd: OSD, height: int) -> int:
    if osd.font_size:
        return max(1, round(osd.font_size * height / 1080 / 7))
    return max(2, height // 240)


def draw_osds(planes: tuple[np.ndarray, ...], osds: list[OSD], utc: float) -> None:
    y = planes[0]
    height, width = y.shape
    margin = block_size(width) + 4  # keep clear of the timecode row
    stack = {"UpperLeft": margin, "UpperRight": margin, "LowerLeft": 4, "LowerRight": 4}
    for osd in osds:
        text = osd_text(osd, utc)
        if osd.type != "Text" or not text:
            continue
        bits = font.bitmap(text, text_scale(osd, height))
        th, tw = bits.shape[0] + 4, bits.shape[1] + 4
        pos = osd.position if osd.position in stack or osd.position == "Custom" else "UpperLeft"
        if pos == "Custom":
            x0, y0 = int((osd.x + 1) / 2 * width), int((1 - osd.y) / 2 * height)
        else:
            x0 = 4 if pos.endswith("Left") else width - tw - 4
            y0 = stack[pos] if pos.startswith("Upper") else height - stack[pos] - th
            stack[pos] += th + 4
        fg = _ycbcr(osd.font_color, (WHITE, 128, 128))
        bg = None if osd.background_transparent else _ycbcr(osd.background_color, (BLACK, 128, 128))
        draw_text(planes, bits, x0, y0, fg, bg)


def _ycbcr(color: list[float], default: tuple[int, int, int]) -> tuple[int, int, int]:
    if len(color) < 3:
        return default
    return tuple(int(max(0, min(255, c))) for c in color[:3])  # type: ignore[return-value]


def draw_text(
    planes: tuple[np.ndarray, ...],
    bits: np.ndarray,
    x0: int,
    y0: int,
    fg: tuple[int, int, int] = (WHITE, 128, 128),
    bg: tuple[int, int, int] | None = (BLACK, 128, 128),
) -> None:
    """Text in `fg` on a `bg` box (none: on the picture) whose top-left corner is (x0, y0),
    clipped to the picture; colours are YCbCr."""
    y, u, v = planes
    height, width = y.shape
    th, tw = bits.shape[0] + 4, bits.shape[1] + 4
    x0, y0 = max(0, min(x0, width - 2)) // 2 * 2, max(0, min(y0, height - 2)) // 2 * 2
    x1, y1 = min(width, x0 + tw), min(height, y0 + th)
    if bg is not None:
        y[y0:y1, x0:x1] = bg[0]
        u[y0 // 2 : (y1 + 1) // 2, x0 // 2 : (x1 + 1) // 2] = bg[1]
        v[y0 // 2 : (y1 + 1) // 2, x0 // 2 : (x1 + 1) // 2] = bg[2]
    clip = bits[: max(0, y1 - y0 - 2), : max(0, x1 - x0 - 2)]
    y[y0 + 2 : y0 + 2 + clip.shape[0], x0 + 2 : x0 + 2 + clip.shape[1]][clip] = fg[0]
    if fg[1:] != (128, 128):  # chroma at half resolution, where the glyphs are
        ys, xs = (y0 + 2) // 2, (x0 + 2) // 2
        for plane, value in ((u, fg[1]), (v, fg[2])):
            area = plane[ys : ys + (clip.shape[0] + 1) // 2, xs : xs + (clip.shape[1] + 1) // 2]
            area[clip[::2, ::2][: area.shape[0], : area.shape[1]]] = value


# -- privacy masks ------------------------------------------------------------------------------
@lru_cache(maxsize=64)
def rasterize(points: tuple[tuple[float, float], ...], width: int, height: int):
    """(row slice, column slice, boolean mask) of a normalised polygon (even-odd rule)."""
    px = np.array([(x + 1) / 2 * width for x, _ in points])
    py = np.array([(1 - y) / 2 * height for _, y in points])
    c0, c1 = max(0, int(px.min())), min(width, int(np.ceil(px.max())) + 1)
    r0, r1 = max(0, int(py.min())), min(height, int(np.ceil(py.max())) + 1)
    r0, c0 = r0 // 2 * 2, c0 // 2 * 2
    r1, c1 = min(height, (r1 + 1) // 2 * 2), min(width, (c1 + 1) // 2 * 2)
    gy, gx = np.mgrid[r0:r1, c0:c1].astype(np.float32) + 0.5
    inside = np.zeros(gx.shape, dtype=bool)
    for i in range(len(points)):
        xa, ya, xb, yb = px[i - 1], py[i - 1], px[i], py[i]
        if ya == yb:
            continue
        crosses = (ya > gy) != (yb > gy)
        xcross = xa + (gy - ya) * (xb - xa) / (yb - ya)
        inside ^= crosses & (gx < xcross)
    inside.flags.writeable = False
    return slice(r0, r1), slice(c0, c1), inside


def mask_color(mask: Mask) -> tuple[int, int, int]:
    if len(mask.color) < 3:
        return BLACK, 128, 128
    scale = 255.0 if max(mask.color[:3]) <= 1.0 else 1.0
    return tuple(int(max(0, min(255, c * scale))) for c in mask.color[:3])  # type: ignore[return-value]


def draw_masks(planes: tuple[np.ndarray, ...], masks: list[Mask]) -> None:
    y, u, v = planes
    height, width = y.shape
    for mask in masks:
        if not mask.enabled or len(mask.points) < 3:
            continue
        pts = tuple((float(p[0]), float(p[1])) for p in mask.points)
        rows, cols, inside = rasterize(pts, width, height)
        if not inside.size:
            continue
        half = inside[::2, ::2]
        hrows, hcols = (
            slice(rows.start // 2, rows.start // 2 + half.shape[0]),
            slice(cols.start // 2, cols.start // 2 + half.shape[1]),
        )
        if mask.type == "Color":
            values = mask_color(mask)
            for plane, sl, m, value in (
                (y, (rows, cols), inside, values[0]),
                (u, (hrows, hcols), half, values[1]),
                (v, (hrows, hcols), half, values[2]),
            ):
                np.copyto(plane[sl], np.uint8(value), where=m)
        else:  # Pixelated and Blurred: the region's average colour, in 16 px blocks
            _pixelate(y[rows, cols], inside, 16)
            _pixelate(u[hrows, hcols], half, 8)
            _pixelate(v[hrows, hcols], half, 8)


def _pixelate(region: np.ndarray, where: np.ndarray, block: int) -> None:
    h, w = region.shape
    for r in range(0, h, block):
        for c in range(0, w, block):
            cell = region[r : r + block, c : c + block]
            m = where[r : r + block, c : c + block]
            if m.any():
                np.copyto(cell, np.uint8(cell.mean()), where=m)
