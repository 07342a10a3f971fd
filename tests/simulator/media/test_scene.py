"""The panorama and the synthetic objects."""

from __future__ import annotations

import numpy as np

from simulator.camera import SceneObject
from simulator.media import scene


def test_the_panorama_is_deterministic_and_varied():
    a, b = scene.Panorama("cam/VS1", 320, 180), scene.Panorama("cam/VS1", 320, 180)
    assert (a.y == b.y).all() and a.y.shape == (360, 960) and a.u.shape == (180, 480)
    assert not (scene.Panorama("cam/VS2", 320, 180).y == a.y).all()
    columns = a.y[:, ::60].astype(float)
    assert columns.std() > 20  # a real picture, not a flat colour


def test_the_view_follows_pan_tilt_and_zoom():
    p = scene.Panorama("x", 320, 180)
    home = p.view_rect()
    assert (home.x, home.y, home.w, home.h) == (320, 90, 320, 180)
    assert p.view_rect(pan=1).x == 640 and p.view_rect(pan=-1).x == 0
    assert p.view_rect(tilt=1).y == 0 and p.view_rect(tilt=-1).y == 180
    zoomed = p.view_rect(zoom=1)
    assert zoomed.w == 40 and zoomed.x + zoomed.w / 2 == 480
    assert p.to_pixels(0, 0) == (480, 180) and p.to_pixels(1, 1) == (640, 90)


def test_objects_walk_back_and_forth():
    obj = SceneObject(1, [-1.0, 0.0], [1.0, 0.5], period=10)
    assert scene.position(obj, 0) == (-1.0, 0.0)
    assert scene.position(obj, 5) == (0.0, 0.25)
    assert scene.position(obj, 10) == (1.0, 0.5)
    assert np.allclose(scene.position(obj, 15), (0.0, 0.25))
    assert (
        scene.object_class(obj) == "Human"
        and scene.object_class(SceneObject(2, [0, 0], [0, 0])) == "Vehical"
    )
    left, top, right, bottom = scene.box(obj, 5)
    assert left < 0 < right and bottom < 0.25 < top
    assert scene.objects([]) == scene.DEFAULT_SCENE and scene.objects([obj]) == (obj,)
