"""RTSP Digest authentication (RFC 2617/7616 MD5, qop=auth or none) against the camera's users.

Its own nonces: ``simulator.auth`` derives HTTP nonces from the current second, so two RTSP
clients starting in the same second would share a nonce and trip its replay check.

The ``rtsp_basic_only`` quirk makes it an old camera's RTSP server: it challenges for Basic
(the password in clear, base64) and takes nothing else.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
import time

from simulator.auth import READ_MEDIA, REALM, allowed
from simulator.camera import Camera, User

NONCE_LIFETIME = 300.0
_FIELD = re.compile(r'(\w+)=(?:"([^"]*)"|([^\s,]+))')


def _md5(value: str) -> str:
    return hashlib.md5(value.encode()).hexdigest()


class DigestAuth:
    def __init__(self, camera: Camera) -> None:
        self.camera = camera
        self.nonces: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    def challenge(self, stale: bool = False) -> str:
        if self.camera.quirks.rtsp_basic_only:
            return f'Basic realm="{REALM}"'
        now = time.monotonic()
        for old in [n for n, t in self.nonces.items() if now - t > NONCE_LIFETIME]:
            self.nonces.pop(old)
            self.counts.pop(old, None)
        nonce = secrets.token_hex(16)
        self.nonces[nonce] = now
        extra = ", stale=true" if stale else ""
        return f'Digest realm="{REALM}", nonce="{nonce}", algorithm=MD5, qop="auth"{extra}'

    def check(self, authorization: str, method: str) -> tuple[User | None, bool]:
        """(user or None, stale nonce?) for an Authorization header."""
        if self.camera.quirks.rtsp_basic_only:
            return self._basic(authorization), False
        if not authorization.lower().startswith("digest "):
            return None, False
        f = {k: a or b for k, a, b in _FIELD.findall(authorization[7:])}
        nonce = f.get("nonce", "")
        if nonce not in self.nonces:
            return None, True
        user = next((u for u in self.camera.users if u.name == f.get("username")), None)
        if user is None or f.get("realm") != REALM:
            return None, False
        ha1 = _md5(f"{user.name}:{REALM}:{user.password}")
        ha2 = _md5(f"{method}:{f.get('uri', '')}")
        if f.get("qop") == "auth":
            nc = f.get("nc", "0")
            expected = _md5(f"{ha1}:{nonce}:{nc}:{f.get('cnonce', '')}:auth:{ha2}")
            count = int(nc, 16) if re.fullmatch(r"[0-9a-fA-F]{1,8}", nc) else 0
            if count <= self.counts.get(nonce, 0):
                return None, False
        else:
            expected, count = _md5(f"{ha1}:{nonce}:{ha2}"), 0
        if not hmac.compare_digest(expected, f.get("response", "")):
            return None, False
        if count:
            self.counts[nonce] = count
        return user, False

    def _basic(self, authorization: str) -> User | None:
        if not authorization.lower().startswith("basic "):
            return None
        try:
            decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        name, _, password = decoded.partition(":")
        user = next((u for u in self.camera.users if u.name == name), None)
        if user is None or not hmac.compare_digest(user.password.encode(), password.encode()):
            return None
        return user

    @staticmethod
    def may_view(user: User) -> bool:
        return allowed(user, READ_MEDIA)
