"""PTZ commands, run in order per camera on the web process's event loop.

The PTZ socket (ptz.consumers) hands each command to the camera's `Lane`: one asyncio task per
camera that runs its commands one at a time, in the order they came, with the async ONVIF
client (every call has a deadline, CALL_TIMEOUT). Two rules keep a camera from running away:

- a newer continuous move replaces the ones still waiting (the camera would override them
  anyway), and a stop drops every move still waiting: stop always wins;
- every continuous move carries MOVE_TIMEOUT, so the camera stops by itself if the stop never
  comes (the browser repeats the move while the stick is held).

Focus (the Imaging service of the camera's video source) runs in the same lane, by the same
rules. An ONVIF continuous focus move has no timeout, so the lane keeps one itself: a focus move
not repeated within FOCUS_TIMEOUT is followed by a focus Stop sent from here.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from channels.db import database_sync_to_async

from cameras.models import Device
from cameras.onvif import OnvifClient, OnvifError
from cameras.onvif import imaging as onvif_imaging
from cameras.onvif import ptz as onvif_ptz
from cameras.onvif import ptz_tours as onvif_tours
from cameras.onvif.types import PtzPreset
from ptz import geometry, positions
from ptz.models import PtzAction, PtzNode
from ptz.services import focus_sources, focusable_sources

logger = logging.getLogger(__name__)

MOVE_TIMEOUT = 1.0  # seconds a continuous move lasts unless repeated
FOCUS_TIMEOUT = MOVE_TIMEOUT  # seconds a continuous focus move lasts unless repeated
FOCUS_SPEED = 0.5  # default focus speed, a fraction of the camera's fastest
CALL_TIMEOUT = 5.0  # deadline of one PTZ call
LANE_IDLE = 30.0  # a lane with nothing to do for this long ends
ABSOLUTE_PT = "PanTiltSpaces/PositionGenericSpace"
ABSOLUTE_ZOOM = "ZoomSpaces/PositionGenericSpace"


@dataclass(frozen=True)
class Target:
    """What a PTZ or focus command needs to know about a camera, read once from the database.

    A camera with remote focus but no PTZ node has no `profile_token` (`ptz` is False)."""

    device_id: int
    name: str
    host: str
    port: int
    username: str
    password: str
    allow_plaintext: bool
    clock_offset: float
    xaddrs: dict[str, str]
    profile_token: str = ""
    node_id: int = 0
    node_token: str = ""
    home_supported: bool = False
    max_presets: int = 0
    max_tours: int = 0
    geo_move: bool = False
    aux_commands: tuple[str, ...] = ()
    spaces: tuple[str, ...] = ()
    space_ranges: tuple[dict[str, Any], ...] = ()  # PtzNode.space_ranges: group, uri, x, y
    aspect: float = 16 / 9
    focus_source: str = ""  # the video source whose focus is moved; "" when none
    focus_speeds: tuple[float, float] = (-1.0, 1.0)  # its continuous focus speed range
    # every video source whose focus can be moved, with its speed range (several sensors)
    lenses: tuple[tuple[str, tuple[float, float]], ...] = ()

    @property
    def ptz(self) -> bool:
        return bool(self.profile_token)

    @property
    def focus(self) -> bool:
        return bool(self.focus_source)

    def focused_on(self, source: object) -> Target | None:
        """This target with the focus of `source` (a video source token; None: the default
        source); None when that source's focus cannot be moved."""
        if source is None or source == self.focus_source:
            return self if self.focus else None
        if not isinstance(source, str) or (speeds := dict(self.lenses).get(source)) is None:
            return None
        return replace(self, focus_source=source, focus_speeds=speeds)

    @property
    def connection(self) -> tuple[Any, ...]:
        """What the camera's client is made of: targets with the same share a lane."""
        return (
            self.host, self.port, self.username, self.password, self.allow_plaintext,
            self.clock_offset, tuple(sorted(self.xaddrs.items())),
        )  # fmt: skip

    @property
    def absolute(self) -> bool:
        return any(s.endswith(ABSOLUTE_PT) for s in self.spaces) and any(
            s.endswith(ABSOLUTE_ZOOM) for s in self.spaces
        )

    def client(self) -> OnvifClient:
        client = OnvifClient(
            self.host,
            self.port,
            self.username,
            self.password,
            timeout=CALL_TIMEOUT,
            allow_plaintext=self.allow_plaintext,
            clock_offset=self.clock_offset,
        )
        client.use_services(self.xaddrs)
        return client


