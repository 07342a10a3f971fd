"""The renderer, without encoding: PTZ viewport, objects, imaging."""

from __future__ import annotations

import numpy as np

from simulator.media import scene
from simulator.media.render import Renderer, imaging_luts, split

from .conftest import make_camera


def renderer():
    camera = make_camera()
    from simulator.runtime import Runtime

    Runtime(camera)
    pano = scene.Panorama("r", 640, 360)
    return camera, Renderer(camera, camera.video_sources[0], lambda: pano)


def test_it_renders_yuv420p_frames_and_caches_the_background():
    camera, r = renderer()
    buf = r.render(320, 180, utc=1000.0)
    assert buf.shape == (270, 320) and buf.dtype == np.uint8
    key = r.cache_key
    r.render(320, 180, utc=1000.5)
    assert r.cache_key == key  # the PTZ did not move
    camera.runtime.motion["PTZ1"].pan.pos0 = 0.5
    r.render(320, 180, utc=1001.0)
    assert r.cache_key != key


def test_objects_move_with_time():
    _, r = renderer()
    a, b = r.render(320, 180, utc=1000.0), r.render(320, 180, utc=1003.0)
    diff = np.abs(a[20:180].astype(int) - b[20:180]) > 30  # below the timecode row
    assert 20 < diff.sum() < 320 * 160 * 0.2


def test_imaging_lookup_tables():
    camera, _ = renderer()
    img = camera.video_sources[0].imaging
    assert imaging_luts(img) is None
    img.contrast = 100.0
    y, uv = imaging_luts(img)
    assert y[128] == 128 and y[100] == 72 and uv[140] == 140
    img.contrast, img.saturation = 50.0, 0.0
    y, uv = imaging_luts(img)
    assert (uv == 128).all() and y[77] == 77


def test_split_gives_views_into_the_buffer():
    buf = np.zeros((270, 320), np.uint8)
    y, u, v = split(buf, 320, 180)
    y[:] = 1
    u[:] = 2
    v[:] = 3
    assert (buf[:180] == 1).all() and (buf[180:225] == 2).all() and (buf[225:] == 3).all()
