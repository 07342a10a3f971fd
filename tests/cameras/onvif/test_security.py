from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from cameras.onvif.security import DIGEST, WSSE, WSU, UsernameToken, created_stamp, password_digest
from cameras.onvif.wsdl import LocalLoader, document


def test_the_digest_follows_the_username_token_profile() -> None:
    # Digest = Base64(SHA-1(nonce + created + password)), the profile's worked example.
    nonce = base64.b64decode("LKqI6G/AikKCQrN0zqZFlg==")
    digest = password_digest(nonce, "2010-09-16T07:50:45Z", "userpassword")
    assert digest == "tuOSpGlFlIXsozq4HFNeeGeFLEI="


def test_created_is_utc_with_a_z() -> None:
    assert (
        created_stamp(datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC))
        == "2026-01-02T03:04:05.678Z"
    )


def test_the_token_uses_the_camera_clock_and_never_shows_the_password() -> None:
    token = UsernameToken("admin", "s3cret")
    element = token.token(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert element.find(f"{{{WSSE}}}Password").get("Type") == DIGEST
    assert element.find(f"{{{WSU}}}Created").text == "2026-01-02T03:04:05.000Z"
    assert "s3cret" not in repr(token)
    assert b"s3cret" not in __import__("lxml.etree").etree.tostring(element)


def test_wsdls_are_parsed_once_and_never_fetched() -> None:
    first = document("ver20/ptz/wsdl/ptz.wsdl")
    assert document("ver20/ptz/wsdl/ptz.wsdl") is first
    with pytest.raises(ValueError, match="self-contained"):
        LocalLoader().load("http://example.com/evil.xsd")
