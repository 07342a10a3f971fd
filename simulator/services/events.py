"""Events (tev + WS-BaseNotification): topics, pull points, Subscribe/Notify, renew/unsubscribe."""

from __future__ import annotations

import asyncio
import contextlib

from lxml import etree

from simulator.auth import PRE_AUTH, READ_MEDIA
from simulator.camera import Camera
from simulator.events_broker import DIALECT, Subscription
from simulator.services import Call, service
from simulator.services.analytics_catalog import RULES
from simulator.soap import (
    NS,
    SENDER,
    E,
    Fault,
    child,
    children,
    invalid_arg,
    iso_time,
    parse_duration,
    parse_time,
    qn,
    text,
)

svc = service("events", "tev", "/onvif/events_service", version=(21, 12), extra_prefixes=("wsnt",))
MAX_PULL_TIMEOUT, MAX_MESSAGES, DEFAULT_LIFETIME, MAX_LIFETIME = 60.0, 1000, 60.0, 86400.0
IGNORED_RELATIVE_LIFETIME = 3600.0  # what the ignore_relative_time quirk grants instead


def refuse_if_told(call: Call) -> None:
    """The refuse_subscriptions quirk: a camera whose subscription slots are all taken."""
    c = call.camera
    if c.quirks.refuse_subscriptions:
        call.rt.events.refused += 1
        raise Fault(SENDER, ["ter:OperationProhibited"], c.quirks.refuse_subscriptions)


TT, XS = "tt:ReferenceToken", "xs:string"
# (topic, is property, source items, key items, data items, present on this camera?)
TOPICS = [
    (
        "Device/Trigger/Relay",
        True,
        [("RelayToken", TT)],
        [],
        [("LogicalState", "tt:RelayLogicalState")],
        lambda c: bool(c.relays),
    ),
    (
        "Device/Trigger/DigitalInput",
        True,
        [("InputToken", TT)],
        [],
        [("LogicalState", "xs:boolean")],
        lambda c: bool(c.digital_inputs),
    ),
    ("Media/ProfileChanged", False, [("Token", TT)], [], [], lambda c: True),
    (
        "Monitoring/Profile/ActiveConnections",
        True,
        [("Profile", TT)],
        [],
        [("Status", "@tt:ProfileStatus")],
        lambda c: True,
    ),
    ("Media/ConfigurationChanged", False, [("Token", TT), ("Type", XS)], [], [], lambda c: True),
    *[
        (
            f"Configuration/{name}",
            False,
            [("Token", TT)],
            [],
            [("Configuration", f"@tt:{name.split('/')[0]}")],
            present,
        )
        for name, present in (
            ("VideoSourceConfiguration/MediaService", lambda c: True),
            ("VideoEncoderConfiguration", lambda c: True),
            ("AudioSourceConfiguration/MediaService", lambda c: bool(c.audio_sources)),
            ("AudioEncoderConfiguration", lambda c: bool(c.audio_sources)),
            ("AudioOutputConfiguration/MediaService", lambda c: bool(c.audio_outputs)),
            ("MetadataConfiguration", lambda c: True),
            ("PTZConfiguration", lambda c: c.has_ptz),
            ("VideoAnalyticsConfiguration", lambda c: c.has_analytics),
        )
    ],
    *[
        (
            f"PTZController/PTZPresets/{x}",
            False,
            [("PTZConfigurationToken", TT)],
            [],
            [("PresetToken", TT), ("PresetName", "tt:Name")],
            lambda c: c.has_ptz,
        )
        for x in ("Invoked", "Reached", "Aborted", "Left")
    ],
    (
        "PTZController/PTZPresetTours/Configuration",
        True,
        [("ProfileToken", TT), ("PresetTourToken", TT)],
        [],
        [("StateChange", "xs:boolean"), ("PresetTour", "@tt:PresetTour")],
        lambda c: c.has_ptz,
    ),
    *[
        (
            kind.topic.removeprefix("tns1:"),
            kind.prop,
            kind.source,
            kind.key,
            kind.data,
            lambda c: c.has_analytics,
        )
        for kind in RULES.values()
        if kind.topic is not None
    ],
    (
        "AudioAnalytics/Audio/DetectedSound",
        False,
        [("AudioSourceConfigurationToken", TT), ("AudioAnalyticsConfigurationToken", TT)],
        [],
        [("isSoundDetected", "xs:boolean"), ("UTCTime", "xs:dateTime")],
        lambda c: bool(c.audio_sources),
    ),
]


