"""Authentication: WS-UsernameToken (PasswordDigest) and HTTP Digest, plus ONVIF access classes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
import time
from collections import OrderedDict
from datetime import datetime
from urllib.parse import urlsplit

from lxml import etree

from simulator.camera import Camera, User
from simulator.soap import SENDER, Fault, child, text

PRE_AUTH = "PRE_AUTH"
READ_SYSTEM = "READ_SYSTEM"
READ_SYSTEM_SENSITIVE = "READ_SYSTEM_SENSITIVE"
READ_SYSTEM_SECRET = "READ_SYSTEM_SECRET"
WRITE_SYSTEM = "WRITE_SYSTEM"
UNRECOVERABLE = "UNRECOVERABLE"
READ_MEDIA = "READ_MEDIA"
ACTUATE = "ACTUATE"

# Default access policy (Core): which user levels may use each access class.
POLICY = {
    PRE_AUTH: {"Administrator", "Operator", "User", "Anonymous"},
    READ_SYSTEM: {"Administrator", "Operator", "User"},
    READ_SYSTEM_SENSITIVE: {"Administrator", "Operator"},
    READ_SYSTEM_SECRET: {"Administrator"},
    WRITE_SYSTEM: {"Administrator"},
    UNRECOVERABLE: {"Administrator"},
    READ_MEDIA: {"Administrator", "Operator", "User"},
    ACTUATE: {"Administrator", "Operator"},
}
DIGEST_TYPE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"
CREATED_WINDOW = 300.0  # seconds of clock difference accepted on wsu:Created
NONCE_MEMORY = 2 * CREATED_WINDOW
REALM = "ONVIF Simulator"
HTTP_NONCE_LIFETIME = 300.0


class NeedsChallenge(Exception):
    """No usable credentials: answer HTTP 401 with a Digest challenge."""

    def __init__(self, stale: bool = False) -> None:
        self.stale = stale


def not_authorized(reason: str) -> Fault:
    return Fault(SENDER, ["ter:NotAuthorized"], reason)


class Authenticator:
    """Per-camera authentication state: seen WS-Security nonces and HTTP Digest nonce counts."""

    def __init__(self, camera: Camera) -> None:
        self.camera = camera
        self.secret = os.urandom(16)
        self.seen_nonces: OrderedDict[str, float] = OrderedDict()
        self.nonce_counts: dict[str, int] = {}

    def user(self, name: str) -> User | None:
        return next((u for u in self.camera.users if u.name == name), None)

    # -- WS-UsernameToken --------------------------------------------------------------------
    def check_wsse(self, header: etree._Element | None) -> User | None:
        token = child(child(header, "Security"), "UsernameToken")
        if token is None:
            return None
        name, password = text(token, "Username") or "", child(token, "Password")
        nonce, created = text(token, "Nonce") or "", text(token, "Created") or ""
        user = self.user(name)
        if password is None or password.get("Type", DIGEST_TYPE) != DIGEST_TYPE:
            raise not_authorized("only PasswordDigest UsernameTokens are accepted")
        if user is None or not nonce or not created:
            raise not_authorized("the security token could not be authenticated")
        try:
            raw_nonce = base64.b64decode(nonce, validate=True)
            when = datetime.fromisoformat(created.replace("Z", "+00:00")).timestamp()
        except ValueError:
            raise not_authorized("malformed Nonce or Created") from None
        if abs(self.camera.clock() - when) > CREATED_WINDOW:
            raise not_authorized("Created is outside the accepted time window")
        digest = base64.b64encode(
            hashlib.sha1(raw_nonce + created.encode() + user.password.encode()).digest()
        ).decode()
        if not hmac.compare_digest(digest, (password.text or "").strip()):
            raise not_authorized("the security token could not be authenticated")
        self._forget_old_nonces()
        if nonce in self.seen_nonces:
            raise not_authorized("replayed nonce")
        self.seen_nonces[nonce] = time.monotonic()
        return user

    def _forget_old_nonces(self) -> None:
        horizon = time.monotonic() - NONCE_MEMORY
        while self.seen_nonces and next(iter(self.seen_nonces.values())) < horizon:
            self.seen_nonces.popitem(last=False)

    # -- HTTP Digest (RFC 7616, MD5, qop=auth) --------------------------------------------------
    def challenge(self, stale: bool = False) -> str:
        # A fresh nonce per challenge (time and a random part): two clients challenged in the
        # same second must not share one, or the second one's nc=1 looks like a replay.
        stamp = f"{time.time():.0f}.{secrets.token_hex(6)}"
        mac = hmac.new(self.secret, stamp.encode(), hashlib.sha256).hexdigest()[:32]
        nonce = base64.b64encode(f"{stamp}:{mac}".encode()).decode()
        extra = ", stale=true" if stale else ""
        return f'Digest realm="{REALM}", qop="auth", algorithm=MD5, nonce="{nonce}"{extra}'

    def check_http_digest(
        self, authorization: str | None, method: str, path: str | None = None
    ) -> User | None:
        """The user of a valid HTTP Digest ``Authorization`` header, None if there is none.

        ``path`` (the request target) is compared with the digest ``uri`` when given.
        """
        if not authorization or not authorization.lower().startswith("digest "):
            return None
        fields = {k: a or b for k, a, b in _FIELD.findall(authorization[7:])}
        if path is not None and urlsplit(fields.get("uri", "")).path != urlsplit(path).path:
            raise NeedsChallenge()  # the digest was computed for another resource
        nonce = fields.get("nonce", "")
        if not self._valid_nonce(nonce):
            raise NeedsChallenge(stale=True)
        user = self.user(fields.get("username", ""))
        if user is None or fields.get("realm") != REALM:
            raise NeedsChallenge()
        ha1 = _md5(f"{user.name}:{REALM}:{user.password}")
        ha2 = _md5(f"{method}:{fields.get('uri', '')}")
        qop, nc, cnonce = fields.get("qop"), fields.get("nc", ""), fields.get("cnonce", "")
        if qop == "auth":
            expected = _md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
        else:
            expected = _md5(f"{ha1}:{nonce}:{ha2}")
        if not hmac.compare_digest(expected, fields.get("response", "")):
            raise NeedsChallenge()
        if qop == "auth":
            count = int(nc or "0", 16)
            if count <= self.nonce_counts.get(nonce, 0):
                raise NeedsChallenge()  # replayed request
            if nonce not in self.nonce_counts and len(self.nonce_counts) >= MAX_DIGEST_NONCES:
                self.nonce_counts = {
                    n: c for n, c in self.nonce_counts.items() if self._valid_nonce(n)
                }
            self.nonce_counts[nonce] = count
        return user

    def _valid_nonce(self, nonce: str) -> bool:
        try:
            stamp, mac = base64.b64decode(nonce).decode().split(":")
        except (ValueError, UnicodeDecodeError):
            return False
        good = hmac.new(self.secret, stamp.encode(), hashlib.sha256).hexdigest()[:32]
        issued = float(stamp.split(".", 1)[0]) if stamp.split(".", 1)[0].isdigit() else 0.0
        return hmac.compare_digest(good, mac) and time.time() - issued < HTTP_NONCE_LIFETIME


MAX_DIGEST_NONCES = 1000  # nonce counts kept; expired nonces are dropped when it is reached
_FIELD = re.compile(r'(\w+)=(?:"([^"]*)"|([^\s,]+))')


def _md5(value: str) -> str:
    return hashlib.md5(value.encode()).hexdigest()


def allowed(user: User | None, access: str) -> bool:
    return (user.level if user else "Anonymous") in POLICY[access]