def load_target(device_id: object) -> Target | None:
    """The target of a device: its first profile with a PTZ node, and the video source whose
    focus moves (ptz.services.focus_sources); None if it has neither."""
    if not isinstance(device_id, int) or isinstance(device_id, bool):
        return None
    device = Device.objects.filter(pk=device_id).first()
    if device is None:
        return None
    target = Target(
        device_id=device.pk,
        name=str(device),
        host=device.host,
        port=device.port,
        username=device.username,
        password=device.password,
        allow_plaintext=device.allow_plaintext,
        clock_offset=device.clock_offset,
        xaddrs={name: s["xaddr"] for name, s in device.services.items()},
    )
    profile = device.profiles.exclude(ptz_node_token="").order_by("position").first()
    node = device.ptz_nodes.filter(token=profile.ptz_node_token).first() if profile else None
    if device.has_ptz and profile is not None and node is not None:
        target = replace(
            target,
            profile_token=profile.token,
            node_id=node.pk,
            node_token=node.token,
            home_supported=node.home_supported,
            max_presets=node.max_presets,
            max_tours=node.max_tours,
            geo_move=node.geo_move,
            aux_commands=tuple(node.aux_commands),
            spaces=tuple(node.spaces),
            space_ranges=tuple(node.space_ranges),
            aspect=(profile.width / profile.height) if profile.width and profile.height else 16 / 9,
        )
    focusable = focusable_sources([device.pk])
    lenses = tuple(
        (s.token, s.continuous_focus)
        for s in focusable.get(device.pk, [])
        if s.continuous_focus is not None  # always (focusable_sources); for the type
    )
    target = replace(target, lenses=lenses)
    source = focus_sources([device.pk], focusable).get(device.pk)
    speeds = source.continuous_focus if source is not None else None
    if source is not None and speeds is not None:
        target = replace(target, focus_source=source.token, focus_speeds=speeds)
    return target if target.ptz or target.focus or target.lenses else None


# -- lanes --------------------------------------------------------------------------------------
Run = Callable[[OnvifClient], Awaitable[Any]]


# A command of the key kind drops the waiting commands of the kinds it names.
OVERTAKES = {
    "move": ("move",),
    "stop": ("move",),
    "focus_move": ("focus_move",),
    "focus_stop": ("focus_move",),
}


