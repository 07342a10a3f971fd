"""End to end: change the camera's state, decode its live H.264 stream with PyAV, compare pixels.

The h264 profile is 640x360; the panorama is drawn from the 1280x720 video source.
"""

from __future__ import annotations

import asyncio
import time

import numpy as np

from simulator.camera import OSD, Mask
from simulator.media import font, overlay

from . import clients

W, H = 640, 360


async def grab(media, token: str = "h264") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Y, U, V planes of a frame decoded from the live stream (third frame after joining)."""
    _, frames = await clients.pyav(clients.url(media.port, token, auth=False), "tcp", 3)
    buf = frames[-1].to_ndarray(format="yuv420p")
    y = buf[:H]
    uv = buf[H:].reshape(-1)
    return y, uv[: W * H // 4].reshape(H // 2, W // 2), uv[W * H // 4 :].reshape(H // 2, W // 2)


def best_shift(a: np.ndarray, b: np.ndarray, limit: int) -> int:
    """The shift s that best matches a[s:] to b[:-s] (negative: the other way)."""
    errors = {}
    for s in range(-limit, limit + 1):
        x, y = (a[s:], b[: len(b) - s]) if s >= 0 else (a[: len(a) + s], b[-s:])
        errors[s] = float(np.abs(x - y).mean())
    return min(errors, key=errors.__getitem__)


def profile_cols(y: np.ndarray) -> np.ndarray:
    return y[60:190].astype(np.float32).mean(axis=0)  # the skyline band


def profile_rows(y: np.ndarray) -> np.ndarray:
    return y[40:320, 100:540].astype(np.float32).mean(axis=1)


async def settle(motion, pan=None, tilt=None, zoom=None) -> None:
    t = time.monotonic()
    motion.goto(t, pan, tilt, zoom, 1.0, 1.0)
    await asyncio.sleep(max(0.0, motion.arrival() - time.monotonic()) + 0.3)


async def test_it_pans_tilts_and_zooms_the_picture(open_media):
    motion = open_media.runtime.motion["PTZ1"]
    home, _, _ = await grab(open_media)
    await settle(motion, pan=0.2)
    panned, _, _ = await grab(open_media)
    # pan 0.2 moves the view by a fifth of the home view: the picture slides 128 px left
    assert abs(best_shift(profile_cols(home), profile_cols(panned), 200) - 128) <= 3
    await settle(motion, pan=0.0, tilt=0.2)
    tilted, _, _ = await grab(open_media)
    # tilt 0.2 raises the view by a tenth of the home view height: the picture slides 36 px down
    assert abs(best_shift(profile_rows(tilted), profile_rows(home), 80) - 36) <= 3
    await settle(motion, tilt=0.0, zoom=1 / 7)  # zoom factor 2
    zoomed, _, _ = await grab(open_media)
    # the zoomed skyline matches the home one magnified about the centre by 2, not by 1.5 or 3
    errors = {
        f: float(np.abs(profile_cols(zoomed) - magnified(profile_cols(home), f)).mean())
        for f in (1.0, 1.5, 2.0, 2.5, 3.0)
    }
    assert min(errors, key=errors.__getitem__) == 2.0, errors


def magnified(profile: np.ndarray, factor: float) -> np.ndarray:
    x = (np.arange(profile.size) + 0.5 - profile.size / 2) / factor + profile.size / 2 - 0.5
    return np.interp(x, np.arange(profile.size), profile)


async def test_it_fills_a_privacy_mask(open_media):
    before, _, _ = await grab(open_media)
    region = (slice(100, 170), slice(170, 310))  # inside x in [-0.5, 0], y in [0, 0.5]
    assert before[region].std() > 8
    open_media.camera.masks.append(
        Mask(
            "Mask_9",
            "VSC1",
            [[-0.5, 0.5], [0.0, 0.5], [0.0, 0.0], [-0.5, 0.0]],
            color=[200.0, 128.0, 128.0],
        )
    )
    after, u, _ = await grab(open_media)
    assert abs(float(after[region].mean()) - 200) < 4 and after[region].std() < 3
    assert abs(float(u[50:85, 85:155].mean()) - 128) < 4
    outside = (slice(200, 300), slice(400, 600))
    assert np.abs(after[outside].astype(int) - before[outside]).mean() < 20


async def test_it_burns_in_osd_text(open_media):
    text = "HELLO 42"
    open_media.camera.osds.append(
        OSD("OSD_9", "VSC1", position="LowerRight", text_type="Plain", plain_text=text)
    )
    y, _, _ = await grab(open_media)
    bits = font.bitmap(text, 2)  # 360 px high: scale 2
    th, tw = bits.shape[0] + 4, bits.shape[1] + 4
    x0, y0 = (W - tw - 4) // 2 * 2, (H - 4 - th) // 2 * 2
    seen = y[y0 + 2 : y0 + 2 + bits.shape[0], x0 + 2 : x0 + 2 + bits.shape[1]] > 128
    assert (seen == bits).mean() > 0.93
    assert bits.sum() > 100


async def test_it_applies_brightness_and_saturation(open_media):
    y0, u0, _ = await grab(open_media)
    imaging = open_media.camera.video_sources[0].imaging
    imaging.brightness, imaging.saturation = 80.0, 0.0
    y1, u1, v1 = await grab(open_media)
    band = (slice(60, 300), slice(0, W))
    assert float(y1[band].mean()) - float(y0[band].mean()) > 25
    assert np.abs(u0.astype(int) - 128).mean() > 5
    assert np.abs(u1[30:150].astype(int) - 128).mean() < 2.5
    assert np.abs(v1[30:150].astype(int) - 128).mean() < 2.5


async def test_it_encodes_the_capture_time_in_every_frame(open_media):
    _, frames = await clients.pyav(clients.url(open_media.port, "h264"), "tcp", 10)
    now = int(time.time() * 1000)
    stamps = [overlay.read_timecode(f.to_ndarray(format="gray")) for f in frames]
    assert None not in stamps
    times = [overlay.unwrap_ms(s, now) for s in stamps]
    assert all(0 <= now - t < 5000 for t in times)
    steps = np.diff(times)
    assert (steps > 0).all() and abs(float(np.median(steps)) - 1000 / 15) < 10
