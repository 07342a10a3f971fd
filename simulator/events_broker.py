"""Per-camera event broker: topics, property state, pull-point and push (Notify) subscriptions.

Nothing here runs on a timer: expired subscriptions are dropped when the broker is next used, pull
points wake waiting PullMessages calls, and push subscriptions get one short-lived HTTP POST each.
"""

from __future__ import annotations

import asyncio
import copy
import ipaddress
import logging
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import aiohttp
from lxml import etree

from simulator.soap import NS, SENDER, E, Fault, envelope, invalid_arg, iso_time, qn

if TYPE_CHECKING:
    from simulator.camera import Camera

log = logging.getLogger(__name__)
DIALECT = "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"
PUSH_TIMEOUT = 5.0
MAX_QUEUE = 1000


@dataclass
class Message:
    topic: str  # "tns1:Media/ProfileChanged"
    utc: float
    source: list[tuple[str, str]]
    data: list[tuple[str, str]] = field(default_factory=list)
    key: list[tuple[str, str]] = field(default_factory=list)
    operation: str | None = None  # Initialized | Changed | Deleted for property events
    elements: list[tuple[str, etree._Element]] = field(default_factory=list)  # Data ElementItems


@dataclass
class Subscription:
    id: str
    filters: list[str]
    termination: float  # camera clock
    consumer: str = ""  # push subscriptions
    content: list[etree.XPath] = field(default_factory=list)  # MessageContent filters
    queue: deque[Message] = field(default_factory=lambda: deque(maxlen=MAX_QUEUE))
    wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    sending: asyncio.Lock = field(default_factory=asyncio.Lock)  # keeps Notify posts in order

    def matches(self, topic: str) -> bool:
        if not self.filters:
            return True
        path = topic.split(":", 1)[-1]
        for expr in self.filters:
            expr = expr.split(":", 1)[-1] if ":" in expr.split("/", 1)[0] else expr
            expr = expr.removesuffix("//.").removesuffix("/*").rstrip("/")
            if path == expr or path.startswith(expr + "/"):
                return True
        return False


