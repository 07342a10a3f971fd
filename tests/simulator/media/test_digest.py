"""RTSP Digest authentication against the camera's users."""

from __future__ import annotations

import base64
import hashlib
import re

from simulator.auth import REALM
from simulator.camera import User
from simulator.media.digest import DigestAuth

from .conftest import make_camera


def md5(s: str) -> str:
    return hashlib.md5(s.encode()).hexdigest()


def answer(challenge: str, user: str, password: str, method: str, uri: str, nc: str = "") -> str:
    nonce = re.search(r'nonce="([^"]+)"', challenge).group(1)
    ha1, ha2 = md5(f"{user}:{REALM}:{password}"), md5(f"{method}:{uri}")
    if nc:
        resp = md5(f"{ha1}:{nonce}:{nc}:c0ffee:auth:{ha2}")
        extra = f', qop=auth, nc={nc}, cnonce="c0ffee"'
    else:
        resp, extra = md5(f"{ha1}:{nonce}:{ha2}"), ""
    return (
        f'Digest username="{user}", realm="{REALM}", nonce="{nonce}", uri="{uri}", '
        f'response="{resp}"{extra}'
    )


def test_it_accepts_rfc2069_and_qop_auth_and_refuses_replays():
    auth = DigestAuth(make_camera())
    ch = auth.challenge()
    user, stale = auth.check(answer(ch, "user", "user", "DESCRIBE", "rtsp://x/h264"), "DESCRIBE")
    assert user is not None and user.name == "user" and not stale
    header = answer(ch, "admin", "admin", "PLAY", "rtsp://x/h264", nc="00000001")
    assert auth.check(header, "PLAY")[0].name == "admin"
    assert auth.check(header, "PLAY") == (None, False)  # same nonce count again: a replay
    assert auth.check(answer(ch, "admin", "nope", "PLAY", "u"), "PLAY") == (None, False)
    assert auth.check(answer(ch, "admin", "admin", "PLAY", "u"), "SETUP") == (None, False)
    assert auth.check('Digest username="admin", nonce="forged"', "PLAY") == (None, True)
    assert auth.check("Basic YWRtaW46YWRtaW4=", "PLAY") == (None, False)


def test_every_user_level_may_view_media():
    assert all(
        DigestAuth.may_view(User("u", "p", level))
        for level in ("Administrator", "Operator", "User")
    )


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_a_basic_only_camera_asks_for_basic_and_takes_nothing_else():
    camera = make_camera()
    camera.quirks.rtsp_basic_only = True
    auth = DigestAuth(camera)
    challenge = auth.challenge()
    assert challenge == f'Basic realm="{REALM}"'
    user, stale = auth.check(basic("operator", "operator"), "DESCRIBE")
    assert user is not None and user.name == "operator" and not stale
    assert auth.check(basic("operator", "wrong"), "DESCRIBE") == (None, False)
    assert auth.check(basic("nobody", "operator"), "DESCRIBE") == (None, False)
    assert auth.check("Basic !!not-base64!!", "DESCRIBE") == (None, False)
    digest_challenge = DigestAuth(make_camera()).challenge()
    header = answer(digest_challenge, "admin", "admin", "DESCRIBE", "rtsp://x/h264")
    assert auth.check(header, "DESCRIBE") == (None, False)  # Digest is not offered