def capabilities(c: Camera):
    return E(
        "tev:Capabilities",
        WSSubscriptionPolicySupport=False,
        WSPausableSubscriptionManagerInterfaceSupport=False,
        MaxNotificationProducers=10,
        MaxPullPoints=10,
        PersistentNotificationStorage=False,
    )


svc.capabilities = capabilities


def item_description(tag: str, pairs: list[tuple[str, str]]) -> etree._Element | None:
    """A tt:ItemListDescription (None when empty); a type starting with "@" is an element item."""
    if not pairs:
        return None
    simple = [E("tt:SimpleItemDescription", Name=n, Type=t) for n, t in pairs if t[0] != "@"]
    elements = [E("tt:ElementItemDescription", Name=n, Type=t[1:]) for n, t in pairs if t[0] == "@"]
    return E(tag, simple, elements)


def topic_set(c: Camera) -> etree._Element:
    root = E("wstop:TopicSet")
    for path, prop, source, key, data, present in TOPICS:
        if not present(c):
            continue
        node = root
        for part in path.split("/"):
            found = next((x for x in node if x.tag == qn(f"tns1:{part}")), None)
            node = found if found is not None else etree.SubElement(node, qn(f"tns1:{part}"))
        node.set(qn("wstop:topic"), "true")
        node.append(
            E(
                "tt:MessageDescription",
                item_description("tt:Source", source),
                item_description("tt:Key", key),
                item_description("tt:Data", data),
                IsProperty=prop,
            )
        )
    return root


def _qname_nsmap(el: etree._Element) -> etree._Element:
    """Re-create the element so that the prefixes used inside attribute values are declared."""
    holder = etree.Element(el.tag, nsmap={"tt": NS["tt"], "xs": NS["xs"], "tns1": NS["tns1"]})
    holder[:] = list(el)
    for k, v in el.attrib.items():
        holder.set(k, v)
    return holder


@svc.op("GetServiceCapabilities", PRE_AUTH)
def get_service_capabilities(call: Call):
    return E("tev:GetServiceCapabilitiesResponse", capabilities(call.camera))


@svc.op("GetEventProperties", READ_MEDIA)
def get_event_properties(call: Call):
    return _qname_nsmap(
        E(
            "tev:GetEventPropertiesResponse",
            E("tev:TopicNamespaceLocation", "http://www.onvif.org/onvif/ver10/topics/topicns.xml"),
            E("wsnt:FixedTopicSet", True),
            topic_set(call.camera),
            E("wsnt:TopicExpressionDialect", DIALECT),
            E(
                "wsnt:TopicExpressionDialect",
                "http://docs.oasis-open.org/wsn/t-1/TopicExpression/Concrete",
            ),
            E(
                "tev:MessageContentFilterDialect",
                "http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter",
            ),
            E(
                "tev:MessageContentSchemaLocation",
                "http://www.onvif.org/onvif/ver10/schema/onvif.xsd",
            ),
        )
    )


def content_filters(body: etree._Element) -> list[str]:
    return [(x.text or "").strip() for x in children(child(body, "Filter"), "MessageContent")]


def filters(body: etree._Element) -> list[str]:
    out = []
    for expr in children(child(body, "Filter"), "TopicExpression"):
        out += [t.strip() for t in (expr.text or "").split("|") if t.strip()]
    return out


def lifetime(c: Camera, value: str | None) -> float:
    if value is None:
        return DEFAULT_LIFETIME
    relative = value.strip().startswith(("P", "-P"))
    if relative and c.quirks.ignore_relative_time:
        return IGNORED_RELATIVE_LIFETIME
    seconds = parse_duration(value) if relative else (parse_time(value) - c.clock())
    if not 0 < seconds <= MAX_LIFETIME:
        raise Fault(
            SENDER,
            ["ter:InvalidArgVal", "ter:UnacceptableInitialTerminationTime"],
            "InitialTerminationTime out of range",
        )
    return seconds


def reference(call: Call, sub: Subscription, tag: str):
    return E(tag, E("wsa:Address", call.rt.url(f"/onvif/subscription/{sub.id}")))


