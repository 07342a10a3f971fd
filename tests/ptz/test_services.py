"""What the live page is told about each camera's PTZ and focus controls (no camera calls)."""

from __future__ import annotations

from typing import Any

from cameras.models import Device
from ptz.services import controls_for, focus_sources
from simulator.camera import Camera


def test_focus_controls_only_for_cameras_with_remote_focus_and_only_for_operators(
    fleet_devices: dict[str, tuple[Camera, Device]], operator: Any, viewer: Any
) -> None:
    bullet = fleet_devices["bullet-analytics"][1].pk
    fixed = fleet_devices["audio-cam"][1].pk
    assert set(focus_sources([bullet, fixed])) == {bullet}
    controls = controls_for(operator, [bullet, fixed])
    assert set(controls) == {bullet}  # no PTZ and a fixed focus: nothing to control
    assert controls[bullet]["ptz"] is False and controls[bullet]["focus"] == {"auto": True}
    assert controls_for(viewer, [bullet, fixed]) == {}


def test_a_dome_gets_ptz_and_focus_controls(dome: tuple[Camera, Device], operator: Any) -> None:
    _, device = dome
    controls = controls_for(operator, [device.pk])[device.pk]
    assert controls["ptz"] is True and controls["home"] is True
    assert controls["focus"] == {"auto": True}
