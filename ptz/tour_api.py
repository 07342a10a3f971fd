"""JSON API of a PTZ camera's preset tours: read them with their live state and the camera's
tour options (operators and admins), create, modify and remove them (admins). Starting,
pausing and stopping a tour goes over the PTZ socket (ptz.consumers), like every PTZ command.
400: a value the camera's options refuse (with the fields); 404: no such device or tour; 409:
no PTZ profile or no preset tours on its node; 502: the camera could not be reached."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cameras.configure.api import ERRORS, allowed_device
from cameras.onvif.ptz_tours import PresetTour, TourSpot
from frontend.roles import CONFIGURE_CAMERAS, OPERATE_PTZ
from ptz import tours
from vms.params import RowId

router = Router(tags=["PTZ preset tours"])


class SpotIn(Schema):
    preset: str = Field("", max_length=64, description="Preset token; empty with home")
    home: bool = False
    speed: float | None = Field(None, description="Fraction of the fastest, (0, 1]")
    stay: float | None = Field(None, ge=0, le=86400, description="Seconds at the spot")


class TourIn(Schema):
    name: str = Field("", max_length=64)
    direction: Literal["Forward", "Backward"] = "Forward"
    random: bool = False
    auto_start: bool = False
    recurring_time: int | None = Field(None, ge=1, description="Rounds; none: endless")
    recurring_duration: float | None = Field(None, gt=0, description="Seconds; none: endless")
    spots: list[SpotIn] = Field(default_factory=list, max_length=tours.MAX_SPOTS)

    def tour(self, token: str = "") -> PresetTour:
        return PresetTour(
            token=token,
            name=self.name.strip(),
            direction=self.direction,
            random=self.random,
            auto_start=self.auto_start,
            recurring_time=self.recurring_time,
            recurring_duration=self.recurring_duration,
            spots=tuple(
                TourSpot(preset=s.preset, home=s.home and not s.preset, speed=s.speed, stay=s.stay)
                for s in self.spots
            ),
        )


class ToursOut(Schema):
    profile: str
    max_tours: int
    tours: list[dict[str, Any]] = Field(
        description="token, name, state, current (spot label), direction, random, auto_start, "
        "recurring_time, recurring_duration, spots [{preset, home, position, speed, stay, label}]"
    )
    options: dict[str, Any]
    presets: list[dict[str, str]] = Field(description="The presets a spot may go to: token, name")


def _spot(page: tours.TourPage, spot: TourSpot) -> dict[str, Any]:
    return {
        "preset": spot.preset,
        "home": spot.home,
        "position": spot.position,
        "speed": spot.speed,
        "stay": spot.stay,
        "label": page.spot_label(spot),
    }


def tours_json(page: tours.TourPage) -> dict[str, Any]:
    options = page.options
    return {
        "profile": page.profile,
        "max_tours": page.max_tours,
        "tours": [
            {
                "token": t.token,
                "name": t.name,
                "state": t.state,
                "current": page.spot_label(t.current),
                "direction": t.direction,
                "random": t.random,
                "auto_start": t.auto_start,
                "recurring_time": t.recurring_time,
                "recurring_duration": t.recurring_duration,
                "spots": [_spot(page, s) for s in t.spots],
            }
            for t in page.tours
        ],
        "options": {
            "auto_start": options.auto_start,
            "recurring_time": options.recurring_time,
            "recurring_duration": options.recurring_duration,
            "directions": list(options.directions),
            "home": options.home,
            "stay": options.stay,
        },
        "presets": [
            {"token": token, "name": page.preset_names.get(token, token)}
            for token in options.presets
        ],
    }


@router.get(
    "/devices/{device_id}/ptz/tours",
    response={200: ToursOut, **ERRORS},
    summary="Preset tours with their state, and the camera's tour options (GetPresetTours)",
)
def get_tours(request: HttpRequest, device_id: RowId) -> Any:
    return tours_json(tours.read_tours(allowed_device(request, device_id, OPERATE_PTZ)))


@router.post(
    "/devices/{device_id}/ptz/tours",
    response={201: ToursOut, **ERRORS},
    summary="Create a preset tour (CreatePresetTour, then ModifyPresetTour)",
)
def create_tour(request: HttpRequest, device_id: RowId, payload: TourIn) -> Any:
    device = allowed_device(request, device_id, CONFIGURE_CAMERAS)
    return Status(201, tours_json(tours.create_tour(device, request.user, payload.tour())))


@router.put(
    "/devices/{device_id}/ptz/tours/{token}",
    response={200: ToursOut, **ERRORS},
    summary="Change a preset tour (ModifyPresetTour)",
)
def modify_tour(request: HttpRequest, device_id: RowId, token: str, payload: TourIn) -> Any:
    device = allowed_device(request, device_id, CONFIGURE_CAMERAS)
    return tours_json(tours.modify_tour(device, request.user, payload.tour(token)))


@router.delete(
    "/devices/{device_id}/ptz/tours/{token}",
    response={200: ToursOut, **ERRORS},
    summary="Remove a preset tour (RemovePresetTour)",
)
def remove_tour(request: HttpRequest, device_id: RowId, token: str) -> Any:
    device = allowed_device(request, device_id, CONFIGURE_CAMERAS)
    return tours_json(tours.remove_tour(device, request.user, token))
