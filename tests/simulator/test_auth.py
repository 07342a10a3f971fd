"""WS-UsernameToken and HTTP Digest authentication, and the access classes."""

import asyncio
import base64
import os
from datetime import UTC, datetime, timedelta

import pytest
from simclient import Client, SoapFault, wsse_header, xp

DEV = "/onvif/device_service"
PTZ = "/onvif/ptz_service"


async def test_it_refuses_a_replayed_nonce(cams):
    nonce = os.urandom(16)
    header = wsse_header("admin", "admin", nonce=nonce)
    async with Client(cams["ptz-dome"]) as client:
        await client.call(DEV, "<tds:GetDeviceInformation/>", header=header)
        with pytest.raises(SoapFault) as err:
            await client.call(DEV, "<tds:GetDeviceInformation/>", header=header)
    assert (err.value.status, err.value.subcodes) == (400, ["ter:NotAuthorized"])
    assert "replayed" in err.value.reason


@pytest.mark.parametrize(
    "header",
    [
        wsse_header("admin", "wrong"),
        wsse_header("nobody", "admin"),
        wsse_header("admin", "admin", created=datetime.now(UTC) - timedelta(minutes=20)),
        wsse_header("admin", "admin").replace("#PasswordDigest", "#PasswordText"),
    ],
)
async def test_it_refuses_bad_tokens(header, cams):
    async with Client(cams["ptz-dome"]) as client:
        with pytest.raises(SoapFault) as err:
            await client.call(DEV, "<tds:GetDeviceInformation/>", header=header)
    assert err.value.subcodes == ["ter:NotAuthorized"]


async def test_http_digest_authenticates_and_rejects_wrong_passwords(cams):
    async with Client(cams["ptz-dome"], "operator", "operator", auth="digest") as client:
        body = await client.call(DEV, "<tds:GetDeviceInformation/>")
        assert xp(body, "string(tds:Model)") == "SV-PTZ-2000"
    async with Client(cams["ptz-dome"], "operator", "nope", auth="digest") as client:
        with pytest.raises(SoapFault) as err:
            await client.call(DEV, "<tds:GetDeviceInformation/>")
    assert err.value.status == 401


async def test_http_digest_refuses_a_replayed_request(cams, sim):
    camera = cams["ptz-dome"]
    auth = camera.runtime.auth
    challenge = auth.challenge()
    nonce = challenge.split('nonce="')[1].split('"')[0]
    import hashlib

    def md5(s):
        return hashlib.md5(s.encode()).hexdigest()

    ha1, ha2 = md5("admin:ONVIF Simulator:admin"), md5(f"POST:{DEV}")
    response = md5(f"{ha1}:{nonce}:00000001:abc:auth:{ha2}")
    header = (
        f'Digest username="admin", realm="ONVIF Simulator", nonce="{nonce}", uri="{DEV}", '
        f'qop=auth, nc=00000001, cnonce="abc", response="{response}", algorithm=MD5'
    )
    assert auth.check_http_digest(header, "POST").name == "admin"
    from simulator.auth import NeedsChallenge

    with pytest.raises(NeedsChallenge):
        auth.check_http_digest(header, "POST")


async def test_user_level_accounts_may_read_but_not_actuate(cams):
    async with Client(cams["ptz-dome"], "user", "user") as client:
        body = await client.call(
            PTZ,
            "<tptz:GetStatus><tptz:ProfileToken>Profile_1_main"
            "</tptz:ProfileToken></tptz:GetStatus>",
        )
        assert xp(body, "tptz:PTZStatus")
        with pytest.raises(SoapFault) as err:
            await client.call(
                PTZ, "<tptz:Stop><tptz:ProfileToken>Profile_1_main</tptz:ProfileToken></tptz:Stop>"
            )
    assert err.value.subcodes == ["ter:NotAuthorized"]


async def test_operators_may_actuate_but_not_reboot(cams):
    async with Client(cams["ptz-dome"], "operator", "operator") as client:
        await client.call(
            PTZ, "<tptz:Stop><tptz:ProfileToken>Profile_1_main</tptz:ProfileToken></tptz:Stop>"
        )
        with pytest.raises(SoapFault) as err:
            await client.call(DEV, "<tds:SystemReboot/>")
    assert err.value.subcodes == ["ter:NotAuthorized"]


def test_a_malformed_nonce_is_refused(cams):
    from lxml import etree

    header = etree.fromstring(f"<h>{wsse_header('admin', 'admin')}</h>")
    nonce = header.find(".//{*}Nonce")
    nonce.text = "***" + base64.b64encode(b"x").decode()
    from simulator.soap import Fault

    with pytest.raises(Fault):
        cams["ptz-dome"].runtime.auth.check_wsse(header)


def test_http_digest_must_be_computed_for_the_requested_resource(cams):
    import hashlib

    from simulator.auth import NeedsChallenge

    auth = cams["ptz-dome"].runtime.auth
    nonce = auth.challenge().split('nonce="')[1].split('"')[0]

    def md5(s):
        return hashlib.md5(s.encode()).hexdigest()

    ha1, ha2 = md5("admin:ONVIF Simulator:admin"), md5("POST:/onvif/ptz_service")
    header = (
        f'Digest username="admin", realm="ONVIF Simulator", nonce="{nonce}", '
        f'uri="/onvif/ptz_service", qop=auth, nc=00000001, cnonce="c", '
        f'response="{md5(f"{ha1}:{nonce}:00000001:c:auth:{ha2}")}"'
    )
    with pytest.raises(NeedsChallenge):
        auth.check_http_digest(header, "POST", "/onvif/device_service")
    assert auth.check_http_digest(header, "POST", "/onvif/ptz_service").name == "admin"


async def test_clients_challenged_in_the_same_second_each_get_their_own_nonce(cams):
    camera = cams["ptz-dome"]
    nonces = {_nonce(camera.runtime.auth.challenge()) for _ in range(3)}
    assert len(nonces) == 3  # or the second client's nc=1 would look like a replay
    clients = [Client(camera, "operator", "operator", auth="digest") for _ in range(2)]
    async with clients[0] as first, clients[1] as second:
        answers = await asyncio.gather(
            *(c.call(DEV, "<tds:GetDeviceInformation/>") for c in (first, second))
        )
    assert all(xp(a, "string(tds:Model)") for a in answers)


def _nonce(challenge: str) -> str:
    return challenge.split('nonce="', 1)[1].split('"', 1)[0]
