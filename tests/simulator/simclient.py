"""A small ONVIF SOAP client for the simulator tests.

Every successful response body is validated against the official ONVIF XSDs (simulator.xsd).
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime

import aiohttp
from lxml import etree

from simulator import xsd
from simulator.camera import Camera
from simulator.soap import NS

TIMEOUT = aiohttp.ClientTimeout(total=10)


@dataclass
class SoapFault(Exception):
    status: int
    code: str
    subcodes: list[str]
    reason: str


def wsse_header(
    user: str, password: str, created: datetime | None = None, nonce: bytes | None = None
) -> str:
    nonce = nonce or os.urandom(16)
    created_s = (created or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    digest = base64.b64encode(hashlib.sha1(nonce + created_s.encode() + password.encode()).digest())
    return (
        f'<wsse:Security xmlns:wsse="{NS["wsse"]}" xmlns:wsu="{NS["wsu"]}"><wsse:UsernameToken>'
        f"<wsse:Username>{user}</wsse:Username>"
        f'<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/'
        f'oasis-200401-wss-username-token-profile-1.0#PasswordDigest">{digest.decode()}'
        f"</wsse:Password><wsse:Nonce>{base64.b64encode(nonce).decode()}</wsse:Nonce>"
        f"<wsu:Created>{created_s}</wsu:Created></wsse:UsernameToken></wsse:Security>"
    )


def envelope(body: str, header: str = "") -> bytes:
    decls = " ".join(f'xmlns:{p}="{u}"' for p, u in NS.items())
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><env:Envelope {decls}>'
        f"<env:Header>{header}</env:Header><env:Body>{body}</env:Body></env:Envelope>"
    ).encode()


class Client:
    """Minimal ONVIF SOAP client for tests: WS-UsernameToken by default, or HTTP Digest."""

    def __init__(
        self,
        camera: Camera,
        user: str | None = "admin",
        password: str = "admin",
        auth: str = "wsse",
    ) -> None:
        self.camera, self.user, self.password, self.auth = camera, user, password, auth
        self.session: aiohttp.ClientSession | None = None

    @property
    def base(self) -> str:
        return f"http://{self.camera.host}:{self.camera.port}"

    async def __aenter__(self) -> Client:
        middlewares = ()
        if self.auth == "digest" and self.user:
            middlewares = (aiohttp.DigestAuthMiddleware(self.user, self.password),)
        self.session = aiohttp.ClientSession(timeout=TIMEOUT, middlewares=middlewares)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.session.close()

    async def raw(self, path: str, data: bytes, headers: dict | None = None):
        async with self.session.post(
            self.base + path,
            data=data,
            headers={"Content-Type": "application/soap+xml; charset=utf-8", **(headers or {})},
        ) as resp:
            return resp.status, dict(resp.headers), await resp.read()

    async def call(self, path: str, body: str, header: str | None = None, validate: bool = True):
        if header is None:
            header = (
                wsse_header(self.user, self.password) if self.auth == "wsse" and self.user else ""
            )
        status, _, data = await self.raw(path, envelope(body, header))
        return parse(status, data, validate)


def parse(status: int, data: bytes, validate: bool = True):
    root = etree.fromstring(data)
    payload = root.find(f"{{{NS['env']}}}Body")[0]
    if payload.tag == f"{{{NS['env']}}}Fault":
        values = payload.xpath(".//env:Value/text()", namespaces=NS)
        raise SoapFault(
            status, values[0], values[1:], payload.xpath("string(.//env:Text)", namespaces=NS)
        )
    assert status == 200
    if validate:
        errors = xsd.validate(payload)
        assert not errors, errors
    return payload


def xp(el, path: str):
    return el.xpath(path, namespaces=NS)


EVENTS = "/onvif/events_service"


async def pull_point(client: Client, topic: str | None = None) -> str:
    """CreatePullPointSubscription (optionally for one topic expression); its address."""
    flt = ""
    if topic:
        flt = (
            "<tev:Filter><wsnt:TopicExpression Dialect='http://www.onvif.org/ver10/tev/"
            f"topicExpression/ConcreteSet'>{topic}</wsnt:TopicExpression></tev:Filter>"
        )
    body = await client.call(
        EVENTS,
        f"<tev:CreatePullPointSubscription>{flt}<tev:InitialTerminationTime>"
        "PT60S</tev:InitialTerminationTime></tev:CreatePullPointSubscription>",
    )
    return xp(body, "string(tev:SubscriptionReference/wsa:Address)")


async def pull_messages(client: Client, address: str, timeout: str = "PT1S", limit: int = 100):
    """PullMessages on a pull point: the tt:Message elements with their wsnt:Topic text."""
    path = address.split(str(client.camera.port), 1)[1]
    body = await client.call(
        path,
        f"<tev:PullMessages><tev:Timeout>{timeout}</tev:Timeout>"
        f"<tev:MessageLimit>{limit}</tev:MessageLimit></tev:PullMessages>",
    )
    return [
        (xp(n, "string(wsnt:Topic)"), xp(n, "wsnt:Message/tt:Message")[0])
        for n in xp(body, "wsnt:NotificationMessage")
    ]
