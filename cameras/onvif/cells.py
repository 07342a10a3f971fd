"""Cell bitmaps of cell motion detection (IEC 62676-2-31 Annex D): the ActiveCells of a
tt:CellMotionDetector rule and the Cells of tt:MotionInCells in the scene description.

A bitmap holds one bit per cell, 1 = active (or motion), the first cell the upper-left one,
row by row from left to right and top to bottom, the most significant bit of each byte
first, the last byte padded with zeros. It is PackBits-compressed, then base64-encoded:

    >>> encode([True] * 24 + ([True] * 4 + [False] * 4) * 3)     # ff ff ff f0 f0 f0
    '/v/+8A=='
    >>> decode("/v/+8A==", 48)[20:28]
    [True, True, True, True, True, True, True, True]

A camera's bitmap is untrusted: one that is not base64, not PackBits, or too short for the
grid reads as None, never as an exception.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence

MAX_CELLS = 1 << 20  # far more than any camera's grid (a 1080p image in 2x2 pixel cells)
_RUN = 128  # the longest run or literal one PackBits header byte covers


def pack_bits(data: bytes) -> bytes:
    """PackBits: runs of three or more equal bytes as (1 - n, byte), the rest as literals
    (n - 1, n bytes)."""
    out = bytearray()
    literal = bytearray()
    i, size = 0, len(data)
    while i < size:
        run = 1
        while i + run < size and run < _RUN and data[i + run] == data[i]:
            run += 1
        if run >= 3:
            _flush(out, literal)
            out += bytes((257 - run, data[i]))
            i += run
            continue
        literal.append(data[i])
        i += 1
        if len(literal) == _RUN:
            _flush(out, literal)
    _flush(out, literal)
    return bytes(out)


def _flush(out: bytearray, literal: bytearray) -> None:
    if literal:
        out.append(len(literal) - 1)
        out += literal
        literal.clear()


def unpack_bits(data: bytes, size: int) -> bytes | None:
    """The first `size` bytes PackBits `data` decompresses to; None if it ends before them
    or a packet is cut short. Decompression stops at `size` bytes (no bomb gets further)."""
    out = bytearray()
    i = 0
    while len(out) < size:
        if i >= len(data):
            return None
        header = data[i]
        i += 1
        if header < 128:  # a literal of header + 1 bytes
            count = header + 1
            if i + count > len(data):
                return None
            out += data[i : i + count]
            i += count
        elif header > 128:  # a run: the next byte 257 - header times
            if i >= len(data):
                return None
            out += bytes((data[i],)) * (257 - header)
            i += 1
        # 128 (-128) is a no-op
    return bytes(out[:size])


def decode(text: str, columns: int, rows: int = 1) -> list[bool] | None:
    """The `columns * rows` cells of a base64 PackBits bitmap (call it with the cell count,
    or with a layout's columns and rows); None if `text` is not such a bitmap."""
    count = columns * rows if isinstance(columns, int) and isinstance(rows, int) else 0
    if not isinstance(text, str) or not 0 < count <= MAX_CELLS:
        return None
    try:
        packed = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    data = unpack_bits(packed, (count + 7) // 8)
    if data is None:
        return None
    return [bool(data[k >> 3] & (0x80 >> (k & 7))) for k in range(count)]


def encode(cells: Sequence[bool]) -> str:
    """`cells` (row by row from the upper-left one) as a base64 PackBits bitmap."""
    data = bytearray((len(cells) + 7) // 8)
    for k, on in enumerate(cells):
        if on:
            data[k >> 3] |= 0x80 >> (k & 7)
    return base64.b64encode(pack_bits(bytes(data))).decode("ascii")
