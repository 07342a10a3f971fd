"""Event service operations (event.wsdl, WS-BaseNotification) and the typed event message.

Subscriptions live at addresses the camera returns, so everything after the subscribe call
goes through `OnvifClient.call_at`. Event messages are read from the XML itself (zeep drops
the text of the mixed-content wsnt:Topic), for pulled and pushed (Notify) messages alike.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from lxml import etree

from cameras.onvif.errors import ProtocolError
from cameras.onvif.faults import translate

if TYPE_CHECKING:
    from cameras.onvif.client import OnvifClient

WSNT = "http://docs.oasis-open.org/wsn/b-2"
TEV = "http://www.onvif.org/ver10/events/wsdl"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
PULL_ACTION = "http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/PullMessagesRequest"
WSA = "http://www.w3.org/2005/08/addressing"
TT = "http://www.onvif.org/ver10/schema"
TOPICS_NS = "http://www.onvif.org/ver10/topics"
WSTOP = "http://docs.oasis-open.org/wsn/t-1"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)

# Human-readable names of the topics of IEC 62676-2-31 (checklist section 10).
TOPIC_NAMES = {
    "tns1:Media/ProfileChanged": "Profile changed",
    "tns1:Media/ConfigurationChanged": "Configuration changed",
    "tns1:Monitoring/Profile/ActiveConnections": "Active connections",
    "tns1:Monitoring/ActiveSessions/VideoEncoder": "Active video sessions",
    "tns1:Monitoring/ActiveSessions/AudioEncoder": "Active audio sessions",
    "tns1:Monitoring/ActiveSessions/AudioDecoder": "Active audio back-channel sessions",
    "tns1:Monitoring/ActiveSessions/Metadata": "Active metadata sessions",
    "tns1:Configuration/Profile": "Profile configuration",
    "tns1:Configuration/VideoEncoderConfiguration": "Video encoder configuration",
    "tns1:Configuration/VideoSourceConfiguration/MediaService": "Video source configuration",
    "tns1:Configuration/VideoOutputConfiguration/MediaService": "Video output configuration",
    "tns1:Configuration/AudioEncoderConfiguration": "Audio encoder configuration",
    "tns1:Configuration/AudioSourceConfiguration/MediaService": "Audio source configuration",
    "tns1:Configuration/AudioOutputConfiguration/MediaService": "Audio output configuration",
    "tns1:Configuration/MetadataConfiguration": "Metadata configuration",
    "tns1:Configuration/PTZConfiguration": "PTZ configuration",
    "tns1:Configuration/VideoAnalyticsConfiguration": "Analytics configuration",
    "tns1:PTZController/PTZPresets/Invoked": "PTZ preset invoked",
    "tns1:PTZController/PTZPresets/Reached": "PTZ preset reached",
    "tns1:PTZController/PTZPresets/Aborted": "PTZ preset aborted",
    "tns1:PTZController/PTZPresets/Left": "PTZ preset left",
    "tns1:PTZController/PTZPresetTours/Configuration": "PTZ preset tour",
    "tns1:AudioAnalytics/Audio/DetectedSound": "Sound detected",
    "tns1:RuleEngine/LineDetector/Crossed": "Line crossed",
    "tns1:RuleEngine/FieldDetector/ObjectsInside": "Object in field",
    "tns1:RuleEngine/LoiteringDetector/ObjectIsLoitering": "Loitering",
    "tns1:RuleEngine/DeclarativeMotionDetector/MotionMatched": "Motion matched",
    "tns1:RuleEngine/CountAggregation/Counter": "Object count",
    "tns1:RuleEngine/QueryRule": "Query rule",
    "tns1:RuleEngine/CellMotionDetector/Motion": "Cell motion",
    "tns1:RuleEngine/MotionRegionDetector/Motion": "Motion in region",
    "tns1:VideoSource/SignalLoss": "Video signal lost",
    "tns1:VideoSource/MotionAlarm": "Motion alarm",
    "tns1:Device/Trigger/DigitalInput": "Digital input",
    "tns1:Device/Trigger/Relay": "Relay",
}
for _kind, _label in (("ImageTooBlurry", "Image too blurry"), ("ImageTooDark", "Image too dark"),
                      ("ImageTooBright", "Image too bright"),
                      ("GlobalSceneChange", "Scene changed")):  # fmt: skip
    for _service in ("AnalyticsService", "ImagingService", "RecordingService"):
        TOPIC_NAMES[f"tns1:VideoSource/{_kind}/{_service}"] = _label

# Data items that carry the on/off state of a property event, in order of preference.
STATE_ITEMS = ("State", "IsMotion", "IsInside", "LogicalState", "isSoundDetected", "StateChange")
RESYNC_TOPICS = frozenset({"tns1:Media/ProfileChanged", "tns1:Media/ConfigurationChanged"})
MEDIA1_CHANGES = (
    "tns1:Configuration/"  # Media1: Configuration/Profile, .../VideoEncoderConfiguration
)


def needs_resync(topic: str) -> bool:
    """A profile or configuration changed on the camera (Media2 clause 6.13, Media1 6.14)."""
    return topic in RESYNC_TOPICS or topic.startswith(MEDIA1_CHANGES)


def topic_name(topic: str) -> str:
    """'Line crossed' for tns1:RuleEngine/LineDetector/Crossed; vendor topics get their last
    path step split into words."""
    if topic in TOPIC_NAMES:
        return TOPIC_NAMES[topic]
    if topic.startswith("tns1:Configuration/"):
        return "Configuration changed"
    last = topic.rsplit("/", 1)[-1].split(":")[-1] or topic
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", last)
    return words[:1].upper() + words[1:].lower()


@dataclass(frozen=True)
class EventMessage:
    topic: str  # "tns1:RuleEngine/LineDetector/Crossed"
    utc_time: datetime | None  # camera clock
    property_operation: str = ""  # Initialized, Changed, Deleted (property events)
    source: dict[str, str] = field(default_factory=dict)
    key: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return topic_name(self.topic)

    @property
    def rule(self) -> str:
        return self.source.get("Rule") or self.source.get("RuleName") or ""

    @property
    def state(self) -> bool | None:
        for item in STATE_ITEMS:
            if item in self.data:
                return self.data[item].strip().lower() in ("true", "1", "active")
        return None


@dataclass(frozen=True)
class SubscriptionInfo:
    address: str  # the subscription manager (and pull point) address the camera returned
    current_time: datetime | None
    termination_time: datetime | None

    @property
    def lifetime(self) -> float | None:
        """Seconds the camera granted (its own clock on both ends)."""
        if self.current_time is None or self.termination_time is None:
            return None
        return (self.termination_time - self.current_time).total_seconds()


@dataclass(frozen=True)
class PullResult:
    current_time: datetime | None
    termination_time: datetime | None
    messages: list[EventMessage]


@dataclass(frozen=True)
class TopicInfo:
    topic: str
    is_property: bool


def duration(seconds: float) -> str:
    return f"PT{round(seconds)}S"


def absolute_time(seconds: float, clock_offset: float) -> str:
    """A termination time `seconds` from now on the camera's clock, for cameras that mishandle
    relative (xs:duration) times."""
    moment = datetime.now(UTC) + timedelta(seconds=seconds + clock_offset)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def honours_relative(requested: float, granted: float | None) -> bool:
    """Whether the camera granted about the relative lifetime asked for (some cameras read
    PT60S as "60 seconds after 1970" or ignore it and grant minutes or days)."""
    return granted is not None and 0.5 * requested <= granted <= 2 * requested + 5


def termination(seconds: float, *, relative: bool, clock_offset: float) -> str:
    return duration(seconds) if relative else absolute_time(seconds, clock_offset)


def _address(reference: Any) -> str:
    address = getattr(reference, "Address", None)
    value = getattr(address, "_value_1", address)
    if not value:
        raise ProtocolError("The camera returned a subscription without an address.")
    return str(value).strip()


def _time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


async def get_event_properties(client: OnvifClient) -> list[TopicInfo]:
    answer = await client.call("events", "GetEventProperties")
    found: list[TopicInfo] = []

    def walk(element: Any, path: list[str]) -> None:
        if not isinstance(element.tag, str) or element.tag.startswith(f"{{{TT}}}"):
            return
        step = element.tag.rsplit("}", 1)[-1]
        here = [*path, step]
        if element.get(f"{{{WSTOP}}}topic") in ("true", "1"):
            description = element.find(f"{{{TT}}}MessageDescription")
            is_property = description is not None and description.get("IsProperty") in (
                "true",
                "1",
            )
            found.append(TopicInfo("tns1:" + "/".join(here), is_property))
        for child in element:
            walk(child, here)

    topic_set = getattr(answer, "TopicSet", None)
    for element in getattr(topic_set, "_value_1", None) or []:
        walk(element, [])
    return found


async def create_pull_point_subscription(
    client: OnvifClient, initial_termination: str
) -> SubscriptionInfo:
    answer = await client.call(
        "events", "CreatePullPointSubscription", InitialTerminationTime=initial_termination
    )
    return SubscriptionInfo(
        _address(answer.SubscriptionReference),
        _time(answer.CurrentTime),
        _time(answer.TerminationTime),
    )


async def subscribe(
    client: OnvifClient, consumer: str, initial_termination: str
) -> SubscriptionInfo:
    """WS-BaseNotification Subscribe: the camera pushes Notify to `consumer`."""
    answer = await client.call_at(
        "producer",
        client.xaddrs["events"],
        "Subscribe",
        ConsumerReference={"Address": consumer},
        InitialTerminationTime=initial_termination,
    )
    return SubscriptionInfo(
        _address(answer.SubscriptionReference),
        _time(answer.CurrentTime),
        _time(answer.TerminationTime),
    )


def pull_request(address: str, timeout: float, limit: int) -> etree._Element:
    """The PullMessages envelope, built directly: it is sent many times a second, and zeep
    takes about a millisecond to build each one."""
    envelope = etree.Element(f"{{{SOAP12}}}Envelope", nsmap={"s": SOAP12, "wsa": WSA})
    header = etree.SubElement(envelope, f"{{{SOAP12}}}Header")
    etree.SubElement(header, f"{{{WSA}}}Action").text = PULL_ACTION
    etree.SubElement(header, f"{{{WSA}}}MessageID").text = f"urn:uuid:{uuid.uuid4()}"
    etree.SubElement(header, f"{{{WSA}}}To").text = address
    body = etree.SubElement(envelope, f"{{{SOAP12}}}Body")
    pull = etree.SubElement(body, f"{{{TEV}}}PullMessages", nsmap={"tev": TEV})
    etree.SubElement(pull, f"{{{TEV}}}Timeout").text = duration(timeout)
    etree.SubElement(pull, f"{{{TEV}}}MessageLimit").text = str(limit)
    return envelope


async def pull_messages(
    client: OnvifClient, address: str, timeout: float, limit: int = 100
) -> PullResult:
    envelope = await _pull(client, address, timeout, limit)
    if envelope is None:  # a fault or an HTTP error: let the full client name it
        envelope = await client.call_raw_at(
            "pullpoint", address, "PullMessages", Timeout=duration(timeout), MessageLimit=limit
        )
    answer = envelope.find(f".//{{{TEV}}}PullMessagesResponse")
    if answer is None:
        raise ProtocolError("The camera's answer to PullMessages has no PullMessagesResponse.")
    return PullResult(
        _parse_time(answer.findtext(f"{{{TEV}}}CurrentTime")),
        _parse_time(answer.findtext(f"{{{TEV}}}TerminationTime")),
        notification_messages(answer),
    )


async def _pull(
    client: OnvifClient, address: str, timeout: float, limit: int
) -> etree._Element | None:
    """PullMessages without zeep; None when the answer is not a plain success."""
    headers = {"Content-Type": f'application/soap+xml; charset=utf-8; action="{PULL_ACTION}"'}
    envelope = pull_request(client.rewrite(address), timeout, limit)
    envelope, headers = client.token.apply(envelope, headers)
    message = etree.tostring(envelope, xml_declaration=True, encoding="utf-8")
    client.calls += 1
    try:
        async with asyncio.timeout(client.timeout):
            status, content = await client.transport.post_bytes(
                client.rewrite(address), message, headers
            )
    except Exception as exc:  # noqa: BLE001  (translate() maps every failure)
        raise translate(exc, "PullMessages", client.where, client.timeout) from None
    if status != 200:
        return None
    try:
        root = etree.fromstring(content, _PARSER)
    except etree.XMLSyntaxError:
        return None
    return None if root.find(f"{{{SOAP12}}}Body/{{{SOAP12}}}Fault") is not None else root


async def renew(client: OnvifClient, address: str, termination_time: str) -> SubscriptionInfo:
    answer = await client.call_at(
        "subscription", address, "Renew", TerminationTime=termination_time
    )
    return SubscriptionInfo(address, _time(answer.CurrentTime), _time(answer.TerminationTime))


async def unsubscribe(client: OnvifClient, address: str) -> None:
    try:
        await client.call_at("subscription", address, "Unsubscribe")
    finally:
        client.forget(address)


async def set_synchronization_point(client: OnvifClient, address: str) -> None:
    await client.call_at("pullpoint", address, "SetSynchronizationPoint")


# -- messages ------------------------------------------------------------------------------


def _items(parent: Any, name: str) -> dict[str, str]:
    items: dict[str, str] = {}
    group = parent.find(f"{{{TT}}}{name}")
    if group is None:
        return items
    for item in group:
        if item.tag == f"{{{TT}}}SimpleItem":
            items[str(item.get("Name", ""))] = str(item.get("Value", ""))
        elif item.tag == f"{{{TT}}}ElementItem" and len(item):
            text = etree.tostring(item[0], encoding="unicode")
            items[str(item.get("Name", ""))] = text[:2000]
    return items


def _topic(element: Any) -> str:
    """The topic with the ONVIF topic namespace spelt tns1:, whatever prefix the camera used."""
    text = (element.text or "").strip() if element is not None else ""
    prefix, sep, path = text.partition(":")
    if sep and element.nsmap.get(prefix) == TOPICS_NS:
        return f"tns1:{path}"
    return text


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def notification_messages(root: Any) -> list[EventMessage]:
    """Every wsnt:NotificationMessage under `root` (a PullMessages answer or a Notify)."""
    messages = []
    for notification in root.iter(f"{{{WSNT}}}NotificationMessage"):
        message = notification.find(f"{{{WSNT}}}Message/{{{TT}}}Message")
        if message is None:
            continue
        messages.append(
            EventMessage(
                topic=_topic(notification.find(f"{{{WSNT}}}Topic")),
                utc_time=_parse_time(message.get("UtcTime")),
                property_operation=str(message.get("PropertyOperation") or ""),
                source=_items(message, "Source"),
                key=_items(message, "Key"),
                data=_items(message, "Data"),
            )
        )
    return messages


def parse_notify(body: bytes) -> list[EventMessage]:
    """The messages of a pushed wsnt:Notify (a SOAP envelope)."""
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ProtocolError("The Notify message is not well-formed XML.", detail=str(exc)) from None
    if root.find(f".//{{{WSNT}}}Notify") is None:
        raise ProtocolError("The message is not a wsnt:Notify.")
    return notification_messages(root)
