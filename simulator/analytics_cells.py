"""Cell motion (Annex D): the CellMotionEngine's cell grid, PackBits bitmaps, and which cells move.

- A bitmap has one bit per cell, row-major from the upper-left cell (left to right, then top to
  bottom), most significant bit first, 1 = set, the last byte zero-padded; on the wire it is
  PackBits-compressed and base64-encoded (rule parameter ActiveCells, metadata MotionInCells).
- The grid (tt:CellLayout) has Columns x Rows cells; its Transformation maps grid coordinates
  (origin at the upper-left corner of the upper-left cell, one unit per cell, x right, y down)
  to the frame: q = Scale * p + Translate, component-wise.
- A cell has motion while a moving object's bounding box covers enough of it: with Sensitivity
  S (0..100, lower = a bigger change needed) the box must cover at least (100 - S) % of the
  cell's area (any overlap at 100), and at S = 0 no cell ever has motion.
- A CellMotionDetector sees motion while at least MinCount of its active cells that have motion
  are adjacent: one 4-connected group (cells sharing an edge, not only a corner).
"""

from __future__ import annotations

import base64
import binascii
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lxml import etree

from simulator.soap import NS

Box = tuple[float, float, float, float]  # left, top, right, bottom (frame coordinates, y up)
CLUSTERS_CACHED = 4096


# -- PackBits (Apple / TIFF) -------------------------------------------------------------------
def packbits_encode(data: bytes) -> bytes:
    """Runs of two or more equal bytes become a repeat packet, everything else literal packets
    (``ff ff ff f0 f0 f0`` -> ``fe ff fe f0``, the Annex D example)."""
    out, literal, i = bytearray(), bytearray(), 0

    def flush() -> None:
        while literal:
            chunk = literal[:128]
            out.append(len(chunk) - 1)
            out.extend(chunk)
            del literal[:128]

    while i < len(data):
        run = 1
        while i + run < len(data) and run < 128 and data[i + run] == data[i]:
            run += 1
        if run >= 2:
            flush()
            out += bytes([257 - run, data[i]])
            i += run
        else:
            literal.append(data[i])
            i += 1
    flush()
    return bytes(out)


def packbits_decode(data: bytes) -> bytes:
    """Header n: 0..127 -> n + 1 literal bytes follow; 129..255 -> the next byte 257 - n
    times; 128 -> nothing. ValueError when a packet is cut short."""
    out, i = bytearray(), 0
    while i < len(data):
        head = data[i]
        i += 1
        if head < 128:
            if i + head + 1 > len(data):
                raise ValueError("a PackBits literal run is cut short")
            out += data[i : i + head + 1]
            i += head + 1
        elif head > 128:
            if i >= len(data):
                raise ValueError("a PackBits repeat run is cut short")
            out += bytes([data[i]]) * (257 - head)
            i += 1
    return bytes(out)


