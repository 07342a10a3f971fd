"""Timecode, OSD text formatting and privacy mask rasterisation."""

from __future__ import annotations

import time

import numpy as np
import pytest

from simulator.camera import OSD, Mask
from simulator.media import overlay


def planes(w: int = 640, h: int = 360):
    return (
        np.full((h, w), 100, np.uint8),
        np.full((h // 2, w // 2), 90, np.uint8),
        np.full((h // 2, w // 2), 160, np.uint8),
    )


@pytest.mark.parametrize("width", [320, 640, 1280, 1920, 2560])
def test_the_timecode_reads_back(width):
    y, u, v = planes(width, 360)
    ms = 1_795_522_107_617
    overlay.draw_timecode(y, u, v, ms)
    assert overlay.read_timecode(y) == ms
    assert overlay.unwrap_ms(ms % (1 << 44), ms + 5) == ms


def test_a_damaged_timecode_reads_as_none():
    y, u, v = planes()
    overlay.draw_timecode(y, u, v, 123456789)
    bs = overlay.block_size(640)
    y[:bs, 20 * bs : 21 * bs] = 255 - y[:bs, 20 * bs : 21 * bs]  # flip one bit
    assert overlay.read_timecode(y) is None


def test_it_formats_dates_and_times_like_the_osd_configuration_says():
    when = time.gmtime(1_700_000_000)  # Tue 14 Nov 2023 22:13:20 UTC
    assert overlay.format_time("yyyy-MM-dd", when) == "2023-11-14"
    assert overlay.format_time("M/d/yyyy", when) == "11/14/2023"
    assert overlay.format_time("dddd, MMMM dd, yyyy", when) == "Tuesday, November 14, 2023"
    assert overlay.format_time("hh:mm:ss tt", when) == "10:13:20 PM"
    assert overlay.format_time("H:mm:ss", when) == "22:13:20"
    osd = OSD("o", "v", text_type="DateAndTime", date_format="dd/MM/yyyy", time_format="HH:mm:ss")
    assert overlay.osd_text(osd, 1_700_000_000) == "14/11/2023 22:13:20"


def test_osds_stack_in_their_corner():
    p = planes()
    osds = [
        OSD("a", "v", plain_text="ONE"),
        OSD("b", "v", plain_text="TWO"),
        OSD("c", "v", position="Custom", x=0.0, y=0.0, plain_text="MID"),
    ]
    overlay.draw_osds(p, osds, 0)
    y = p[0]
    top = overlay.block_size(640) + 4
    assert (y[top, 4:20] == overlay.BLACK).all()  # box of the first line
    assert (y[top + 22, 4:20] == overlay.BLACK).all()  # the second one, below
    assert (y[180:190, 320:330] != 100).any()  # the custom one at the centre


def test_masks_fill_their_polygon_only():
    p = planes()
    triangle = Mask("m", "v", [[-1.0, 1.0], [0.0, 1.0], [-1.0, 0.0]], color=[30.0, 128.0, 128.0])
    overlay.draw_masks(p, [triangle, Mask("off", "v", [[0, 0], [1, 0], [1, 1]], enabled=False)])
    y = p[0]
    assert y[10, 10] == 30 and y[170, 300] == 100 and y[10, 310] == 100
    assert (y == 30).sum() == pytest.approx(320 * 180 / 2, rel=0.02)
    pix = planes()
    pix[0][:] = np.arange(640, dtype=np.uint8)[None, :] % 200
    overlay.draw_masks(pix, [Mask("p", "v", [[-1, 1], [1, 1], [1, -1], [-1, -1]], "Pixelated")])
    assert len(np.unique(pix[0][100, :32])) == 2  # 16 px blocks of one value each


def test_osd_text_takes_its_font_colour_and_a_transparent_background_leaves_the_picture():
    p = planes()
    red = [81.0, 90.0, 240.0]
    osd = OSD("a", "v", plain_text="RED", font_color=red, background_transparent=1)
    overlay.draw_osds(p, [osd], 0)
    y, _, v = p
    top = overlay.block_size(640) + 4
    box = y[top : top + 30, 4:60]
    assert (box == 81).any()  # the glyphs in the font's luma
    assert not (box == overlay.BLACK).any()  # and no black box behind them
    assert (v[top // 2 : top // 2 + 15, 2:30] == 240).any()  # with its chroma
    boxed = planes()
    overlay.draw_osds(boxed, [OSD("b", "v", plain_text="BOX", background_color=[235, 128, 128])], 0)
    assert (boxed[0][top, 4:20] == 235).all()  # a white box
