"""Analytics through the sync, the API and the pages, against the simulator's analytics bullet:
the sync stores configurations, rule types, options, rules and modules; rules are created,
changed and deleted within the camera's options (refused values named, nothing sent), audited;
admins change them, everyone who sees live video reads them."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from analytics.models import AnalyticsConfiguration
from cameras.models import ConfigurationChange
from events.models import Event
from simulator.camera import Camera
from tests.cameras.conftest import add_synced, threaded_fleet

__all__ = ["threaded_fleet"]

pytestmark = pytest.mark.django_db(transaction=True)
TOKEN = "VideoAnalyticsConfig_1"
LINE = {
    "name": "Fence",
    "type": "tt:LineDetector",
    "simple": {"Direction": "Any"},
    "elements": {"Segments": {"kind": "polyline", "points": [[0.4, -0.9], [0.4, 0.9]]}},
}


def api(device: Any, path: str = "") -> str:
    return f"/api/devices/{device.pk}/analytics{path}"


def test_the_sync_stores_what_the_camera_offers_and_holds(
    threaded_fleet: dict[str, Camera],
) -> None:
    device = add_synced(threaded_fleet["bullet-analytics"])
    config = AnalyticsConfiguration.objects.get(device=device)
    assert config.token == TOKEN and config.profile_token
    types = {d["type"] for d in config.supported_rules}
    assert {"tt:LineDetector", "tt:FieldDetector", "tt:CellMotionDetector"} <= types
    assert {r.name: r.type for r in config.rules.all()} == {
        "DoorLine": "tt:LineDetector",
        "Lobby": "tt:FieldDetector",
        "Motion": "tt:CellMotionDetector",
    }
    door = config.rules.get(name="DoorLine")
    assert door.elements["Segments"] == {"kind": "polyline", "points": [[0.0, -0.8], [0.0, 0.8]]}
    (engine,) = config.modules.all()
    assert (
        engine.type == "tt:CellMotionEngine" and engine.elements["Layout"]["kind"] == "cell_layout"
    )
    assert any(o["type"] == "tt:CellMotionDetector" for o in config.rule_options)
    # Cameras without analytics keep none.
    other = add_synced(threaded_fleet["audio-cam"])
    assert not other.analytics_configurations.exists()


def test_an_admin_creates_changes_and_deletes_a_rule(
    threaded_fleet: dict[str, Camera], admin: Any, client_for: Any
) -> None:
    camera = threaded_fleet["bullet-analytics"]
    device = add_synced(camera)
    client = client_for(admin)
    created = client.post(api(device, f"/{TOKEN}/rules"), LINE, content_type="application/json")
    assert created.status_code == 201, created.content
    held = {r.name: r for r in camera.config("Analytics", TOKEN).rules}
    assert held["Fence"].type == "tt:LineDetector" and "0.4" in held["Fence"].elements["Segments"]
    (config,) = created.json()["configurations"]
    fence = next(r for r in config["rules"] if r["name"] == "Fence")
    assert fence["elements"] == LINE["elements"] and fence["url"].endswith("/rules/Fence/")

    moved = LINE | {"simple": {"Direction": "Left"}}
    answer = client.put(
        api(device, f"/{TOKEN}/rules/Fence"), moved, content_type="application/json"
    )
    assert answer.status_code == 200, answer.content
    held = {r.name: r for r in camera.config("Analytics", TOKEN).rules}
    assert held["Fence"].simple["Direction"] == "Left"

    assert client.delete(api(device, f"/{TOKEN}/rules/Fence")).status_code == 200
    assert "Fence" not in {r.name for r in camera.config("Analytics", TOKEN).rules}
    assert not device.analytics_configurations.get().rules.filter(name="Fence").exists()
    rows = ConfigurationChange.objects.order_by("pk")
    assert [(r.topic, r.action, r.target, r.ok) for r in rows] == [
        ("AnalyticsRule", "create", "Fence", True),
        ("AnalyticsRule", "modify", "Fence", True),
        ("AnalyticsRule", "delete", "Fence", True),
    ]
    assert rows[1].before["simple"] == {"Direction": "Any"}


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (LINE | {"name": "DoorLine"}, "name", "already a 'DoorLine'"),
        (LINE | {"type": "tt:Teleporter"}, "type", "offers no Teleporter"),
        (LINE | {"simple": {"Direction": "Up"}}, "Direction", "one of Left, Right, Any"),
        (
            LINE | {"elements": {"Segments": {"kind": "polyline", "points": [[0, 0]]}}},
            "Segments",
            "at least two points",
        ),
        (
            LINE | {"elements": {"Segments": {"kind": "blob"}}},
            "elements",
            "An element parameter has a kind",
        ),
    ],
)
def test_refused_rules_are_named_and_nothing_is_sent(
    threaded_fleet: dict[str, Camera],
    admin: Any,
    client_for: Any,
    body: dict[str, Any],
    field: str,
    words: str,
) -> None:
    camera = threaded_fleet["bullet-analytics"]
    device = add_synced(camera)
    before = [r.name for r in camera.config("Analytics", TOKEN).rules]
    answer = client_for(admin).post(
        api(device, f"/{TOKEN}/rules"), body, content_type="application/json"
    )
    assert answer.status_code == 400, answer.content
    assert words in answer.json()["detail"] and field in answer.json()["fields"]
    assert [r.name for r in camera.config("Analytics", TOKEN).rules] == before


def test_a_declarative_motion_rule_carries_its_expression(
    threaded_fleet: dict[str, Camera], admin: Any, client_for: Any
) -> None:
    camera = threaded_fleet["bullet-analytics"]
    device = add_synced(camera)
    square = [[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]]
    expression = {"kind": "expression", "expression": "Behaviour/Speed > 0.5", "dialect": ""}
    body = {
        "name": "Runners",
        "type": "tt:DeclarativeMotionDetector",
        "simple": {},
        "elements": {
            "Field": {"kind": "polygon", "points": square},
            "MotionExpression": expression,
        },
    }
    client = client_for(admin)
    created = client.post(api(device, f"/{TOKEN}/rules"), body, content_type="application/json")
    assert created.status_code == 201, created.content
    held = {r.name: r for r in camera.config("Analytics", TOKEN).rules}["Runners"]
    assert (
        "<tt:Expression>Behaviour/Speed &gt; 0.5</tt:Expression>"
        in held.elements["MotionExpression"]
    )
    (config,) = created.json()["configurations"]
    runners = next(r for r in config["rules"] if r["name"] == "Runners")
    assert runners["elements"]["MotionExpression"] == expression
    page = client.get(reverse("analytics_rule", args=[device.pk, "Runners"])).content.decode()
    assert '<code data-testid="rule-expression">Behaviour/Speed &gt; 0.5</code>' in page
    broken = body | {"elements": body["elements"] | {"MotionExpression": expression | {
        "expression": "Behaviour/Speed >"}}}  # fmt: skip
    answer = client.put(
        api(device, f"/{TOKEN}/rules/Runners"), broken, content_type="application/json"
    )
    assert answer.status_code == 400
    assert "MotionExpression is not an XPath expression" in answer.json()["detail"]


def test_a_module_parameter_is_changed_within_its_options(
    threaded_fleet: dict[str, Camera], admin: Any, client_for: Any
) -> None:
    camera = threaded_fleet["bullet-analytics"]
    device = add_synced(camera)
    module = device.analytics_configurations.get().modules.get()
    body = {"name": module.name, "type": module.type, "simple": {"Sensitivity": "80"}}
    client = client_for(admin)
    path = api(device, f"/{TOKEN}/modules/{module.name}")
    assert client.put(path, body, content_type="application/json").status_code == 200
    assert camera.config("Analytics", TOKEN).modules[0].simple["Sensitivity"] == "80"
    refused = client.put(
        path, body | {"simple": {"Sensitivity": "180"}}, content_type="application/json"
    )
    assert refused.status_code == 400 and "Sensitivity must be 0 to 100" in refused.json()["detail"]


def test_viewers_read_rules_and_only_admins_change_them(
    threaded_fleet: dict[str, Camera], operator: Any, viewer: Any, client_for: Any
) -> None:
    device = add_synced(threaded_fleet["bullet-analytics"])
    as_viewer = client_for(viewer)
    assert as_viewer.get(api(device)).status_code == 200
    refused = client_for(operator).post(
        api(device, f"/{TOKEN}/rules"), LINE, content_type="application/json"
    )
    assert refused.status_code == 403
    assert as_viewer.get(reverse("configure_analytics", args=[device.pk])).status_code == 403


def test_a_rule_page_shows_its_recent_events_and_the_events_page_filters_by_rule(
    threaded_fleet: dict[str, Camera], viewer: Any, client_for: Any
) -> None:
    device = add_synced(threaded_fleet["bullet-analytics"])
    now = timezone.now()
    for rule, n in (("DoorLine", 3), ("Lobby", 2)):
        for _ in range(n):
            Event.objects.create(
                device=device,
                topic="tns1:RuleEngine/LineDetector/Crossed",
                name="Line crossed",
                rule=rule,
                data={"ObjectId": "1"},
                received=now,
            )
    client = client_for(viewer)
    page = client.get(reverse("analytics_rule", args=[device.pk, "DoorLine"])).content.decode()
    assert page.count('data-testid="rule-event"') == 3 and "Line detector" in page
    events = client.get(f"/events/?camera={device.pk}&rule=Lobby").content.decode()
    assert events.count('data-testid="timeline-event"') == 2
    assert '<option value="Lobby" selected>' in events
    assert len(client.get("/api/events?rule=DoorLine").json()) == 3
    gone = client.get(reverse("analytics_rule", args=[device.pk, "Gone"])).content.decode()
    assert "no longer holds this rule" in gone