def encode_cells(cells: Sequence[bool]) -> str:
    """A cell bitmap -> base64 of its PackBits form."""
    raw = bytearray((len(cells) + 7) // 8)
    for n, on in enumerate(cells):
        if on:
            raw[n // 8] |= 0x80 >> (n % 8)
    return base64.b64encode(packbits_encode(bytes(raw))).decode()


def decode_cells(text: str, count: int) -> list[bool]:
    """base64 of a PackBits bitmap -> `count` cells. A shorter bitmap leaves the remaining cells
    unset, a longer one is cut. ValueError (with the reason) when it cannot be decoded."""
    try:
        packed = base64.b64decode((text or "").strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("ActiveCells is not base64") from None
    raw = packbits_decode(packed)
    return [n // 8 < len(raw) and bool(raw[n // 8] & (0x80 >> (n % 8))) for n in range(count)]


# -- the grid ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CellLayout:
    columns: int
    rows: int
    translate: tuple[float, float]
    scale: tuple[float, float]

    @classmethod
    def full_frame(cls, columns: int, rows: int) -> CellLayout:
        """A grid over the whole frame: upper-left cell at (-1, 1), rows going down."""
        return cls(columns, rows, (-1.0, 1.0), (2.0 / columns, -2.0 / rows))

    @classmethod
    def parse(cls, xml: str) -> CellLayout:
        """A tt:CellLayout element; ValueError when it is not one."""
        try:
            el = etree.fromstring(xml.encode(), etree.XMLParser(resolve_entities=False))
            columns, rows = int(el.get("Columns", "")), int(el.get("Rows", ""))
        except (etree.XMLSyntaxError, ValueError, AttributeError):
            raise ValueError("Layout is not a tt:CellLayout") from None
        if columns < 1 or rows < 1:
            raise ValueError("Layout needs at least one column and one row")
        tt = NS["tt"]
        t, s = el.find(f".//{{{tt}}}Translate"), el.find(f".//{{{tt}}}Scale")
        if t is None or s is None:
            return cls.full_frame(columns, rows)
        try:
            translate = (float(t.get("x", "0")), float(t.get("y", "0")))
            scale = (float(s.get("x", "1")), float(s.get("y", "1")))
        except ValueError:
            raise ValueError("Layout has a malformed Transformation") from None
        if scale[0] == 0 or scale[1] == 0:
            raise ValueError("Layout scales a cell to nothing")
        return cls(columns, rows, translate, scale)

    @property
    def cells(self) -> int:
        return self.columns * self.rows

    def xml(self) -> str:
        return (
            f'<tt:CellLayout xmlns:tt="{NS["tt"]}" Columns="{self.columns}" Rows="{self.rows}">'
            f'<tt:Transformation><tt:Translate x="{self.translate[0]:g}" '
            f'y="{self.translate[1]:g}"/>'
            f'<tt:Scale x="{self.scale[0]:.6f}" y="{self.scale[1]:.6f}"/></tt:Transformation>'
            "</tt:CellLayout>"
        )

    def same_grid(self, other: CellLayout) -> bool:
        close = lambda a, b: all(abs(x - y) < 1e-3 for x, y in zip(a, b, strict=True))  # noqa: E731
        return (
            (self.columns, self.rows) == (other.columns, other.rows)
            and close(self.translate, other.translate)
            and close(self.scale, other.scale)
        )

    def motion(self, boxes: Iterable[Box], sensitivity: int) -> list[bool]:
        """The cells with motion (see the module docstring) for the boxes of moving objects."""
        cells = [False] * self.cells
        if sensitivity <= 0:
            return cells
        need = max(0.0, (100 - min(sensitivity, 100)) / 100) - 1e-9
        (tx, ty), (sx, sy) = self.translate, self.scale
        for left, top, right, bottom in boxes:
            x0, x1 = sorted(((left - tx) / sx, (right - tx) / sx))
            y0, y1 = sorted(((top - ty) / sy, (bottom - ty) / sy))
            rows = range(max(0, math.floor(y0)), min(self.rows, math.ceil(y1)))
            for c in range(max(0, math.floor(x0)), min(self.columns, math.ceil(x1))):
                fx = min(c + 1, x1) - max(c, x0)
                for r in rows:
                    cover = fx * (min(r + 1, y1) - max(r, y0))
                    if cover > 0 and cover >= need:
                        cells[r * self.columns + c] = True
        return cells


DEFAULT_LAYOUT = CellLayout.full_frame(22, 18)


def largest_group(cells: Sequence[bool], columns: int, stop: int = 0) -> int:
    """Size of the largest 4-connected group of set cells (counting stops once a group reaches
    `stop`, when given)."""
    seen, best = set(), 0
    for start, on in enumerate(cells):
        if not on or start in seen:
            continue
        seen.add(start)
        todo, size = [start], 0
        while todo:
            n = todo.pop()
            size += 1
            r, c = divmod(n, columns)
            for m, ok in (
                (n - columns, r > 0),
                (n + columns, n + columns < len(cells)),
                (n - 1, c > 0),
                (n + 1, c + 1 < columns),
            ):
                if ok and cells[m] and m not in seen:
                    seen.add(m)
                    todo.append(m)
        best = max(best, size)
        if stop and best >= stop:
            break
    return best


class CellMotion:
    """Raw motion of one CellMotionDetector rule: MinCount adjacent active cells with motion."""

    def __init__(self, layout: CellLayout, sensitivity: int, active: list[bool], min_count: int):
        self.layout, self.sensitivity = layout, sensitivity
        self.active, self.min_count = active, min_count
        self.cache: dict[tuple[int, ...], bool] = {}

    def __call__(self, boxes: Iterable[Box]) -> bool:
        moving = self.layout.motion(boxes, self.sensitivity)
        hits = tuple(n for n, (m, a) in enumerate(zip(moving, self.active, strict=True)) if m and a)
        if len(hits) < self.min_count:
            return False
        found = self.cache.get(hits)
        if found is None:
            if len(self.cache) > CLUSTERS_CACHED:
                self.cache.clear()
            masked = [False] * self.layout.cells
            for n in hits:
                masked[n] = True
            found = largest_group(masked, self.layout.columns, self.min_count) >= self.min_count
            self.cache[hits] = found
        return found
