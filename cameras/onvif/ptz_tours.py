"""PTZ preset tours (clause 8.9): GetPresetTours, GetPresetTour, GetPresetTourOptions,
CreatePresetTour, ModifyPresetTour, OperatePresetTour, RemovePresetTour.

A tour's spots go to a preset, to the home position or to a position; the VMS edits tours of
presets and home and keeps position spots it reads as they are (written back unchanged).
Cameras are untrusted: a malformed spot or state reads as "not given", never as an exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from cameras.onvif.config_read import num, plain_text, seconds, span, texts, whole
from cameras.onvif.errors import ProtocolError

if TYPE_CHECKING:
    from cameras.onvif.client import OnvifClient

Span = tuple[float, float]
STATES = ("Idle", "Touring", "Paused")
OPERATIONS = ("Start", "Stop", "Pause")
DIRECTIONS = ("Forward", "Backward")


@dataclass(frozen=True, kw_only=True)
class TourSpot:
    preset: str = ""  # PresetDetail.PresetToken
    home: bool = False  # PresetDetail.Home
    position: tuple[float | None, float | None, float | None] | None = None  # PTZPosition
    speed: float | None = None  # Speed.PanTilt.x (zoom alike), in the speed space
    stay: float | None = None  # StayTime, seconds

    def named(self, preset_names: dict[str, str]) -> str:
        """Its label, with the preset's name (token -> name) where known."""
        return preset_names.get(self.preset, self.label) if self.preset else self.label

    @property
    def label(self) -> str:
        if self.preset:
            return self.preset
        if self.home:
            return "home"
        pan, tilt, zoom = self.position or (None, None, None)
        return "position " + ", ".join(f"{v:g}" for v in (pan, tilt, zoom) if v is not None)