@dataclass
class Command:
    kind: str  # a key of OVERTAKES, or anything else (kept in order, never dropped)
    run: Run
    scope: str = ""  # what it acts on: a focus command overtakes those of the same lens only
    done: asyncio.Future[Any] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class Lane:
    """The command queue of one camera and the task that works through it."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.client = target.client()
        self.loop = asyncio.get_running_loop()
        self.waiting: deque[Command] = deque()
        self.wake = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    def submit(self, command: Command) -> asyncio.Future[Any]:
        overtaken = OVERTAKES.get(command.kind, ())
        for old in [c for c in self.waiting if c.kind in overtaken and c.scope == command.scope]:
            self.waiting.remove(old)
            old.done.set_result(None)  # overtaken: the camera would have overridden it
        self.waiting.append(command)
        self.wake.set()
        return command.done

    async def work(self, on_idle: Callable[[Lane], None]) -> None:
        try:
            while True:
                if not self.waiting:
                    self.wake.clear()
                    try:
                        await asyncio.wait_for(self.wake.wait(), LANE_IDLE)
                    except TimeoutError:
                        if not self.waiting:
                            return
                command = self.waiting.popleft()
                try:
                    command.done.set_result(await command.run(self.client))
                except Exception as exc:  # noqa: BLE001  (handed to whoever waits)
                    command.done.set_exception(exc)
                    command.done.exception()  # retrieved: nobody may wait for an overtaken one
        finally:
            on_idle(self)
            for command in self.waiting:
                command.done.cancel()


class Lanes:
    """One lane per camera in this process (and event loop), and the focus watchdogs."""

    def __init__(self) -> None:
        self.lanes: dict[int, Lane] = {}
        self.watchdogs: dict[tuple[int, str], asyncio.TimerHandle] = {}  # per camera and lens

    def watch(self, target: Target, expire: Callable[[], object] | None) -> None:
        """Call `expire` in FOCUS_TIMEOUT seconds unless watched again (None: stop watching)."""
        key = (target.device_id, target.focus_source)
        old = self.watchdogs.pop(key, None)
        if old is not None:
            old.cancel()
        if expire is not None:
            loop = asyncio.get_running_loop()
            self.watchdogs[key] = loop.call_later(FOCUS_TIMEOUT, self._expire, key, expire)

    def _expire(self, key: tuple[int, str], expire: Callable[[], object]) -> None:
        self.watchdogs.pop(key, None)
        expire()

    def submit(self, target: Target, kind: str, run: Run, scope: str = "") -> asyncio.Future[Any]:
        lane = self.lanes.get(target.device_id)
        if (
            lane is None
            or lane.loop is not asyncio.get_running_loop()
            or lane.target.connection != target.connection
        ):
            lane = self.lanes[target.device_id] = Lane(target)
        future = lane.submit(Command(kind, run, scope))
        if lane.task is None:
            lane.task = asyncio.create_task(lane.work(self._forget), name=f"ptz-{target.name}")
        return future

    def _forget(self, lane: Lane) -> None:
        if self.lanes.get(lane.target.device_id) is lane:
            del self.lanes[lane.target.device_id]


lanes = Lanes()


# -- the commands -------------------------------------------------------------------------------
def velocity(value: object) -> float | None:
    """A velocity axis from the browser: a number clamped to [-1, 1], or None (left out)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return None
    return geometry.clamp(float(value), -1.0, 1.0)


def continuous_move(
    target: Target, pan: float | None, tilt: float | None, zoom: float | None
) -> asyncio.Future[Any]:
    async def run(client: OnvifClient) -> None:
        await onvif_ptz.continuous_move(
            client, target.profile_token, pan, tilt, zoom, timeout=MOVE_TIMEOUT
        )

    return lanes.submit(target, "move", run)


def stop(target: Target) -> asyncio.Future[Any]:
    async def run(client: OnvifClient) -> None:
        await onvif_ptz.stop(client, target.profile_token)

    return lanes.submit(target, "stop", run)


# -- focus --------------------------------------------------------------------------------------
def focus_speed(target: Target, direction: str, speed: float) -> float:
    """A signed continuous focus speed: `speed` (0..1) of the camera's fastest towards near
    (negative) or far (positive)."""
    slowest, fastest = target.focus_speeds
    near = slowest if slowest < 0 else -fastest
    return round(speed * (near if direction == "near" else fastest), 4)


def focus_move(target: Target, speed: float) -> asyncio.Future[Any]:
    """A continuous focus move, stopped from here after FOCUS_TIMEOUT unless repeated."""

    async def run(client: OnvifClient) -> None:
        await onvif_imaging.move(client, target.focus_source, onvif_imaging.ContinuousFocus(speed))

    future = lanes.submit(target, "focus_move", run, target.focus_source)
    lanes.watch(target, lambda: _expired(target))
    return future


def _expired(target: Target) -> None:
    logger.info("%s: focus move not repeated for %s s, stopping it", target.name, FOCUS_TIMEOUT)
    focus_stop(target).add_done_callback(_ignore)


def _ignore(future: asyncio.Future[Any]) -> None:
    if not future.cancelled() and future.exception() is not None:
        logger.warning("focus stop after the timeout failed: %s", future.exception())


