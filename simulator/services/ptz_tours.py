"""PTZ preset tours (clause 8.9): tours that really run on the motion model and report state."""

from __future__ import annotations

import asyncio
import random

from simulator.auth import ACTUATE, READ_MEDIA
from simulator.camera import PresetTour, PTZNode, TourSpot
from simulator.ptz_motion import now
from simulator.services import Call
from simulator.services import media_common as mc
from simulator.services.ptz import (
    Target,
    _find_preset,
    goto,
    preset_or_fault,
    svc,
    target,
    vector_xml,
)
from simulator.soap import (
    RECEIVER,
    E,
    Fault,
    child,
    children,
    duration,
    invalid_arg,
    parse_bool,
    parse_duration,
    parse_float,
    text,
)

TOUR_TOPIC = "tns1:PTZController/PTZPresetTours/Configuration"
MAX_SPOTS = 32


def spot_xml(s: TourSpot, tag: str):
    if s.preset:
        detail = E("tt:PresetToken", s.preset)
    elif s.home:
        detail = E("tt:Home", True)
    else:
        detail = vector_xml("tt:PTZPosition", *s.position)
    speed = None
    if s.speed:
        speed = E("tt:Speed", E("tt:PanTilt", x=s.speed, y=s.speed, space=mc.PT_SPEED))
    return E(tag, E("tt:PresetDetail", detail), speed, E("tt:StayTime", duration(s.stay)))


def tour_xml(tour: PresetTour, tag: str):
    current = None
    if tour.state != "Idle" and 0 <= tour.current < len(tour.spots):
        current = spot_xml(tour.spots[tour.current], "tt:CurrentTourSpot")
    cond = E(
        "tt:StartingCondition",
        E("tt:RecurringTime", tour.recurring_time) if tour.recurring_time else None,
        E("tt:RecurringDuration", duration(tour.recurring_duration))
        if tour.recurring_duration
        else None,
        E("tt:Direction", tour.direction),
        RandomPresetOrder=tour.random,
    )
    return E(
        tag,
        E("tt:Name", tour.name) if tour.name else None,
        E("tt:Status", E("tt:State", tour.state), current),
        E("tt:AutoStart", tour.auto_start),
        cond,
        [spot_xml(s, "tt:TourSpot") for s in tour.spots],
        token=tour.token,
    )


def tour_or_fault(node: PTZNode, token: str | None) -> PresetTour:
    tour = next((x for x in node.tours if x.token == token), None)
    if tour is None:
        raise invalid_arg("NoToken", f"no preset tour {token!r}")
    return tour


def publish_state(call: Call, t: Target, tour: PresetTour, changed: bool) -> None:
    call.rt.events.publish(
        TOUR_TOPIC,
        [("ProfileToken", t.profile.token), ("PresetTourToken", tour.token)],
        [("StateChange", "true" if changed else "false")],
        prop=True,
        elements=[("PresetTour", tour_xml(tour, "tt:PresetTour"))],
    )


def set_state(call: Call, t: Target, tour: PresetTour, state: str) -> None:
    changed = tour.state != state
    tour.state = state
    publish_state(call, t, tour, changed)


async def run_tour(call: Call, t: Target, tour: PresetTour) -> None:
    """Visit the spots in order (or reverse/random) until RecurringTime/Duration runs out."""
    started, rounds = now(), 0
    order = list(range(len(tour.spots)))
    if tour.direction == "Backward":
        order.reverse()
    start = order.index(tour.current) if tour.current in order else 0
    try:
        while True:
            if tour.random:
                random.shuffle(order)
            for index in order[start:]:
                tour.current = index
                publish_state(call, t, tour, False)
                spot = tour.spots[index]
                preset = _find_preset(t.node, spot.preset) if spot.preset else None
                pos = (
                    (preset.pan, preset.tilt, preset.zoom)
                    if preset
                    else tuple(t.node.home)
                    if spot.home
                    else tuple(spot.position)
                )
                speed = spot.speed or t.cfg.pt_speed
                goto(call, t, pos, speed, speed, preset=preset, from_tour=True)
                await asyncio.sleep(max(0.0, t.motion.arrival() - now()) + spot.stay)
                if tour.recurring_duration and now() - started >= tour.recurring_duration:
                    return
            start, rounds = 0, rounds + 1
            if tour.recurring_time and rounds >= tour.recurring_time:
                return
    finally:
        if (
            tour.state == "Touring"
            and call.rt.tour_tasks.get(t.node.token) is asyncio.current_task()
        ):
            call.rt.tour_tasks.pop(t.node.token, None)
            tour.current = -1
            set_state(call, t, tour, "Idle")