@dataclass(frozen=True, kw_only=True)
class PresetTour:
    token: str
    name: str = ""
    state: str = "Idle"  # Idle, Touring, Paused (Extended and unknown states read as given)
    current: TourSpot | None = None  # Status.CurrentTourSpot
    auto_start: bool = False
    recurring_time: int | None = None  # rounds; None: not limited by rounds
    recurring_duration: float | None = None  # seconds; None: not limited by time
    direction: str = "Forward"
    random: bool = False  # StartingCondition@RandomPresetOrder
    spots: tuple[TourSpot, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PresetTourOptions:
    auto_start: bool = False
    recurring_time: Span | None = None
    recurring_duration: Span | None = None  # seconds
    directions: tuple[str, ...] = ()
    presets: tuple[str, ...] = ()  # preset tokens a spot may go to
    home: bool = False
    stay: Span | None = None  # seconds


def _spot(node: Any) -> TourSpot | None:
    detail = getattr(node, "PresetDetail", None)
    if detail is None:
        return None
    preset = plain_text(getattr(detail, "PresetToken", None))
    home = getattr(detail, "Home", None) is True
    position = None
    where = getattr(detail, "PTZPosition", None)
    if where is not None:
        pan_tilt, zoom = getattr(where, "PanTilt", None), getattr(where, "Zoom", None)
        position = (
            num(getattr(pan_tilt, "x", None)),
            num(getattr(pan_tilt, "y", None)),
            num(getattr(zoom, "x", None)),
        )
    if not preset and not home and position is None:
        return None
    speed = getattr(getattr(node, "Speed", None), "PanTilt", None)
    return TourSpot(
        preset=preset,
        home=home and not preset,
        position=position if not preset and not home else None,
        speed=num(getattr(speed, "x", None)),
        stay=seconds(getattr(node, "StayTime", None)),
    )


def read_tour(node: Any) -> PresetTour | None:
    token = plain_text(getattr(node, "token", None))
    if not token:
        return None
    status = getattr(node, "Status", None)
    condition = getattr(node, "StartingCondition", None)
    rounds = whole(getattr(condition, "RecurringTime", None))
    duration = seconds(getattr(condition, "RecurringDuration", None))
    spots = [s for n in getattr(node, "TourSpot", None) or [] if (s := _spot(n)) is not None]
    current = getattr(status, "CurrentTourSpot", None)
    return PresetTour(
        token=token,
        name=plain_text(getattr(node, "Name", None)),
        state=plain_text(getattr(status, "State", None)) or "Idle",
        current=_spot(current) if current is not None else None,
        auto_start=getattr(node, "AutoStart", None) is True,
        recurring_time=rounds if rounds and rounds > 0 else None,
        recurring_duration=duration if duration and duration > 0 else None,
        direction=plain_text(getattr(condition, "Direction", None)) or "Forward",
        random=getattr(condition, "RandomPresetOrder", None) is True,
        spots=tuple(spots),
    )


def read_options(node: Any) -> PresetTourOptions:
    condition = getattr(node, "StartingCondition", None)
    spot = getattr(node, "TourSpot", None)
    detail = getattr(spot, "PresetDetail", None)
    directions = [d for d in texts(getattr(condition, "Direction", None)) if d in DIRECTIONS]
    return PresetTourOptions(
        auto_start=getattr(node, "AutoStart", None) is True,
        recurring_time=span(getattr(condition, "RecurringTime", None)),
        recurring_duration=span(getattr(condition, "RecurringDuration", None), seconds),
        directions=tuple(directions),
        presets=tuple(plain_text(p) for p in getattr(detail, "PresetToken", None) or []),
        home=getattr(detail, "Home", None) is True,
        stay=span(getattr(spot, "StayTime", None), seconds),
    )


def _write_spot(spot: TourSpot) -> dict[str, Any]:
    if spot.preset:
        detail: dict[str, Any] = {"PresetToken": spot.preset}
    elif spot.home:
        detail = {"Home": True}
    else:
        pan, tilt, zoom = spot.position or (None, None, None)
        where: dict[str, Any] = {}
        if pan is not None and tilt is not None:
            where["PanTilt"] = {"x": pan, "y": tilt}
        if zoom is not None:
            where["Zoom"] = {"x": zoom}
        detail = {"PTZPosition": where}
    data: dict[str, Any] = {"PresetDetail": detail}
    if spot.speed is not None:
        data["Speed"] = {"PanTilt": {"x": spot.speed, "y": spot.speed}, "Zoom": {"x": spot.speed}}
    if spot.stay is not None:
        data["StayTime"] = timedelta(seconds=spot.stay)
    return data


def write_tour(tour: PresetTour) -> dict[str, Any]:
    """A tt:PresetTour for ModifyPresetTour (the Status is required by the schema and ignored
    by the camera)."""
    condition: dict[str, Any] = {"Direction": tour.direction, "RandomPresetOrder": tour.random}
    if tour.recurring_time:
        condition["RecurringTime"] = tour.recurring_time
    if tour.recurring_duration:
        condition["RecurringDuration"] = timedelta(seconds=tour.recurring_duration)
    return {
        "token": tour.token,
        "Name": tour.name or None,
        "Status": {"State": tour.state if tour.state in STATES else "Idle"},
        "AutoStart": tour.auto_start,
        "StartingCondition": condition,
        "TourSpot": [_write_spot(s) for s in tour.spots],
    }


async def get_preset_tours(client: OnvifClient, profile_token: str) -> list[PresetTour]:
    answer = await client.call("ptz", "GetPresetTours", ProfileToken=profile_token)
    return [t for node in answer or [] if (t := read_tour(node)) is not None]


async def get_preset_tour(client: OnvifClient, profile_token: str, token: str) -> PresetTour:
    answer = await client.call(
        "ptz", "GetPresetTour", ProfileToken=profile_token, PresetTourToken=token
    )
    tour = read_tour(answer)
    if tour is None:
        raise ProtocolError(f"The camera answered GetPresetTour({token}) without a tour.")
    return tour


async def get_preset_tour_options(
    client: OnvifClient, profile_token: str, token: str | None = None
) -> PresetTourOptions:
    args = {"ProfileToken": profile_token}
    if token:
        args["PresetTourToken"] = token
    return read_options(await client.call("ptz", "GetPresetTourOptions", **args))


async def create_preset_tour(client: OnvifClient, profile_token: str) -> str:
    answer = await client.call("ptz", "CreatePresetTour", ProfileToken=profile_token)
    token = plain_text(answer)
    if not token:
        raise ProtocolError("The camera created a preset tour but did not say its token.")
    return token


async def modify_preset_tour(client: OnvifClient, profile_token: str, tour: PresetTour) -> None:
    await client.call(
        "ptz", "ModifyPresetTour", ProfileToken=profile_token, PresetTour=write_tour(tour)
    )


async def operate_preset_tour(
    client: OnvifClient, profile_token: str, token: str, operation: str
) -> None:
    await client.call(
        "ptz",
        "OperatePresetTour",
        ProfileToken=profile_token,
        PresetTourToken=token,
        Operation=operation,
    )


async def remove_preset_tour(client: OnvifClient, profile_token: str, token: str) -> None:
    await client.call("ptz", "RemovePresetTour", ProfileToken=profile_token, PresetTourToken=token)