def focus_stop(target: Target) -> asyncio.Future[Any]:
    async def run(client: OnvifClient) -> None:
        await onvif_imaging.stop(client, target.focus_source)

    lanes.watch(target, None)
    return lanes.submit(target, "focus_stop", run, target.focus_source)


async def auto_focus(client: OnvifClient, target: Target, on: bool) -> dict[str, Any]:
    await onvif_imaging.set_imaging_settings(client, target.focus_source, auto_focus=on)
    return {"auto": on, "source": target.focus_source}


async def focus_status(client: OnvifClient, target: Target) -> dict[str, Any]:
    s = await onvif_imaging.get_status(client, target.focus_source)
    settings = await onvif_imaging.get_imaging_settings(client, target.focus_source)
    return {
        "source": target.focus_source, "position": s.position, "moving": s.moving,
        "auto": settings.auto,
    }  # fmt: skip


Read = Callable[[OnvifClient, "Target"], Awaitable[Any]]  # a command of the camera's lane


def submit(target: Target, run: Read) -> asyncio.Future[Any]:
    """Any other command, in order behind the ones already waiting."""

    async def bound(client: OnvifClient) -> Any:
        return await run(client, target)

    return lanes.submit(target, "other", bound)


async def status(client: OnvifClient, target: Target) -> dict[str, Any]:
    s = await onvif_ptz.get_status(client, target.profile_token)
    return {"pan": s.pan, "tilt": s.tilt, "zoom": s.zoom, "moving": s.moving, "error": s.error}


def _point_move(
    target: Target, where: Callable[[float, float, float], geometry.Move]
) -> Callable[[OnvifClient, Target], Awaitable[dict[str, float]]]:
    async def run(client: OnvifClient, target: Target) -> dict[str, float]:
        s = await onvif_ptz.get_status(client, target.profile_token)
        move = where(s.pan or 0.0, s.tilt or 0.0, s.zoom or 0.0)
        if target.absolute and s.pan is not None and s.zoom is not None:
            await onvif_ptz.absolute_move(
                client, target.profile_token, move.pan, move.tilt, move.zoom
            )
        else:
            zoom = move.d_zoom or None
            await onvif_ptz.relative_move(
                client, target.profile_token, move.d_pan, move.d_tilt, zoom
            )
        return {"pan": move.pan, "tilt": move.tilt, "zoom": move.zoom}

    return run


def center(target: Target, x: float, y: float) -> asyncio.Future[Any]:
    return submit(
        target,
        _point_move(target, lambda p, t, z: geometry.center_on(x, y, p, t, z, target.aspect)),
    )


def area_zoom(target: Target, box: tuple[float, float, float, float]) -> asyncio.Future[Any]:
    return submit(
        target,
        _point_move(target, lambda p, t, z: geometry.zoom_to_box(box, p, t, z, target.aspect)),
    )


# -- typed moves: a position or a step in any space, a place (GeoMove) ---------------------------
def move_to(target: Target, move: positions.TypedMove) -> asyncio.Future[Any]:
    async def run(client: OnvifClient, target: Target) -> None:
        send = onvif_ptz.absolute_move if move.mode == "absolute" else onvif_ptz.relative_move
        await send(
            client,
            target.profile_token,
            move.pan,
            move.tilt,
            move.zoom,
            speed=move.speed,
            pan_tilt_space=move.pan_tilt_space,
            zoom_space=move.zoom_space,
        )

    return submit(target, run)


def geo_move(target: Target, place: positions.GeoTarget) -> asyncio.Future[Any]:
    async def run(client: OnvifClient, target: Target) -> None:
        await onvif_ptz.geo_move(
            client,
            target.profile_token,
            lon=place.longitude,
            lat=place.latitude,
            elevation=place.elevation,
            area_width=place.area_width,
            area_height=place.area_height,
        )

    return submit(target, run)


