"""Per-camera runtime objects that are not saved state: URLs, auth, motion, events, tasks."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from simulator.auth import Authenticator
from simulator.ptz_motion import Motion

if TYPE_CHECKING:
    from simulator.camera import Camera


class Runtime:
    def __init__(self, camera: Camera) -> None:
        from simulator.events_broker import EventBroker
        from simulator.scene import Scene

        self.camera = camera
        camera.runtime = self
        self.auth = Authenticator(camera)
        self.events = EventBroker(camera)
        self.requests = 0
        self.online = True
        self.server = None  # simulator.server.CameraServer, set when served
        self.tasks: set[asyncio.Task] = set()
        self.motion: dict[str, Motion] = {}
        self.tour_tasks: dict[str, asyncio.Task] = {}
        self.preset_watch: dict[str, tuple[asyncio.TimerHandle, object]] = {}
        self.at_preset: dict[str, str] = {}  # node -> preset token last reached
        self.multicast: set[str] = set()
        self.focus: dict = {}
        self.relay_timers: dict[str, asyncio.TimerHandle] = {}  # monostable relays falling back
        self.scene = Scene(self)  # video source token -> focus Axis (imaging)
        for node in camera.ptz_nodes:
            m = Motion.create(
                {
                    "pan": tuple(node.pan_limits),
                    "tilt": tuple(node.tilt_limits),
                    "zoom": tuple(node.zoom_limits),
                },
                (node.pt_max_speed, node.zoom_max_speed),
            )
            for axis, value in zip(m.axes, node.position or node.home, strict=True):
                axis.pos0 = value
            self.motion[node.token] = m

    @property
    def advertised(self) -> str:
        """host:port that URLs carry (the NAT quirk makes it differ from the real one)."""
        q = self.camera.quirks.advertised_host
        if q:
            return q if ":" in q else f"{q}:{self.camera.port}"
        return f"{self.camera.host}:{self.camera.port}"

    def url(self, path: str) -> str:
        return f"http://{self.advertised}{path}"

    def spawn(self, coro) -> asyncio.Task:
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def close(self) -> None:
        for handle, _ in self.preset_watch.values():
            handle.cancel()
        for timer in self.relay_timers.values():
            timer.cancel()
        tasks = list(self.tasks) + list(self.tour_tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
