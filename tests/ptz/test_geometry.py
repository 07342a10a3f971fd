"""Click-to-center and area zoom maths."""

from __future__ import annotations

import pytest

from ptz.geometry import MAX_MAGNIFICATION, center_on, field_of_view, zoom_to_box


def test_the_middle_of_the_picture_does_not_move_the_camera() -> None:
    move = center_on(0.5, 0.5, 0.2, -0.1, 0.3)
    assert (move.pan, move.tilt, move.zoom) == pytest.approx((0.2, -0.1, 0.3))
    assert (move.d_pan, move.d_tilt, move.d_zoom) == pytest.approx((0, 0, 0))


def test_a_click_right_and_up_pans_right_and_tilts_up_by_half_the_view() -> None:
    width, height = field_of_view(0.0, 16 / 9)
    move = center_on(1.0, 0.0, 0.0, 0.0, 0.0)
    assert move.d_pan == pytest.approx(width / 2)
    assert move.d_tilt == pytest.approx(height / 2)


def test_zoomed_in_the_same_click_turns_less() -> None:
    wide, tele = center_on(0.9, 0.5, 0, 0, 0.0), center_on(0.9, 0.5, 0, 0, 1.0)
    assert wide.d_pan == pytest.approx(tele.d_pan * MAX_MAGNIFICATION)


def test_targets_stay_inside_the_generic_space() -> None:
    move = center_on(0.0, 1.0, -0.99, -0.99, 0.0)
    assert (move.pan, move.tilt) == (-1.0, -1.0)


def test_a_box_in_the_lower_left_quarter_centers_on_it_and_doubles_the_magnification() -> None:
    move = zoom_to_box((0.0, 0.5, 0.5, 1.0), 0.0, 0.0, 0.0)
    assert move.d_pan < 0 and move.d_tilt < 0
    assert 1 + move.zoom * (MAX_MAGNIFICATION - 1) == pytest.approx(2.0)


def test_a_box_drawn_backwards_is_the_same_box() -> None:
    assert zoom_to_box((0.5, 1.0, 0.0, 0.5), 0, 0, 0) == zoom_to_box((0.0, 0.5, 0.5, 1.0), 0, 0, 0)


def test_a_tiny_box_is_a_click_and_zoom_never_passes_tele() -> None:
    assert zoom_to_box((0.7, 0.7, 0.705, 0.705), 0, 0, 0.4).zoom == 0.4
    assert zoom_to_box((0.4, 0.4, 0.45, 0.45), 0, 0, 0.9).zoom == 1.0
