"""The rule events of the metadata stream come from the event service's evaluators: every rule
type, property instances Initialized then Changed, repeated for a new client, Deleted when their
rule goes."""

from __future__ import annotations

from lxml import etree

from simulator.camera import AnalyticsItem
from tests.simulator.media.test_metadata import NS, bullet
from tests.simulator.test_analytics_rules import BOX, TT


def messages(xml: str) -> list[tuple[str, str, dict[str, str], dict[str, str]]]:
    """(topic, operation, key, data) of each notification of a document."""
    found = []
    for note in etree.fromstring(xml.encode()).iterfind(".//wsnt:NotificationMessage", NS):
        msg = note.find(".//tt:Message", NS)
        topic = note.findtext("wsnt:Topic", namespaces=NS).removeprefix("tns1:RuleEngine/")
        operation = msg.get("PropertyOperation", "")
        found.append((topic, operation, items(msg, "Key"), items(msg, "Data")))
    return found


def items(msg: etree._Element, part: str) -> dict[str, str]:
    return {i.get("Name"): i.get("Value") for i in msg.iterfind(f"tt:{part}/tt:SimpleItem", NS)}


def test_every_rule_type_reaches_the_stream_and_property_instances_are_kept():
    meta = bullet()  # object 1 walks y = 0 from x = -0.8 (t = 0) to 0.8 (t = 8 s) and back
    analytics = meta.camera.configs("Analytics")[0]
    lines = (
        f"<tt:PolylineArrayConfiguration {TT}><tt:PolylineArray><tt:Segment>"
        '<tt:Point x="0.4" y="-1"/><tt:Point x="0.4" y="1"/></tt:Segment></tt:PolylineArray>'
        "</tt:PolylineArrayConfiguration>"
    )
    analytics.rules[:] = [
        AnalyticsItem("Stay", "tt:LoiteringDetector", {"TimeThreshold": "0"}, {"Field": BOX}),
        AnalyticsItem("Gate", "tt:CountAggregation", {}, {"LineSegments": lines}),
    ]
    seen = [m for t in (5.0, 5.2, 5.8, 6.0) for m in messages(meta.document(t))]
    # x = 0.2 at 5 s enters the field (0.2 .. 0.6); x = 0.4 is crossed at 6 s
    assert ("LoiteringDetector/ObjectIsLoitering", "Initialized") in [s[:2] for s in seen]
    count = [s for s in seen if s[0] == "CountAggregation/Counter"]
    assert count == [("CountAggregation/Counter", "Initialized", {"ObjectId": "1"}, {"Count": "1"})]

    # A new client: the held instances first, as Initialized.
    again = messages(meta.document(6.2, sync=True))
    assert {(t, op) for t, op, _, _ in again} >= {
        ("LoiteringDetector/ObjectIsLoitering", "Initialized"),
        ("CountAggregation/Counter", "Initialized"),
    }
    # The counting rule goes: its instance is Deleted; the loitering one stays.
    analytics.rules[:] = analytics.rules[:1]
    gone = messages(meta.document(6.4))
    assert ("CountAggregation/Counter", "Deleted", {"ObjectId": "1"}, {"Count": "1"}) in gone
    assert not [m for m in messages(meta.document(6.6)) if m[0].startswith("Count")]
