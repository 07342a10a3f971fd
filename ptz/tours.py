"""Preset tours of a PTZ camera (clause 8.9): read them with the camera's tour options, create,
modify and remove them (checked against GetPresetTourOptions, sent, re-read, audited like every
configuration change). Starting, pausing and stopping a tour is a PTZ command (ptz.control),
run from the live tile."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from cameras.configure.errors import ConfigError
from cameras.configure.services import Change, User, read, run_change
from cameras.models import Device
from cameras.onvif import OnvifClient, OnvifError
from cameras.onvif import ptz_tours as onvif_tours
from cameras.onvif.ptz_tours import PresetTour, PresetTourOptions, TourSpot

TOPIC = "PresetTour"
MAX_SPOTS = 64  # a form's worth; the camera may allow fewer (TooManyPresets)


@dataclass
class TourPage:
    profile: str  # the media profile whose PTZ node runs the tours
    max_tours: int
    tours: list[PresetTour]
    options: PresetTourOptions
    preset_names: dict[str, str] = field(default_factory=dict)  # token -> name

    def tour(self, token: str) -> PresetTour | None:
        return next((t for t in self.tours if t.token == token), None)

    def spot_label(self, spot: TourSpot | None) -> str:
        if spot is None:
            return ""
        return spot.named(self.preset_names)


@dataclass(frozen=True)
class TourNode:
    profile: str  # the first profile with a PTZ node: the one the live tile steers
    max_tours: int
    preset_names: dict[str, str]


def tour_node(device: Device) -> TourNode:
    profile = device.profiles.exclude(ptz_node_token="").order_by("position").first()
    node = device.ptz_nodes.filter(token=profile.ptz_node_token).first() if profile else None
    if not device.has_ptz or profile is None or node is None:
        raise ConfigError("This camera has no PTZ profile (or is not synced yet).", 409)
    if node.max_tours == 0:
        raise ConfigError("This camera's PTZ node keeps no preset tours.", 409)
    return TourNode(profile.token, node.max_tours, {p.token: p.name for p in node.presets.all()})


async def _read(client: OnvifClient, node: TourNode) -> TourPage:
    tours = await onvif_tours.get_preset_tours(client, node.profile)
    options = await onvif_tours.get_preset_tour_options(client, node.profile)
    return TourPage(node.profile, node.max_tours, tours, options, node.preset_names)


def read_tours(device: Device) -> TourPage:
    node = tour_node(device)
    return read(device, lambda client: _read(client, node))


def _outside(value: float | None, room: tuple[float, float] | None) -> bool:
    return value is not None and room is not None and not room[0] <= value <= room[1]


def check(tour: PresetTour, options: PresetTourOptions) -> dict[str, str]:
    """What the camera's options refuse, per field, in words."""
    errors: dict[str, str] = {}
    if len(tour.name) > 64:
        errors["name"] = "The name must be at most 64 characters."
    if not tour.spots:
        errors["spots"] = "A tour needs at least one spot: a preset to go to."
    elif len(tour.spots) > MAX_SPOTS:
        errors["spots"] = f"A tour has at most {MAX_SPOTS} spots here."
    if options.directions and tour.direction not in options.directions:
        errors["direction"] = f"The camera tours {' or '.join(options.directions)}."
    if tour.auto_start and not options.auto_start:
        errors["auto_start"] = "The camera cannot start a tour by itself."
    if _outside(tour.recurring_time, options.recurring_time):
        low, high = options.recurring_time or (0, 0)
        errors["recurring_time"] = f"Rounds must be {low:g} to {high:g}."
    if _outside(tour.recurring_duration, options.recurring_duration):
        low, high = options.recurring_duration or (0, 0)
        errors["recurring_duration"] = f"The duration must be {low:g} to {high:g} s."
    for n, spot in enumerate(tour.spots, 1):
        key = f"spot-{n}"
        if spot.preset and options.presets and spot.preset not in options.presets:
            errors[key] = f"Spot {n}: the camera offers no preset {spot.preset!r} for tours."
        elif spot.home and not options.home:
            errors[key] = f"Spot {n}: the camera's tours cannot go home."
        elif _outside(spot.stay, options.stay):
            low, high = options.stay or (0, 0)
            errors[key] = f"Spot {n}: the stay time must be {low:g} to {high:g} s."
        elif spot.speed is not None and not 0 < spot.speed <= 1:
            errors[key] = f"Spot {n}: the speed must be above 0, at most 1."
    return errors


def _checked(tour: PresetTour, page: TourPage) -> None:
    errors = check(tour, page.options)
    if errors:
        raise ConfigError(" ".join(errors.values()), 400, errors)


def create_tour(device: Device, user: User, tour: PresetTour) -> TourPage:
    """CreatePresetTour, then ModifyPresetTour with its settings; a tour the camera refuses to
    take the settings of is removed again (no empty tour left behind)."""
    node = tour_node(device)
    change = Change(TOPIC, "create", tour.name, after=tour)

    async def work(client: OnvifClient) -> TourPage:
        page = await _read(client, node)
        _checked(tour, page)
        if len(page.tours) >= page.max_tours:
            raise ConfigError(f"The camera keeps at most {page.max_tours} preset tours.", 409)
        token = await onvif_tours.create_preset_tour(client, node.profile)
        change.target = token
        try:
            await onvif_tours.modify_preset_tour(client, node.profile, replace(tour, token=token))
        except OnvifError:
            await onvif_tours.remove_preset_tour(client, node.profile, token)
            raise
        return await _read(client, node)

    return run_change(device, user, change, work)


def modify_tour(device: Device, user: User, tour: PresetTour) -> TourPage:
    node = tour_node(device)
    change = Change(TOPIC, "modify", tour.token, after=tour)

    async def work(client: OnvifClient) -> TourPage:
        page = await _read(client, node)
        held = page.tour(tour.token)
        if held is None:
            raise ConfigError(f"The camera has no preset tour {tour.token!r}.", 404)
        change.before = held
        _checked(tour, page)
        await onvif_tours.modify_preset_tour(client, node.profile, tour)
        return await _read(client, node)

    return run_change(device, user, change, work)


def remove_tour(device: Device, user: User, token: str) -> TourPage:
    node = tour_node(device)
    change = Change(TOPIC, "remove", token)

    async def work(client: OnvifClient) -> TourPage:
        page = await _read(client, node)
        held = page.tour(token)
        if held is None:
            raise ConfigError(f"The camera has no preset tour {token!r}.", 404)
        change.before = held
        await onvif_tours.remove_preset_tour(client, node.profile, token)
        return await _read(client, node)

    return run_change(device, user, change, work)
