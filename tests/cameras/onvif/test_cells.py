"""Cell bitmaps of Annex D: PackBits and base64, and bitmaps that lie."""

from __future__ import annotations

import base64
import random

import pytest

from cameras.onvif import cells

ANNEX_D = bytes.fromhex("ffffff f0f0f0")  # 8 x 6 cells: three rows on, then the left halves


def test_it_encodes_and_decodes_the_annex_d_example() -> None:
    assert cells.pack_bits(ANNEX_D) == bytes.fromhex("feff fef0")
    grid = [True] * 24 + ([True] * 4 + [False] * 4) * 3
    assert cells.encode(grid) == "/v/+8A=="
    assert cells.decode("/v/+8A==", 48) == grid
    assert cells.decode("/v/+8A==", 8, 6) == grid  # a layout's columns and rows


@pytest.mark.parametrize("count", [1, 7, 8, 9, 48, 22 * 18, 2000])
def test_bitmaps_round_trip(count: int) -> None:
    chance = random.Random(count)
    for grid in (
        [True] * count,
        [False] * count,
        [chance.random() < 0.5 for _ in range(count)],
        [k % 300 < 150 for k in range(count)],  # runs longer than one PackBits packet
    ):
        assert cells.decode(cells.encode(grid), count) == grid


def test_packbits_round_trips_runs_and_literals() -> None:
    chance = random.Random(7)
    samples = [
        b"",
        b"\x00",
        b"\x01\x02",
        b"\xaa" * 129 + b"\x00\x01" * 200,
        bytes(chance.randrange(256) for _ in range(1000)),
        bytes(chance.choice(b"\x00\xff") for _ in range(1000)),
    ]
    for data in samples:
        packed = cells.pack_bits(data)
        assert cells.unpack_bits(packed, len(data)) == data
    assert len(cells.pack_bits(b"\x00" * 128)) == 2  # one run packet


def test_a_noop_header_is_skipped_and_padding_is_ignored() -> None:
    packed = b"\x80" + bytes.fromhex("feff fef0") + b"\x00\x00"  # -128, then a trailing literal
    assert cells.decode(base64.b64encode(packed).decode(), 48) == cells.decode("/v/+8A==", 48)


def test_bitmaps_that_lie_read_as_none() -> None:
    short = base64.b64encode(bytes.fromhex("feff")).decode()  # 3 bytes for a 48-cell grid
    cut_literal = base64.b64encode(b"\x05\x01\x02").decode()  # says 6 bytes, has 2
    cut_run = base64.b64encode(b"\xfe").decode()  # a run without its byte
    for text in ("", "!!!", "/v/+8A=", "/v/+8A==\x00", short, cut_literal, cut_run):
        assert cells.decode(text, 48) is None, text
    assert cells.decode("/v/+8A==", 0) is None
    assert cells.decode("/v/+8A==", -8, 6) is None
    assert cells.decode("/v/+8A==", cells.MAX_CELLS + 1) is None
    assert cells.decode(None, 48) is None  # type: ignore[arg-type]
    assert cells.decode("/v/+8A==", "48") is None  # type: ignore[arg-type]


def test_decompression_stops_at_the_grid() -> None:
    bomb = base64.b64encode(b"\x81\xff" * 100_000).decode()  # 12.8 MB if unpacked
    assert cells.decode(bomb, 16) == [True] * 16
