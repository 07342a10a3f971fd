"""The 5x7 OSD font."""

from __future__ import annotations

from simulator.media import font


def test_it_draws_text_at_any_scale():
    one = font.bitmap("A1:")
    assert one.shape == (7, 18)
    assert one[0, 1:4].all() and not one[0, 0]  # the top of the A
    three = font.bitmap("A1:", 3)
    assert three.shape == (21, 54) and (three[::3, ::3] == one).all()


def test_it_maps_lower_case_and_unknown_characters():
    assert (font.bitmap("abc") == font.bitmap("ABC")).all()
    assert (font.bitmap("~") == font.bitmap("\u00e9")).all()  # both unknown: a box
    assert len({font.glyph(c) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}) == 36
