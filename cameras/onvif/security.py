"""WS-UsernameToken for ONVIF: PasswordDigest with `Created` on the camera's clock.

Cameras check `Created` against their own clock, so the token is stamped with our UTC time
plus the offset learnt from `GetSystemDateAndTime`, in the `...Z` form every camera parses.
"""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import UTC, datetime, timedelta
from typing import Any

from lxml import etree
from zeep.wsse.utils import get_security_header

WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
PROFILE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
DIGEST = f"{PROFILE}#PasswordDigest"
TEXT = f"{PROFILE}#PasswordText"
BASE64 = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)


def created_stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def password_digest(nonce: bytes, created: str, password: str) -> str:
    return base64.b64encode(
        hashlib.sha1(nonce + created.encode() + password.encode()).digest()
    ).decode()


class UsernameToken:
    """A zeep wsse plugin; `clock_offset` (seconds, camera minus us) may change between calls."""

    def __init__(self, username: str, password: str, *, plaintext: bool = False) -> None:
        self.username = username
        self._password = password
        self.plaintext = plaintext
        self.clock_offset = 0.0

    def __repr__(self) -> str:  # never show the password
        return f"UsernameToken({self.username!r})"

    def apply(self, envelope: Any, headers: dict[str, str]) -> tuple[Any, dict[str, str]]:
        security = get_security_header(envelope)
        security.append(self.token(datetime.now(UTC) + timedelta(seconds=self.clock_offset)))
        return envelope, headers

    def verify(self, envelope: Any) -> Any:
        return envelope

    def token(self, now: datetime) -> etree._Element:
        token = etree.Element(f"{{{WSSE}}}UsernameToken", nsmap={"wsse": WSSE, "wsu": WSU})
        etree.SubElement(token, f"{{{WSSE}}}Username").text = self.username
        password = etree.SubElement(token, f"{{{WSSE}}}Password")
        if self.plaintext:
            password.set("Type", TEXT)
            password.text = self._password
            return token
        nonce = os.urandom(16)
        created = created_stamp(now)
        password.set("Type", DIGEST)
        password.text = password_digest(nonce, created, self._password)
        nonce_element = etree.SubElement(token, f"{{{WSSE}}}Nonce", EncodingType=BASE64)
        nonce_element.text = base64.b64encode(nonce).decode()
        etree.SubElement(token, f"{{{WSU}}}Created").text = created
        return token