def active_tour(node: PTZNode) -> PresetTour | None:
    return next((x for x in node.tours if x.state == "Touring"), None)


def stop_tour_of_node(call: Call, node: PTZNode) -> None:
    """A manual move interrupts a running tour."""
    task = call.rt.tour_tasks.pop(node.token, None)
    tour = active_tour(node)
    if task is not None:
        task.cancel()
    if tour is not None:
        tour.state, tour.current = "Idle", -1
        publish_state(call, target(call), tour, True)


@svc.op("GetPresetTours", READ_MEDIA)
def get_preset_tours(call: Call):
    return E(
        "tptz:GetPresetToursResponse",
        [tour_xml(x, "tptz:PresetTour") for x in target(call).node.tours],
    )


@svc.op("GetPresetTour", READ_MEDIA)
def get_preset_tour(call: Call):
    tour = tour_or_fault(target(call).node, text(call.body, "PresetTourToken"))
    return E("tptz:GetPresetTourResponse", tour_xml(tour, "tptz:PresetTour"))


@svc.op("GetPresetTourOptions", READ_MEDIA)
def get_preset_tour_options(call: Call):
    t = target(call)
    if (token := text(call.body, "PresetTourToken")) is not None:
        tour_or_fault(t.node, token)
    opts = E(
        "tptz:Options",
        E("tt:AutoStart", True),
        E(
            "tt:StartingCondition",
            E("tt:RecurringTime", E("tt:Min", 1), E("tt:Max", 100)),
            E("tt:RecurringDuration", E("tt:Min", "PT10S"), E("tt:Max", "PT24H")),
            E("tt:Direction", "Forward"),
            E("tt:Direction", "Backward"),
        ),
        E(
            "tt:TourSpot",
            E(
                "tt:PresetDetail",
                [E("tt:PresetToken", p.token) for p in t.node.presets],
                E("tt:Home", t.node.home_supported),
            ),
            E("tt:StayTime", E("tt:Min", "PT0S"), E("tt:Max", "PT1H")),
        ),
    )
    return E("tptz:GetPresetTourOptionsResponse", opts)


@svc.op("CreatePresetTour", ACTUATE)
def create_preset_tour(call: Call):
    t = target(call)
    if len(t.node.tours) >= t.node.max_tours:
        raise invalid_arg("TooManyPresetTours", "maximum number of preset tours reached")
    tour = PresetTour(call.camera.next_token("Tour"))
    t.node.tours.append(tour)
    publish_state(call, t, tour, True)
    return E("tptz:CreatePresetTourResponse", E("tptz:PresetTourToken", tour.token))


def parse_spot(t: Target, el) -> TourSpot:
    detail = child(el, "PresetDetail")
    spot = TourSpot()
    if (token := text(detail, "PresetToken")) is not None:
        spot.preset = preset_or_fault(t.node, token).token
    elif text(detail, "Home") is not None:
        if not parse_bool(text(detail, "Home")) or not t.node.home_supported:
            raise invalid_arg("InvalidPresetTour", "Home must be true and supported")
        spot.home = True
    elif (pos := child(detail, "PTZPosition")) is not None:
        from simulator.services.ptz import _axes

        pan, tilt, zoom = _axes(pos, mc.PT_POS, mc.Z_POS, "InvalidPresetTour")
        current = t.node.home
        spot.position = [
            pan if pan is not None else current[0],
            tilt if tilt is not None else current[1],
            zoom if zoom is not None else current[2],
        ]
    else:
        raise invalid_arg("InvalidPresetTour", "a tour spot needs a PresetDetail")
    if (sp := child(child(el, "Speed"), "PanTilt")) is not None:
        spot.speed = min(1.0, abs(parse_float(sp.get("x"), 0.5)))
    if (stay := text(el, "StayTime")) is not None:
        spot.stay = parse_duration(stay)
    return spot


