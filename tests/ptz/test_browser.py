"""PTZ on the live page in Debian's Chromium, against the simulator's dome, through the gateway."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection
from playwright.sync_api import Locator, Page, expect

from cameras.models import Device
from cameras.onvif import OnvifClient
from cameras.onvif import imaging as onvif_imaging
from frontend.roles import Role
from ptz.control import FOCUS_TIMEOUT, MOVE_TIMEOUT
from ptz.models import PtzAction
from simulator.camera import Camera
from tests import processes
from tests.cameras import test_live as live
from tests.cameras.conftest import ThreadedFleet, add_synced
from tests.cameras.test_live import frames_after, sync_and_close
from tests.ptz.conftest import focus_position, focusing, motion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO = ("ptz-dome", "bullet-analytics", "audio-cam", "dual-sensor")

OPEN_PTZ_SOCKET_AND_MOVE = """(device) => new Promise((resolve) => {
  const socket = new WebSocket(`ws://${location.host}/ws/ptz/`);
  socket.onopen = () => socket.send(JSON.stringify({type: "move", device, pan: 1}));
  socket.onclose = (event) => resolve(event.code);
})"""
OPEN_PTZ_SOCKET_AND_FOCUS = """(device) => new Promise((resolve) => {
  const socket = new WebSocket(`ws://${location.host}/ws/ptz/`);
  socket.onopen = () => {
    socket.send(JSON.stringify({type: "focus", device, action: "far", speed: 1}));
    socket.send(JSON.stringify({type: "focus", device, action: "auto", on: false}));
  };
  socket.onclose = (event) => resolve(event.code);
})"""


@pytest.fixture
def four_cameras() -> Iterator[tuple[dict[str, Camera], dict[str, Device]]]:
    """The four demo cameras, added and synced (each tile of a 4-tile view has one)."""
    with ThreadedFleet() as cameras:
        cameras["audio-cam"].video_sources[0].remote_focus = False  # a fixed-focus lens
        devices = {}
        for name in DEMO:
            device = Device(host=cameras[name].host, port=cameras[name].port, username="admin")
            device.password = "admin"
            device.save()
            devices[name] = device
        # A thread of its own: Playwright's event loop already runs in this one.
        with ThreadPoolExecutor(4) as pool:
            for future in [pool.submit(sync_and_close, d) for d in devices.values()]:
                future.result(60)
        for device in devices.values():
            device.refresh_from_db()
            assert device.status == Device.Status.ONLINE, device.last_error
        with processes.gateway("gw-ptz"):
            yield cameras, devices


def sign_in(page: Page, url: str, role: str) -> None:
    live.sign_in(page, url, role)
    expect(page.get_by_test_id("tile").first).to_be_visible()


def sign_in_alone(page: Page, url: str, role: str, device: Device) -> None:
    """Sign in and open the live page with `device` alone (no video needed to steer it)."""
    live.sign_in(page, url, role)
    expect(page.get_by_test_id("signed-in-user")).to_be_visible()
    page.goto(f"{url}/?camera={device.pk}")
    expect(tile_of(page, device).get_by_test_id("ptz-controls")).to_be_visible()
    expect(tile_of(page, device).get_by_test_id("ptz-message")).to_have_text("", timeout=5_000)


def until(condition: Callable[[], bool], within: float) -> float:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < within, f"not within {within} s"
        time.sleep(0.01)
    return time.monotonic() - started


def still(camera: Camera) -> bool:
    m = motion(camera)
    return not m.pan_tilt_moving() and not m.zoom_moving()


def drag(page: Page, pad: Locator, dx: float, dy: float) -> None:
    """Press in the middle of the video and pull the stick by (dx, dy) pixels; keep holding."""
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y + dy, steps=5)


def test_an_operator_steers_the_dome_from_a_four_tile_view(
    page: Page, asgi_url: str, four_cameras: Any
) -> None:
    cameras, devices = four_cameras
    dome = cameras["ptz-dome"]
    sign_in(page, asgi_url, Role.OPERATOR)
    tiles = page.get_by_test_id("tile")
    expect(tiles).to_have_count(4)
    for index in range(4):
        expect(tiles.nth(index)).to_have_attribute("data-state", "live", timeout=20_000)
        frames_after(tiles.nth(index).locator("video"), page, 1, within=15)
    tile = page.locator(f'[data-testid="tile"][data-device="{devices["ptz-dome"].pk}"]')
    expect(page.get_by_test_id("ptz-controls")).to_have_count(1)  # only the dome has PTZ

    # The joystick: pull right and up, hold (longer than a move's Timeout), release.
    pad = tile.get_by_test_id("ptz-pad")
    drag(page, pad, 150, -60)
    until(lambda: motion(dome).pan_tilt_moving(), within=2)
    time.sleep(MOVE_TIMEOUT + 0.3)  # the held stick keeps the camera going
    assert motion(dome).pan_tilt_moving()
    pan, tilt, _ = motion(dome).position()
    assert pan > 0.1 and tilt > 0.02
    page.mouse.up()
    assert until(lambda: still(dome), within=2) < 0.5

    # A preset: the camera goes there.
    tile.get_by_test_id("ptz-preset").select_option(label="Parking")
    tile.get_by_test_id("ptz-preset-go").click()
    parking = pytest.approx((0.5, -0.3, 0.4), abs=1e-3)
    until(lambda: still(dome) and motion(dome).position() == parking, within=8)

    # Area zoom: a box in the upper right of the picture turns right and up and zooms in.
    before = motion(dome).position()
    tile.get_by_test_id("ptz-area").click()
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.1)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.9, box["y"] + box["height"] * 0.4, steps=4)
    page.mouse.up()
    until(lambda: motion(dome).position() != before and still(dome), within=8)
    after = motion(dome).position()
    assert after[0] > before[0] and after[1] > before[1] and after[2] > before[2]

    # The keyboard: an arrow held moves, released stops.
    pad.focus()
    page.keyboard.down("ArrowLeft")
    until(lambda: motion(dome).pan_tilt_moving(), within=2)
    page.keyboard.up("ArrowLeft")
    assert until(lambda: still(dome), within=2) < 0.5
    # "Zoom -" held zooms out (the area zoom went to full tele), released stops; an aux button
    # runs its command.
    tile.get_by_test_id("ptz-zoom-out").hover()
    page.mouse.down()
    until(lambda: motion(dome).zoom_moving(), within=2)
    page.mouse.up()
    assert until(lambda: still(dome), within=2) < 0.5
    tile.get_by_test_id("ptz-aux").filter(has_text="Wiper on").click()
    until(lambda: dome.ptz_nodes[0].aux_state == {"tt:Wiper": "On"}, within=3)
    actions = list(PtzAction.objects.values_list("username", "action"))
    assert ("operator", "goto_preset") in actions and ("operator", "area_zoom") in actions


def drag_from_the_centre(page: Page, pad: Locator, dx: float) -> None:
    """Press in the middle of the video and pull the stick right by `dx` pixels as a hand does:
    the first pointer move is a pixel from where the press began, then on; keep holding."""
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 1, y)
    page.wait_for_timeout(150)
    page.mouse.move(x + dx, y, steps=8)


@pytest.fixture
def lone_dome() -> Iterator[tuple[Camera, Device]]:
    """The ptz-dome alone, added and synced from a thread (Playwright's loop runs in this one);
    no gateway: steering needs no video."""
    with ThreadedFleet() as cameras, ThreadPoolExecutor(1) as pool:
        camera = cameras["ptz-dome"]
        device = pool.submit(add_and_close, camera).result(60)
        yield camera, device


def add_and_close(camera: Camera) -> Device:
    try:
        return add_synced(camera)
    finally:
        connection.close()


def test_the_audit_log_shows_the_speed_of_a_drag_to_the_right(
    page: Page, asgi_url: str, lone_dome: tuple[Camera, Device]
) -> None:
    camera, device = lone_dome
    sign_in_alone(page, asgi_url, Role.OPERATOR, device)
    pad = tile_of(page, device).get_by_test_id("ptz-pad")
    drag_from_the_centre(page, pad, 200)
    until(lambda: motion(camera).pan_tilt_moving(), within=2)
    time.sleep(0.5)
    page.mouse.up()
    until(lambda: still(camera), within=2)
    until(lambda: PtzAction.objects.filter(action="stop").exists(), within=3)
    moves = list(PtzAction.objects.filter(action="move").values_list("detail", flat=True))
    assert len(moves) == 1, moves  # one row for the drag, not one per renewal
    pan = float(moves[0].split()[1])
    assert pan > 0.2, moves[0]

    page.context.clear_cookies()
    live.sign_in(page, asgi_url, Role.ADMIN)
    page.goto(f"{asgi_url}/ptz/audit/")
    row = page.get_by_test_id("ptz-audit").locator("tbody tr").filter(has_text="Move")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"pan {pan:+.2f} tilt +0.00 zoom +0.00")


def test_a_press_that_stays_in_the_dead_zone_moves_nothing(
    page: Page, asgi_url: str, lone_dome: tuple[Camera, Device]
) -> None:
    camera, device = lone_dome
    sign_in_alone(page, asgi_url, Role.OPERATOR, device)
    pad = tile_of(page, device).get_by_test_id("ptz-pad")
    drag_from_the_centre(page, pad, 2)  # a shaky click: 2 px, well inside the dead zone
    page.wait_for_timeout(600)  # more than a renewal period of a held stick
    page.mouse.up()
    page.wait_for_timeout(300)
    assert still(camera)
    actions = list(PtzAction.objects.values_list("action", "detail"))
    assert actions == [], actions  # no zero-speed move, no stop, no audit rows


def test_losing_focus_or_closing_the_tab_mid_move_stops_the_camera(
    page: Page, asgi_url: str, four_cameras: Any
) -> None:
    cameras, devices = four_cameras
    dome = cameras["ptz-dome"]
    sign_in(page, asgi_url, Role.OPERATOR)
    tile = page.locator(f'[data-testid="tile"][data-device="{devices["ptz-dome"].pk}"]')
    expect(tile.get_by_test_id("ptz-controls")).to_be_visible()
    expect(tile.get_by_test_id("ptz-message")).to_have_text("", timeout=5_000)
    pad = tile.get_by_test_id("ptz-pad")
    drag(page, pad, -150, 0)
    until(lambda: motion(dome).pan_tilt_moving(), within=3)
    page.evaluate("window.dispatchEvent(new Event('blur'))")  # the window lost focus: stop
    assert until(lambda: still(dome), within=2) < 0.5
    page.mouse.up()
    drag(page, pad, -150, 0)
    until(lambda: motion(dome).pan_tilt_moving(), within=3)
    page.close()
    assert until(lambda: still(dome), within=MOVE_TIMEOUT + 0.5) < MOVE_TIMEOUT


def test_a_viewer_sees_video_but_cannot_steer(page: Page, asgi_url: str, four_cameras: Any) -> None:
    cameras, devices = four_cameras
    dome = cameras["ptz-dome"]
    sign_in(page, asgi_url, Role.VIEWER)
    tile = page.locator(f'[data-testid="tile"][data-device="{devices["ptz-dome"].pk}"]')
    expect(tile).to_have_attribute("data-state", "live", timeout=20_000)
    frames_after(tile.locator("video"), page, 1, within=15)
    expect(page.get_by_test_id("ptz-controls")).to_have_count(0)
    expect(page.get_by_test_id("ptz-pad")).to_have_count(0)
    code = page.evaluate(OPEN_PTZ_SOCKET_AND_MOVE, devices["ptz-dome"].pk)
    assert code == 4403
    time.sleep(0.3)
    assert motion(dome).position() == (0.0, 0.0, 0.0)
    assert not PtzAction.objects.exists()


def focus_status(camera: Camera) -> onvif_imaging.FocusStatus:
    """GetStatus of the camera's focus over ONVIF (from a thread: Playwright's loop runs here)."""

    async def ask() -> onvif_imaging.FocusStatus:
        async with OnvifClient(camera.host, camera.port, "admin", "admin") as onvif:
            await onvif.connect()
            return await onvif_imaging.get_status(onvif, "VideoSource_1")

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, ask()).result(10)


def tile_of(page: Page, device: Device) -> Locator:
    return page.locator(f'[data-testid="tile"][data-device="{device.pk}"]')


def test_an_operator_holds_focus_far_and_releases_it(
    page: Page, asgi_url: str, four_cameras: Any
) -> None:
    cameras, devices = four_cameras
    dome = cameras["ptz-dome"]
    sign_in(page, asgi_url, Role.OPERATOR)
    tile = tile_of(page, devices["ptz-dome"])
    # Focus controls only where the imaging service offers focus moves, PTZ or not.
    expect(tile.get_by_test_id("focus-controls")).to_be_visible()
    expect(page.get_by_test_id("focus-controls")).to_have_count(3)
    expect(
        tile_of(page, devices["bullet-analytics"]).get_by_test_id("lens-controls")
    ).to_be_visible()
    expect(tile_of(page, devices["audio-cam"]).get_by_test_id("focus-controls")).to_have_count(0)
    auto = tile.get_by_test_id("focus-auto")
    expect(auto).to_have_attribute("aria-pressed", "true", timeout=5_000)  # read from the camera

    # Hold "Focus far" past the timeout: the focus keeps moving far; release: it stops.
    start = focus_status(dome)
    assert start.move_status == "IDLE" and start.position is not None
    tile.get_by_test_id("focus-far").scroll_into_view_if_needed()
    tile.get_by_test_id("focus-far").hover()
    page.mouse.down()
    until(lambda: focusing(dome), within=2)
    time.sleep(FOCUS_TIMEOUT + 0.3)  # held: the browser renews it, the server does not stop it
    held = focus_status(dome)
    assert held.move_status == "MOVING" and held.position is not None
    assert held.position > start.position + 0.1
    expect(auto).to_have_attribute("aria-pressed", "false")  # manual focus ends auto focus
    page.mouse.up()
    assert until(lambda: not focusing(dome), within=2) < 0.5
    released = focus_status(dome)
    assert released.move_status == "IDLE"
    time.sleep(0.3)
    assert focus_position(dome) == pytest.approx(released.position, abs=1e-3)

    # The keyboard: [ held on the pad focuses near, released stops.
    tile.get_by_test_id("ptz-pad").focus()
    page.keyboard.down("[")
    until(lambda: focusing(dome) and focus_position(dome) < released.position, within=2)
    page.keyboard.up("[")
    assert until(lambda: not focusing(dome), within=2) < 0.5

    # A window blur mid-focus stops it (stop wins); auto focus goes back on from its button.
    tile.get_by_test_id("focus-near").hover()
    page.mouse.down()
    until(lambda: focusing(dome), within=2)
    page.evaluate("window.dispatchEvent(new Event('blur'))")
    assert until(lambda: not focusing(dome), within=2) < 0.5
    page.mouse.up()
    auto.click()
    expect(auto).to_have_attribute("aria-pressed", "true")
    until(lambda: dome.video_sources[0].imaging.focus_mode == "AUTO", within=3)
    actions = [a for a in PtzAction.objects.values_list("action", flat=True)]
    assert {"focus", "focus_stop", "auto_focus"} <= set(actions)


def test_a_viewer_sees_no_focus_controls_and_cannot_focus(
    page: Page, asgi_url: str, four_cameras: Any
) -> None:
    cameras, devices = four_cameras
    dome = cameras["ptz-dome"]
    sign_in(page, asgi_url, Role.VIEWER)
    expect(page.get_by_test_id("tile")).to_have_count(4)
    expect(page.get_by_test_id("focus-controls")).to_have_count(0)
    expect(page.get_by_test_id("focus-far")).to_have_count(0)
    expect(page.get_by_test_id("lens-controls")).to_have_count(0)
    start = focus_status(dome)
    code = page.evaluate(OPEN_PTZ_SOCKET_AND_FOCUS, devices["ptz-dome"].pk)
    assert code == 4403
    time.sleep(0.3)
    after = focus_status(dome)
    assert (after.move_status, after.position) == ("IDLE", start.position)
    assert dome.video_sources[0].imaging.focus_mode == "AUTO"
    assert not PtzAction.objects.exists()


# Headless Chromium has no gamepad: this page gets one whose stick the test moves (the
# Gamepad API is the browser's; what reads it, joystick.js pollGamepads, is the code under test).
FAKE_GAMEPAD = """
window.__pad = { connected: true, axes: [0, 0, 0, 0], buttons: [] };
navigator.getGamepads = () => [window.__pad];
"""
TILT_STICK = """(axes) => {
  window.__pad.axes = axes;
  window.dispatchEvent(new Event("gamepadconnected"));
}"""
PRESS_BUTTON = """([index, pressed]) => {
  const button = (_, i) => ({ pressed: pressed && i === index, value: 0 });
  window.__pad.buttons = Array.from({ length: 8 }, button);
  window.dispatchEvent(new Event("gamepadconnected"));
}"""


def test_a_gamepad_steers_and_focuses_the_focused_tile(
    page: Page, asgi_url: str, four_cameras: Any
) -> None:
    cameras, devices = four_cameras
    dome = cameras["ptz-dome"]
    page.add_init_script(FAKE_GAMEPAD)
    sign_in(page, asgi_url, Role.OPERATOR)
    tile = page.locator(f'[data-testid="tile"][data-device="{devices["ptz-dome"].pk}"]')
    expect(tile).to_have_attribute("data-state", "live", timeout=20_000)
    tile.get_by_test_id("ptz-pad").focus()  # the gamepad steers the last control used
    before = motion(dome).position()
    page.evaluate(TILT_STICK, [0.8, 0, 0, 0])  # stick right
    until(lambda: motion(dome).pan_tilt_moving(), within=2)
    time.sleep(0.5)
    assert motion(dome).position()[0] > before[0]
    page.evaluate(TILT_STICK, [0, 0, 0, 0])  # let go: the stick springs back to the centre
    assert until(lambda: still(dome), within=2) < 0.5
    # The right shoulder button held focuses far; released, the focus stops.
    start = focus_position(dome)
    page.evaluate(PRESS_BUTTON, [5, True])
    until(lambda: focusing(dome) and focus_position(dome) > start, within=2)
    page.evaluate(PRESS_BUTTON, [5, False])
    assert until(lambda: not focusing(dome), within=2) < 0.5
