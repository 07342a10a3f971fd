"""The PTZ socket, /ws/ptz/: operators steer cameras; viewers are refused at the handshake.

From the browser (each may carry an "id", echoed in the answer):
  {"type": "move", "device": id, "pan": v, "tilt": v, "zoom": v}   velocities in [-1, 1]
  {"type": "stop", "device": id}
  {"type": "center", "device": id, "x": fx, "y": fy}               picture fractions
  {"type": "area", "device": id, "box": [x0, y0, x1, y1]}          picture fractions
  {"type": "preset", "device": id, "action": "goto" | "save" | "update" | "remove",
   "token"?: str, "name"?: str}
  {"type": "home", "device": id, "action": "goto" | "set"}
  {"type": "aux", "device": id, "command": "tt:Wiper|On"}
  {"type": "status", "device": id}
  {"type": "goto", "device": id, "mode": "absolute" | "relative", "pan"?, "tilt"?, "zoom"?,
   "pan_tilt_space"?: uri, "zoom_space"?: uri, "speed"?}   in the node's spaces (ptz.positions)
  {"type": "geo", "device": id, "latitude", "longitude", "elevation"?, "area_width"?,
   "area_height"?}                                          GeoMove, where the node offers it
  {"type": "tour", "device": id, "action": "list"}
  {"type": "tour", "device": id, "action": "start" | "pause" | "stop", "token": str}
  {"type": "focus", "device": id, "action": "near" | "far", "speed"?: s}   s in (0, 1]
  {"type": "focus", "device": id, "action": "stop"}
  {"type": "focus", "device": id, "action": "auto", "on": true | false}
  {"type": "focus", "device": id, "action": "status"}
  (a focus message may name the lens, "source": a video source token; without it the camera's
  focus source: the first PTZ profile's, else the first profile's)
To the browser: {"type": "done", "id", "device", "action", ...}, {"type": "presets", "device",
"presets": [{"token", "name"}]}, {"type": "tours", "device", "tours": [{"token", "name",
"state", "spot"}]} (after a tour operation too), {"type": "status", "device", "pan", "tilt",
"zoom", "moving"}, {"type": "focus", "device", "source", "position", "moving", "auto"} and {"type":
"error", "id", "device"?, "message", "permanent"}.

Focus moves (the Imaging service of the camera's video source) go through the same lane as
PTZ; a near/far move lasts FOCUS_TIMEOUT unless repeated (ptz.control sends the Stop).
Closing the socket stops every camera it moved or focused. A continuous move and its renewals
until the stop are one audit row with the strongest velocities asked (ptz.moves).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Coroutine
from typing import Any

from channels.db import database_sync_to_async

from cameras.onvif import OnvifError
from frontend.roles import OPERATE_PTZ
from ptz import control, moves, positions
from ptz.control import Target
from ptz.models import PtzAction
from vms.websocket import CLOSE_FORBIDDEN, GENERIC_ERROR, JsonConsumer

logger = logging.getLogger(__name__)
Action = PtzAction.Action
HANDLED = (
    "move", "stop", "center", "area", "goto", "geo", "preset", "home", "aux", "status", "tour",
    "focus",
)  # fmt: skip
TOUR_ACTIONS = {
    "start": PtzAction.Action.TOUR_START,
    "pause": PtzAction.Action.TOUR_PAUSE,
    "stop": PtzAction.Action.TOUR_STOP,
}
NO_PTZ = "This camera has no PTZ control (or is not added and synced)."
NO_FOCUS = "This camera has no remote focus (or is not added and synced)."
NO_LENS = "This video source of the camera has no remote focus (or is not synced)."


def fraction(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        return None
    return float(value)


class PtzConsumer(JsonConsumer):
    allowed = False
    targets: dict[int, Target]
    moving: dict[int, moves.Drag]  # the continuous move of each camera it moves
    focusing: dict[tuple[int, str], Target]  # the lenses it focuses, by camera and source
    reports: set[asyncio.Task[None]]

    async def connect(self) -> None:
        self.targets, self.moving, self.focusing, self.reports = {}, {}, {}, set()
        self.allowed = await database_sync_to_async(self.scope["user"].has_perm)(OPERATE_PTZ)
        await self.accept()  # then closed at once: a refused handshake would not carry the reason
        if not self.allowed:
            await self.close(code=CLOSE_FORBIDDEN)

    async def disconnect(self, code: int) -> None:
        """Tab closed, network lost: every camera this socket moved or focused is stopped."""
        moved = [self.targets[device_id] for device_id in self.moving]
        focused = list(self.focusing.values())
        for target in moved:
            self.end_move(target.device_id)
        self.focusing.clear()
        for started, stop, action in (
            (moved, control.stop, Action.STOP),
            (focused, control.focus_stop, Action.FOCUS_STOP),
        ):
            for target in started:
                self.report(
                    stop(target),
                    {"device": target.device_id},
                    target,
                    action,
                    "connection closed",
                )

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not self.allowed:  # a refused handshake: nothing it sends is obeyed
            await self.close(code=CLOSE_FORBIDDEN)
            return
        kind = content.get("type") if isinstance(content, dict) else None
        if kind not in HANDLED:
            await self.error(
                content, f"Send a JSON object whose type is one of: {', '.join(HANDLED)}."
            )
            return
        target = await self.target(content.get("device"))
        if kind == "focus":
            lens = target.focused_on(content.get("source")) if target is not None else None
            if lens is None:
                await self.error(content, NO_LENS if "source" in content else NO_FOCUS)
            else:
                await self.do_focus(content, lens)
            return
        if target is None or not target.ptz:
            await self.error(content, NO_PTZ)
            return
        await getattr(self, f"do_{kind}")(content, target)

    async def target(self, device_id: object) -> Target | None:
        if isinstance(device_id, int) and device_id in self.targets:
            return self.targets[device_id]
        target = await database_sync_to_async(control.load_target)(device_id)
        if target is not None:
            self.targets[target.device_id] = target
        return target

    # -- one handler per message type ----------------------------------------------------------
    async def do_move(self, content: dict[str, Any], target: Target) -> None:
        pan, tilt, zoom = (control.velocity(content.get(axis)) for axis in ("pan", "tilt", "zoom"))
        if pan is None and tilt is None and zoom is None:
            await self.error(content, 'A move needs "pan", "tilt" or "zoom" between -1 and 1.')
            return
        drag = self.moving.get(target.device_id)
        first = drag is None
        if drag is None:
            drag = self.moving[target.device_id] = moves.Drag()
        drag.ask(pan, tilt, zoom)
        self.report(
            control.continuous_move(target, pan, tilt, zoom),
            content,
            target,
            Action.MOVE if first else None,
            drag.detail,
            quiet=True,
            drag=drag if first else None,
        )

    async def do_stop(self, content: dict[str, Any], target: Target) -> None:
        self.end_move(target.device_id)
        self.report(control.stop(target), content, target, Action.STOP)

    def end_move(self, device_id: int) -> None:
        """The camera's continuous move is over: its audit row gets the strongest velocities."""
        drag = self.moving.pop(device_id, None)
        if drag is not None:
            self.background(moves.record(drag))

    async def do_center(self, content: dict[str, Any], target: Target) -> None:
        x, y = fraction(content.get("x")), fraction(content.get("y"))
        if x is None or y is None:
            await self.error(content, 'Click-to-center needs "x" and "y" between 0 and 1.')
            return
        self.report(
            control.center(target, x, y), content, target, Action.CENTER, f"{x:.2f}, {y:.2f}"
        )

    async def do_area(self, content: dict[str, Any], target: Target) -> None:
        box = content.get("box")
        corners = [fraction(v) for v in box] if isinstance(box, list) and len(box) == 4 else []
        if len(corners) != 4 or any(c is None for c in corners):
            await self.error(content, 'Area zoom needs "box": [x0, y0, x1, y1] between 0 and 1.')
            return
        x0, y0, x1, y1 = (float(c or 0) for c in corners)
        detail = f"{x0:.2f}, {y0:.2f} - {x1:.2f}, {y1:.2f}"
        self.report(
            control.area_zoom(target, (x0, y0, x1, y1)), content, target, Action.AREA_ZOOM, detail
        )

    async def do_goto(self, content: dict[str, Any], target: Target) -> None:
        try:
            move = positions.typed_move(list(target.space_ranges), content)
        except positions.MoveRefused as refused:
            await self.error(content, str(refused), device=target.device_id)
            return
        action = Action.ABSOLUTE_MOVE if move.mode == "absolute" else Action.RELATIVE_MOVE
        self.report(control.move_to(target, move), content, target, action, move.detail)

    async def do_geo(self, content: dict[str, Any], target: Target) -> None:
        if not target.geo_move:
            await self.error(content, "This camera does not point at places (no GeoMove).")
            return
        try:
            place = positions.geo_target(content)
        except positions.MoveRefused as refused:
            await self.error(content, str(refused), device=target.device_id)
            return
        self.report(control.geo_move(target, place), content, target, Action.GEO_MOVE, place.detail)

    async def do_preset(self, content: dict[str, Any], target: Target) -> None:
        action, token, name = content.get("action"), content.get("token"), content.get("name")
        token = token if isinstance(token, str) and token else None
        name = name.strip()[:64] if isinstance(name, str) and name.strip() else None
        if target.max_presets == 0:
            await self.error(content, "This camera has no presets.")
            return
        label = name or token or ""

        def change(future: asyncio.Future[Any], what: str) -> None:
            """A preset change, audited; the browsers get the new preset list."""
            self.report(future, content, target, what, label, reply="presets")

        if action == "goto" and token:
            self.report(
                control.goto_preset(target, token), content, target, Action.GOTO_PRESET, label
            )
        elif action == "save" and name:
            change(control.set_preset(target, name), Action.SET_PRESET)
        elif action == "update" and token:
            what = Action.RENAME_PRESET if name else Action.SET_PRESET
            change(control.set_preset(target, name, token), what)
        elif action == "remove" and token:
            change(control.remove_preset(target, token), Action.REMOVE_PRESET)
        else:
            await self.error(
                content,
                'Presets: "goto", "update" and "remove" need a "token"; "save" needs a "name".',
            )

    async def do_home(self, content: dict[str, Any], target: Target) -> None:
        if not target.home_supported:
            await self.error(content, "This camera has no home position.")
        elif content.get("action") == "goto":
            self.report(control.goto_home(target), content, target, Action.GOTO_HOME)
        elif content.get("action") == "set":
            self.report(control.set_home(target), content, target, Action.SET_HOME)
        else:
            await self.error(content, 'Home: "action" is "goto" or "set".')

    async def do_aux(self, content: dict[str, Any], target: Target) -> None:
        command = content.get("command")
        if command not in target.aux_commands:
            offered = ", ".join(target.aux_commands) or "none"
            await self.error(
                content, f"This camera does not offer that command (it offers: {offered})."
            )
            return
        future = control.auxiliary_command(target, str(command))
        self.report(future, content, target, Action.AUX, str(command))

    async def do_status(self, content: dict[str, Any], target: Target) -> None:
        await self.read(content, target, control.status, "status")

    async def read(
        self, content: dict[str, Any], target: Target, run: control.Read, kind: str
    ) -> None:
        """A read from the camera (in its lane), answered as a `kind` message: the answer's
        fields, or {kind: answer} for a list; the camera's refusal as an error."""
        try:
            answer = await control.submit(target, run)
        except OnvifError as exc:
            await self.error(content, exc.message, permanent=exc.permanent, device=target.device_id)
            return
        body = answer if isinstance(answer, dict) else {kind: answer}
        await self.send_json(
            {"type": kind, "id": content.get("id"), "device": target.device_id} | body
        )

    async def do_tour(self, content: dict[str, Any], target: Target) -> None:
        action, token = content.get("action"), content.get("token")
        if target.max_tours == 0:
            await self.error(content, "This camera keeps no preset tours.")
        elif action == "list":
            await self.read(content, target, control.tour_list, "tours")
        elif action in TOUR_ACTIONS and isinstance(token, str) and token:
            name = content.get("name")
            label = name[:64] if isinstance(name, str) and name else token
            future = control.operate_tour(target, token, str(action))
            self.report(future, content, target, TOUR_ACTIONS[str(action)], label, reply="tours")
        else:
            await self.error(
                content, 'Tours: "action" is "list", or "start", "pause" or "stop" with a "token".'
            )

    async def do_focus(self, content: dict[str, Any], target: Target) -> None:
        action = content.get("action")
        lens = (target.device_id, target.focus_source)
        which = f" {target.focus_source}" if len(target.lenses) > 1 else ""  # for the audit
        if action in ("near", "far"):
            speed = content.get("speed", control.FOCUS_SPEED)
            share = fraction(speed)
            if not share:
                await self.error(content, 'A focus move needs a "speed" above 0, at most 1.')
                return
            first = lens not in self.focusing
            self.focusing[lens] = target
            self.report(
                control.focus_move(target, control.focus_speed(target, action, share)),
                content,
                target,
                Action.FOCUS if first else None,
                f"{action} {share:.2f}{which}",
                quiet=True,
            )
        elif action == "stop":
            self.focusing.pop(lens, None)
            self.report(control.focus_stop(target), content, target, Action.FOCUS_STOP, which[1:])
        elif action == "auto" and isinstance(content.get("on"), bool):
            on = bool(content["on"])
            future = control.submit(target, lambda c, t: control.auto_focus(c, t, on))
            detail = ("on" if on else "off") + which
            self.report(future, content, target, Action.AUTO_FOCUS, detail)
        elif action == "status":
            await self.read(content, target, control.focus_status, "focus")
        else:
            await self.error(
                content,
                'Focus: "action" is "near" or "far" (with an optional "speed"), "stop", '
                '"auto" (with "on": true or false) or "status".',
            )

    # -- answers -------------------------------------------------------------------------------
    def report(
        self,
        future: Awaitable[Any],
        content: dict[str, Any],
        target: Target,
        action: str | None,
        detail: str = "",
        *,
        quiet: bool = False,
        reply: str | None = None,
        drag: moves.Drag | None = None,
    ) -> None:
        """Answer when the camera has done it (or refused), and write the audit row (of `drag`
        when it is a continuous move's first); the socket meanwhile takes the next message (a
        stop must not wait behind a move's answer)."""
        self.background(
            self._report(
                future, content, target, action, detail, quiet=quiet, reply=reply, drag=drag
            )
        )

    def background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self.reports.add(task)
        task.add_done_callback(self.reports.discard)

    async def _report(
        self,
        future: Awaitable[Any],
        content: dict[str, Any],
        target: Target,
        action: str | None,
        detail: str,
        *,
        quiet: bool,
        reply: str | None,
        drag: moves.Drag | None,
    ) -> None:
        error: OnvifError | None = None
        result: Any = None
        try:
            result = await future
        except OnvifError as exc:
            error = exc
        except asyncio.CancelledError:
            return
        except Exception:  # a fault of ours: logged, the browser told in words
            logger.exception("PTZ %s on device %s failed", content.get("type"), target.device_id)
            await self.error(content, GENERIC_ERROR, device=target.device_id)
            return
        if action is not None:
            try:
                row = await control.audit(self.scope["user"], target, action, detail, error)
                if drag is not None:
                    drag.written_as(row, detail)
                    await moves.record(drag)  # the renewals meanwhile may have asked for more
            except Exception:  # the camera acted; only the audit row is missing
                logger.exception("PTZ audit of %s on device %s failed", action, target.device_id)
        try:
            if error is not None:
                if content.get("type") == "move":
                    self.end_move(target.device_id)
                if content.get("type") == "focus" and content.get("action") in ("near", "far"):
                    self.focusing.pop((target.device_id, target.focus_source), None)
                await self.error(
                    content, error.message, permanent=error.permanent, device=target.device_id
                )
            elif reply is not None:  # "presets" or "tours": the list as it is now
                await self.send_json(
                    {"type": reply, "id": content.get("id"), "device": target.device_id}
                    | {reply: result}
                )
            elif not quiet:
                extra = result if isinstance(result, dict) else {}
                await self.send_json(
                    {
                        "type": "done",
                        "id": content.get("id"),
                        "device": target.device_id,
                        "action": action,
                    }
                    | extra
                )
        except Exception:  # the socket closed meanwhile: the work was done anyway
            logger.debug("PTZ answer to a closed socket dropped", exc_info=True)

    async def error(
        self, content: Any, message: str, *, permanent: bool = True, device: int | None = None
    ) -> None:
        msg_id = content.get("id") if isinstance(content, dict) else None
        where = {} if device is None else {"device": device}
        await self.send_error(message, id=msg_id, permanent=permanent, **where)