@svc.op("ModifyPresetTour", ACTUATE)
def modify_preset_tour(call: Call):
    t = target(call)
    el = child(call.body, "PresetTour")
    tour = tour_or_fault(t.node, el.get("token") if el is not None else None)
    spots = [parse_spot(t, s) for s in children(el, "TourSpot")]
    if len(spots) > MAX_SPOTS:
        raise invalid_arg("TooManyPresets", f"at most {MAX_SPOTS} tour spots")
    cond = child(el, "StartingCondition")
    direction = text(cond, "Direction", "Forward")
    if direction not in ("Forward", "Backward"):
        raise invalid_arg("InvalidPresetTour", f"unsupported direction {direction!r}")
    auto = parse_bool(text(el, "AutoStart"), False)
    if auto:
        for other in t.node.tours:
            other.auto_start = False
    tour.name, tour.spots, tour.auto_start, tour.direction = (
        text(el, "Name", ""),
        spots,
        auto,
        direction,
    )
    tour.recurring_time = int(text(cond, "RecurringTime", "0"))
    rd = text(cond, "RecurringDuration")
    tour.recurring_duration = parse_duration(rd) if rd else 0.0
    tour.random = parse_bool(cond.get("RandomPresetOrder") if cond is not None else None, False)
    publish_state(call, t, tour, False)
    return E("tptz:ModifyPresetTourResponse")


@svc.op("OperatePresetTour", ACTUATE)
def operate_preset_tour(call: Call):
    t = target(call)
    tour = tour_or_fault(t.node, text(call.body, "PresetTourToken"))
    op = text(call.body, "Operation")
    rt = call.rt
    running = active_tour(t.node)
    if op == "Start":
        if (running is not None and running is not tour) or not tour.spots:
            raise Fault(
                RECEIVER,
                ["ter:InvalidArgVal", "ter:ActivationFailed"],
                "another tour is running or the tour is empty",
            )
        if (task := rt.tour_tasks.pop(t.node.token, None)) is not None:
            task.cancel()
        if tour.state != "Paused":
            tour.current, tour.auto_start = -1, False
        set_state(call, t, tour, "Touring")
        rt.tour_tasks[t.node.token] = asyncio.get_running_loop().create_task(
            run_tour(call, t, tour)
        )
    elif op in ("Stop", "Pause"):
        if (task := rt.tour_tasks.pop(t.node.token, None)) is not None:
            task.cancel()
        t.motion.stop(now())
        if op == "Stop":
            tour.current, tour.auto_start = -1, False
        set_state(call, t, tour, "Idle" if op == "Stop" else "Paused")
    else:
        raise invalid_arg("InvalidPresetTour", f"unsupported operation {op!r}")
    return E("tptz:OperatePresetTourResponse")


@svc.op("RemovePresetTour", ACTUATE)
def remove_preset_tour(call: Call):
    t = target(call)
    tour = tour_or_fault(t.node, text(call.body, "PresetTourToken"))
    if tour.state == "Touring" and (task := call.rt.tour_tasks.pop(t.node.token, None)):
        task.cancel()
    t.node.tours.remove(tour)
    call.rt.events.publish(
        TOUR_TOPIC,
        [("ProfileToken", t.profile.token), ("PresetTourToken", tour.token)],
        [("StateChange", "true")],
    )
    return E("tptz:RemovePresetTourResponse")


def autostart(camera) -> None:
    """Start the AutoStart tour of each node when the camera comes up."""
    for node in camera.ptz_nodes:
        tour = next((x for x in node.tours if x.auto_start and x.spots), None)
        profile = next(
            (
                p
                for p in camera.profiles
                if (c := camera.profile_config(p, "PTZ")) and c.source == node.token
            ),
            None,
        )
        if tour is None or profile is None:
            continue
        body = E("tptz:OperatePresetTour", E("tptz:ProfileToken", profile.token))
        call = Call(camera, body, None, None, "")
        t = target(call)
        set_state(call, t, tour, "Touring")
        call.rt.tour_tasks[node.token] = call.rt.spawn(run_tour(call, t, tour))