@svc.op("CreatePullPointSubscription", READ_MEDIA)
def create_pull_point_subscription(call: Call):
    c = call.camera
    refuse_if_told(call)
    ttl = lifetime(c, text(call.body, "InitialTerminationTime"))
    sub = call.rt.events.subscribe(filters(call.body), ttl, content=content_filters(call.body))
    return E(
        "tev:CreatePullPointSubscriptionResponse",
        reference(call, sub, "tev:SubscriptionReference"),
        E("wsnt:CurrentTime", iso_time(c.clock())),
        E("wsnt:TerminationTime", iso_time(sub.termination)),
    )


@svc.op("Subscribe", READ_MEDIA)
def subscribe(call: Call):
    c = call.camera
    refuse_if_told(call)
    consumer = text(child(call.body, "ConsumerReference"), "Address")
    if not consumer:
        raise invalid_arg("InvalidArgs", "ConsumerReference/Address is required")
    ttl = lifetime(c, text(call.body, "InitialTerminationTime"))
    sub = call.rt.events.subscribe(filters(call.body), ttl, consumer, content_filters(call.body))
    return E(
        "wsnt:SubscribeResponse",
        reference(call, sub, "wsnt:SubscriptionReference"),
        E("wsnt:CurrentTime", iso_time(c.clock())),
        E("wsnt:TerminationTime", iso_time(sub.termination)),
    )


def subscription(call: Call) -> Subscription:
    sub_id = call.path.rsplit("/", 1)[-1]
    sub = call.rt.events.get(sub_id)
    if sub is None:
        raise invalid_arg(
            "ResourceUnknown", f"no subscription {sub_id!r} (expired or unsubscribed)"
        )
    return sub


@svc.op("PullMessages", READ_MEDIA)
async def pull_messages(call: Call):
    sub = subscription(call)
    if sub.consumer:
        raise invalid_arg("InvalidArgs", "this is a push subscription")
    timeout = parse_duration(text(call.body, "Timeout") or "PT0S")
    limit = int(text(call.body, "MessageLimit") or "1")
    if not 0 <= timeout <= MAX_PULL_TIMEOUT or not 1 <= limit <= MAX_MESSAGES:
        detail = E(
            "tev:PullMessagesFaultResponse",
            E("tev:MaxTimeout", f"PT{MAX_PULL_TIMEOUT:g}S"),
            E("tev:MaxMessageLimit", MAX_MESSAGES),
        )
        raise Fault(SENDER, ["ter:InvalidArgVal"], "Timeout or MessageLimit too large", detail)
    if not sub.queue and timeout > 0:
        sub.wakeup.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(sub.wakeup.wait(), timeout)
    msgs = [sub.queue.popleft() for _ in range(min(limit, MAX_MESSAGES, len(sub.queue)))]
    if not sub.queue:
        sub.wakeup.clear()
    c, events = call.camera, call.rt.events
    return E(
        "tev:PullMessagesResponse",
        E("tev:CurrentTime", iso_time(c.clock())),
        E("tev:TerminationTime", iso_time(sub.termination)),
        [events.notification(m, sub) for m in msgs],
    )


@svc.op("Seek", READ_MEDIA)
def seek(call: Call):
    subscription(call)
    from simulator.soap import not_supported

    raise not_supported(reason="Seek is not supported (no persistent notification storage)")


@svc.op("SetSynchronizationPoint", READ_MEDIA)
def set_synchronization_point(call: Call):
    call.rt.events.synchronize(subscription(call))
    return E("tev:SetSynchronizationPointResponse")


@svc.op("Renew", READ_MEDIA)
def renew(call: Call):
    sub = subscription(call)
    c = call.camera
    sub.termination = c.clock() + lifetime(c, text(call.body, "TerminationTime"))
    return E(
        "wsnt:RenewResponse",
        E("wsnt:TerminationTime", iso_time(sub.termination)),
        E("wsnt:CurrentTime", iso_time(c.clock())),
    )


@svc.op("Unsubscribe", READ_MEDIA)
def unsubscribe(call: Call):
    sub = subscription(call)
    call.rt.events.subscriptions.pop(sub.id, None)
    sub.wakeup.set()
    return E("wsnt:UnsubscribeResponse")