class EventBroker:
    def __init__(self, camera: Camera) -> None:
        self.camera = camera
        self.subscriptions: dict[str, Subscription] = {}
        self.properties: dict[tuple, Message] = {}
        self.counter = 0
        self.refused = 0  # subscription requests refused (the refuse_subscriptions quirk)
        self.session: aiohttp.ClientSession | None = None

    # -- subscriptions -------------------------------------------------------------------------
    def subscribe(
        self, filters: list[str], lifetime: float, consumer: str = "", content: list[str] = ()
    ) -> Subscription:
        self.expire()
        if consumer:
            check_consumer(consumer)
        compiled = [content_filter(x) for x in content]
        self.counter += 1
        sub = Subscription(
            str(self.counter), filters, self.camera.clock() + lifetime, consumer, content=compiled
        )
        self.subscriptions[sub.id] = sub
        self.synchronize(sub)
        return sub

    def get(self, sub_id: str) -> Subscription | None:
        self.expire()
        return self.subscriptions.get(sub_id)

    def expire(self) -> None:
        now = self.camera.clock()
        for sub_id in [s.id for s in self.subscriptions.values() if s.termination < now]:
            self.subscriptions.pop(sub_id).wakeup.set()

    def synchronize(self, sub: Subscription) -> None:
        """Send the current state of every property topic as 'Initialized'."""
        for msg in self.properties.values():
            if sub.matches(msg.topic):
                init = Message(
                    msg.topic,
                    self.camera.clock(),
                    msg.source,
                    msg.data,
                    msg.key,
                    "Initialized",
                    msg.elements,
                )
                self._deliver(sub, [init])

    # -- publishing --------------------------------------------------------------------------
    def publish(
        self,
        topic: str,
        source: list[tuple[str, str]],
        data: list[tuple[str, str]],
        key: list[tuple[str, str]] | None = None,
        prop: bool = False,
        elements: list[tuple[str, etree._Element]] | None = None,
    ) -> Message:
        """Publish an event; property events remember their state per (topic, source, key)."""
        op = None
        if prop:
            ident = (topic, tuple(source), tuple(key or ()))
            op = "Changed" if ident in self.properties else "Initialized"
            msg = Message(topic, self.camera.clock(), source, data, key or [], op, elements or [])
            self.properties[ident] = msg
        else:
            msg = Message(topic, self.camera.clock(), source, data, key or [], None, elements or [])
        self.expire()
        for sub in list(self.subscriptions.values()):
            if sub.matches(topic):
                self._deliver(sub, [msg])
        return msg

    def _held(self, topic: str, source, key) -> list[tuple]:
        """The remembered property instances of (topic, source), of one key or of all keys."""
        return [
            ident
            for ident in self.properties
            if ident[:2] == (topic, tuple(source)) and (key is None or ident[2] == tuple(key))
        ]

    def delete(self, topic: str, source: list[tuple[str, str]], key=None) -> None:
        """Property instances that end (their rule was deleted, a loitering object left): each is
        sent once more with PropertyOperation "Deleted" and forgotten."""
        self.expire()
        for ident in self._held(topic, source, key):
            last = self.properties.pop(ident)
            msg = Message(topic, self.camera.clock(), last.source, last.data, last.key, "Deleted")
            for sub in list(self.subscriptions.values()):
                if sub.matches(topic):
                    self._deliver(sub, [msg])

    def forget(self, topic: str, source: list[tuple[str, str]], key=None) -> None:
        """Drop remembered property state without telling anyone."""
        for ident in self._held(topic, source, key):
            del self.properties[ident]

    def _deliver(self, sub: Subscription, msgs: list[Message]) -> None:
        if sub.content:
            msgs = [m for m in msgs if all(bool(f(message_xml(m))) for f in sub.content)]
            if not msgs:
                return
        if sub.consumer:
            rt = self.camera.runtime
            if rt is not None:
                rt.spawn(self._push(sub, msgs))
            return
        sub.queue.extend(msgs)
        sub.wakeup.set()

    async def _push(self, sub: Subscription, msgs: list[Message]) -> None:
        notify = E("wsnt:Notify", [self.notification(m, sub) for m in msgs])
        body = envelope(
            notify,
            [E("wsa:Action", "http://docs.oasis-open.org/wsn/bw-2/NotificationConsumer/Notify")],
        )
        if self.session is None or self.session.closed:
            self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=PUSH_TIMEOUT))
        try:
            async with (
                sub.sending,
                self.session.post(
                    sub.consumer, data=body, headers={"Content-Type": "application/soap+xml"}
                ) as resp,
            ):
                await resp.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.info("%s: Notify to %s failed: %s", self.camera.name, sub.consumer, exc)

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()

    # -- XML ------------------------------------------------------------------------------------
    def notification(self, msg: Message, sub: Subscription | None = None) -> etree._Element:
        rt = self.camera.runtime
        message = message_xml(msg)
        topic = etree.Element(qn("wsnt:Topic"), nsmap={"tns1": NS["tns1"]}, Dialect=DIALECT)
        topic.text = msg.topic
        ref = None
        if sub is not None and rt is not None:
            ref = E(
                "wsnt:SubscriptionReference",
                E("wsa:Address", rt.url(f"/onvif/subscription/{sub.id}")),
            )
        return E("wsnt:NotificationMessage", ref, topic, E("wsnt:Message", message))


def _items(name: str, pairs, elements=()) -> etree._Element | None:
    if not pairs and not elements:
        return None
    return E(
        f"tt:{name}",
        [E("tt:SimpleItem", Name=n, Value=v) for n, v in pairs],
        [E("tt:ElementItem", copy.deepcopy(el), Name=n) for n, el in elements],
    )


def message_xml(msg: Message) -> etree._Element:
    """The tt:Message of an event (a fresh tree each time: messages go to several subscribers)."""
    return E(
        "tt:Message",
        _items("Source", msg.source),
        _items("Key", msg.key),
        _items("Data", msg.data, msg.elements),
        UtcTime=iso_time(msg.utc),
        PropertyOperation=msg.operation,
    )


def content_filter(expression: str) -> etree.XPath:
    """A wsnt:MessageContent filter (ONVIF ItemFilter dialect: an XPath over tt:Message)."""
    try:
        return etree.XPath(expression, namespaces=NS)
    except etree.XPathError:
        raise Fault(
            SENDER,
            ["ter:InvalidArgVal", "wsnt:InvalidMessageContentExpressionFault"],
            f"invalid message content filter {expression!r}",
        ) from None


def check_consumer(url: str) -> None:
    """The simulator only pushes to loopback consumers: it must not send traffic off the machine."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if parts.scheme != "http" or not loopback:
        raise invalid_arg("InvalidArgs", "the simulator only pushes to http:// loopback consumers")
