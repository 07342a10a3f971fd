"""PTZ commands, run in order per camera on the web process's event loop.

The PTZ socket (ptz.consumers) hands each command to the camera's `Lane`: one asyncio task per
camera that runs its commands one at a time, in the order they came, with the async ONVIF
client (every call has a deadline, CALL_TIMEOUT). Two rules keep a camera from running away:

- a newer continuous move replaces the ones still waiting (the camera would override them
  anyway), and a stop drops every move still waiting: stop always wins;
- every continuous move carries MOVE_TIMEOUT, so the camera stops by itself if the stop never
  comes (the browser repeats the move while the stick is held).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from channels.db import database_sync_to_async

from cameras.models import Device
from cameras.onvif import OnvifClient, OnvifError
from cameras.onvif import ptz as onvif_ptz
from cameras.onvif.types import PtzPreset
from ptz import geometry
from ptz.models import PtzAction, PtzNode

logger = logging.getLogger(__name__)

MOVE_TIMEOUT = 1.0  # seconds a continuous move lasts unless repeated
CALL_TIMEOUT = 5.0  # deadline of one PTZ call
LANE_IDLE = 30.0  # a lane with nothing to do for this long ends
ABSOLUTE_PT = "PanTiltSpaces/PositionGenericSpace"
ABSOLUTE_ZOOM = "ZoomSpaces/PositionGenericSpace"


@dataclass(frozen=True)
class Target:
    """What a PTZ command needs to know about a camera, read once from the database."""

    device_id: int
    name: str
    host: str
    port: int
    username: str
    password: str
    allow_plaintext: bool
    clock_offset: float
    xaddrs: dict[str, str]
    profile_token: str
    node_id: int
    node_token: str
    home_supported: bool
    max_presets: int
    aux_commands: tuple[str, ...]
    spaces: tuple[str, ...]
    aspect: float = 16 / 9

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
    """The PTZ target of a device: its first profile with a PTZ node; None if it has none."""
    if not isinstance(device_id, int) or isinstance(device_id, bool):
        return None
    device = Device.objects.filter(pk=device_id).first()
    if device is None or not device.has_ptz:
        return None
    profile = device.profiles.exclude(ptz_node_token="").order_by("position").first()
    if profile is None:
        return None
    node = device.ptz_nodes.filter(token=profile.ptz_node_token).first()
    if node is None:
        return None
    return Target(
        device_id=device.pk,
        name=str(device),
        host=device.host,
        port=device.port,
        username=device.username,
        password=device.password,
        allow_plaintext=device.allow_plaintext,
        clock_offset=device.clock_offset,
        xaddrs={name: s["xaddr"] for name, s in device.services.items()},
        profile_token=profile.token,
        node_id=node.pk,
        node_token=node.token,
        home_supported=node.home_supported,
        max_presets=node.max_presets,
        aux_commands=tuple(node.aux_commands),
        spaces=tuple(node.spaces),
        aspect=(profile.width / profile.height) if profile.width and profile.height else 16 / 9,
    )


# -- lanes --------------------------------------------------------------------------------------
Run = Callable[[OnvifClient], Awaitable[Any]]


@dataclass
class Command:
    kind: str  # "move", "stop" or anything else (kept in order, never dropped)
    run: Run
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
        if command.kind in ("move", "stop"):
            for old in [c for c in self.waiting if c.kind == "move"]:
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
    """One lane per camera in this process (and event loop)."""

    def __init__(self) -> None:
        self.lanes: dict[int, Lane] = {}

    def submit(self, target: Target, kind: str, run: Run) -> asyncio.Future[Any]:
        lane = self.lanes.get(target.device_id)
        if lane is None or lane.loop is not asyncio.get_running_loop() or lane.target != target:
            lane = self.lanes[target.device_id] = Lane(target)
        future = lane.submit(Command(kind, run))
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


def submit(
    target: Target, run: Callable[[OnvifClient, Target], Awaitable[Any]]
) -> asyncio.Future[Any]:
    """Any other command, in order behind the ones already waiting."""

    async def bound(client: OnvifClient) -> Any:
        return await run(client, target)

    return lanes.submit(target, "other", bound)


async def status(client: OnvifClient, target: Target) -> dict[str, Any]:
    s = await onvif_ptz.get_status(client, target.profile_token)
    return {"pan": s.pan, "tilt": s.tilt, "zoom": s.zoom, "moving": s.moving}


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


# -- audit -------------------------------------------------------------------------------------
@database_sync_to_async
def audit(
    user: Any, target: Target, action: str, detail: str = "", error: OnvifError | None = None
) -> None:
    PtzAction.objects.create(
        user=user,
        username=user.get_username(),
        device_id=target.device_id,
        camera=target.name,
        action=action,
        detail=detail[:200],
        error=str(error)[:500] if error is not None else "",
    )