# -- presets --------------------------------------------------------------------------------------
@database_sync_to_async
def store_presets(node_id: int, presets: list[PtzPreset]) -> list[dict[str, Any]]:
    node = PtzNode.objects.get(pk=node_id)
    node.presets.exclude(token__in=[p.token for p in presets]).delete()
    for p in presets:
        node.presets.update_or_create(
            token=p.token, defaults={"name": p.name, "pan": p.pan, "tilt": p.tilt, "zoom": p.zoom}
        )
    return preset_list(node)


def preset_list(node: PtzNode) -> list[dict[str, Any]]:
    return [{"token": p.token, "name": p.name} for p in node.presets.all()]


def preset_change(
    change: Callable[[OnvifClient, str], Awaitable[Any]],
) -> Callable[[OnvifClient, Target], Awaitable[list[dict[str, Any]]]]:
    """A preset change, then the camera's presets read back and stored."""

    async def run(client: OnvifClient, target: Target) -> list[dict[str, Any]]:
        await change(client, target.profile_token)
        presets = await onvif_ptz.get_presets(client, target.profile_token)
        return await store_presets(target.node_id, presets)

    return run


# -- presets, home and auxiliary commands (in order behind the moves waiting) -------------------
def goto_preset(target: Target, token: str) -> asyncio.Future[Any]:
    return submit(target, lambda c, t: onvif_ptz.goto_preset(c, t.profile_token, token))


def set_preset(target: Target, name: str | None, token: str | None = None) -> asyncio.Future[Any]:
    """Save the position as a new preset (no token) or over `token`; answers the preset list."""
    return submit(target, preset_change(lambda c, p: onvif_ptz.set_preset(c, p, name, token)))


def remove_preset(target: Target, token: str) -> asyncio.Future[Any]:
    return submit(target, preset_change(lambda c, p: onvif_ptz.remove_preset(c, p, token)))


def goto_home(target: Target) -> asyncio.Future[Any]:
    return submit(target, lambda c, t: onvif_ptz.goto_home_position(c, t.profile_token))


def set_home(target: Target) -> asyncio.Future[Any]:
    return submit(target, lambda c, t: onvif_ptz.set_home_position(c, t.profile_token))


def auxiliary_command(target: Target, command: str) -> asyncio.Future[Any]:
    return submit(
        target, lambda c, t: onvif_ptz.send_auxiliary_command(c, t.profile_token, command)
    )


# -- preset tours (clause 8.9): listed with their state, started, paused, stopped ---------------
TOUR_OPERATIONS = {"start": "Start", "pause": "Pause", "stop": "Stop"}


@database_sync_to_async
def preset_names(node_id: int) -> dict[str, str]:
    return dict(PtzNode.objects.get(pk=node_id).presets.values_list("token", "name"))


async def tour_list(client: OnvifClient, target: Target) -> list[dict[str, Any]]:
    """The camera's tours and where each is: [{token, name, state, spot}]."""
    tours = await onvif_tours.get_preset_tours(client, target.profile_token)
    names = await preset_names(target.node_id)

    def spot(tour: onvif_tours.PresetTour) -> str:
        current = tour.current
        return current.named(names) if current is not None and tour.state != "Idle" else ""

    return [
        {"token": t.token, "name": t.name or t.token, "state": t.state, "spot": spot(t)}
        for t in tours
    ]


def operate_tour(target: Target, token: str, action: str) -> asyncio.Future[Any]:
    """Start (or resume), pause or stop a tour; answers the tours as they are after it."""

    async def run(client: OnvifClient, target: Target) -> list[dict[str, Any]]:
        await onvif_tours.operate_preset_tour(
            client, target.profile_token, token, TOUR_OPERATIONS[action]
        )
        return await tour_list(client, target)

    return submit(target, run)


# -- audit -------------------------------------------------------------------------------------
@database_sync_to_async
def audit(
    user: Any, target: Target, action: str, detail: str = "", error: OnvifError | None = None
) -> int:
    """Write an audit row; its id."""
    return PtzAction.objects.create(
        user=user,
        username=user.get_username(),
        device_id=target.device_id,
        camera=target.name,
        action=action,
        detail=detail[:200],
        error=str(error)[:500] if error is not None else "",
    ).pk
