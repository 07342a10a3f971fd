"""The PTZ motion model: positions follow from elapsed time."""

import pytest

from simulator.ptz_motion import Axis, Motion


def test_it_integrates_velocity_until_the_timeout():
    axis = Axis(-1.0, 1.0, max_speed=0.5)
    axis.move_velocity(t=10.0, velocity=1.0, timeout=1.0)
    assert axis.position(10.5) == pytest.approx(0.25)
    assert axis.moving(10.5)
    assert axis.position(20.0) == pytest.approx(0.5)
    assert not axis.moving(11.01)


def test_it_stops_a_velocity_move_at_the_limit():
    axis = Axis(-1.0, 1.0, max_speed=1.0, pos0=0.9)
    axis.move_velocity(t=0.0, velocity=1.0, timeout=60.0)
    assert axis.position(5.0) == 1.0
    assert not axis.moving(0.2)


def test_it_moves_to_a_target_at_the_requested_speed():
    axis = Axis(0.0, 1.0, max_speed=0.5)
    axis.move_to(t=0.0, target=0.5, speed=0.5)  # 0.25 units/s
    assert axis.position(1.0) == pytest.approx(0.25)
    assert axis.arrival() == pytest.approx(2.0)
    assert axis.position(3.0) == 0.5


def test_it_clamps_targets_into_the_limits():
    axis = Axis(-1.0, 1.0, max_speed=1.0)
    axis.move_to(0.0, 3.0, 1.0)
    assert axis.position(10.0) == 1.0


def test_pan_and_tilt_arrive_together():
    m = Motion.create({"pan": (-1, 1), "tilt": (-1, 1), "zoom": (0, 1)}, (1.0, 1.0))
    m.goto(0.0, 1.0, 0.5, None, 1.0, 1.0)
    assert m.pan.arrival() == pytest.approx(m.tilt.arrival())
    m.stop(0.5)
    assert m.position(5.0) == pytest.approx((0.5, 0.25, 0.0))
    assert not m.pan_tilt_moving(0.6)
