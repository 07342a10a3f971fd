"""Device management service."""

import asyncio

import aiohttp
import pytest
from simclient import Client, SoapFault, xp

DEV = "/onvif/device_service"


async def test_it_answers_get_system_date_and_time_without_credentials(cams):
    async with Client(cams["ptz-dome"], user=None) as client:
        body = await client.call(DEV, "<tds:GetSystemDateAndTime/>")
    assert xp(body, "string(//tt:UTCDateTime/tt:Date/tt:Year)")


async def test_it_requires_credentials_for_device_information(cams):
    async with Client(cams["ptz-dome"], user=None) as client:
        with pytest.raises(SoapFault) as err:
            await client.call(DEV, "<tds:GetDeviceInformation/>")
    assert err.value.status == 401
    assert err.value.subcodes == ["ter:NotAuthorized"]


async def test_it_returns_device_information(ptz_client):
    body = await ptz_client.call(DEV, "<tds:GetDeviceInformation/>")
    assert xp(body, "string(tds:Manufacturer)") == "SimVision"
    assert xp(body, "string(tds:Model)") == "SV-PTZ-2000"


async def test_it_lists_services_with_capabilities(ptz_client, cams):
    body = await ptz_client.call(
        DEV,
        "<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability></tds:GetServices>",
    )
    namespaces = xp(body, "tds:Service/tds:Namespace/text()")
    assert "http://www.onvif.org/ver20/media/wsdl" in namespaces
    assert "http://www.onvif.org/ver20/ptz/wsdl" in namespaces
    assert "http://www.onvif.org/ver20/analytics/wsdl" not in namespaces  # no analytics here
    port = cams["ptz-dome"].port
    assert f"http://127.0.0.1:{port}/onvif/media2_service" in xp(body, "//tds:XAddr/text()")
    assert xp(body, "//tptz:Capabilities/@MoveStatus") == ["true"]


async def test_it_returns_capabilities(bullet):
    body = await bullet.call(
        DEV, "<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>"
    )
    assert xp(body, "string(//tt:Analytics/tt:RuleSupport)") == "true"
    assert xp(body, "//tt:PTZ") == []


async def test_it_returns_scopes_interfaces_users_and_hostname(ptz_client):
    scopes = await ptz_client.call(DEV, "<tds:GetScopes/>")
    assert "onvif://www.onvif.org/name/ptz-dome" in xp(scopes, "//tt:ScopeItem/text()")
    nics = await ptz_client.call(DEV, "<tds:GetNetworkInterfaces/>")
    assert xp(nics, "string(//tt:IPv4//tt:Address)") == "127.0.0.1"
    users = await ptz_client.call(DEV, "<tds:GetUsers/>")
    assert xp(users, "//tt:Username/text()") == ["admin", "operator", "user"]
    assert xp(users, "//tt:Password") == []
    host = await ptz_client.call(DEV, "<tds:GetHostname/>")
    assert xp(host, "string(//tt:Name)") == "ptz-dome"


async def test_it_refuses_get_users_to_a_user_level_account(cams):
    async with Client(cams["ptz-dome"], "user", "user") as client:
        with pytest.raises(SoapFault) as err:
            await client.call(DEV, "<tds:GetUsers/>")
    assert (err.value.status, err.value.subcodes) == (400, ["ter:NotAuthorized"])


async def test_it_sets_the_clock_manually(ptz_client, cams):
    await ptz_client.call(
        DEV,
        "<tds:SetSystemDateAndTime><tds:DateTimeType>Manual</tds:DateTimeType>"
        "<tds:DaylightSavings>false</tds:DaylightSavings><tds:TimeZone><tt:TZ>CET-1</tt:TZ>"
        "</tds:TimeZone><tds:UTCDateTime><tt:Time><tt:Hour>10</tt:Hour><tt:Minute>0</tt:Minute>"
        "<tt:Second>0</tt:Second></tt:Time><tt:Date><tt:Year>2030</tt:Year><tt:Month>1</tt:Month>"
        "<tt:Day>2</tt:Day></tt:Date></tds:UTCDateTime></tds:SetSystemDateAndTime>",
    )
    async with Client(cams["ptz-dome"], user=None) as anon:
        body = await anon.call(DEV, "<tds:GetSystemDateAndTime/>")
    assert xp(body, "string(//tt:UTCDateTime//tt:Year)") == "2030"
    assert xp(body, "string(//tt:TZ)") == "CET-1"


async def test_it_goes_away_during_system_reboot(cams):
    camera = cams["audio-cam"]
    camera.reboot_seconds = 1.0
    async with Client(camera) as client:
        body = await client.call(DEV, "<tds:SystemReboot/>")
        assert "Rebooting" in xp(body, "string(tds:Message)")
        await asyncio.sleep(0.5)
        with pytest.raises(aiohttp.ClientConnectionError):
            await client.call(DEV, "<tds:GetSystemDateAndTime/>")
        await asyncio.sleep(1.2)
        body = await client.call(DEV, "<tds:GetSystemDateAndTime/>")
    assert xp(body, "//tt:UTCDateTime")


async def test_it_answers_unknown_operations_with_action_not_supported(ptz_client):
    with pytest.raises(SoapFault) as err:
        await ptz_client.call(DEV, "<tds:GetRemoteUser/>")
    assert (err.value.code, err.value.subcodes) == ("env:Receiver", ["ter:ActionNotSupported"])


async def test_it_reports_network_protocols_discovery_mode_ntp_and_dns(ptz_client, cams):
    body = await ptz_client.call(DEV, "<tds:GetNetworkProtocols/>")
    ports = dict(zip(xp(body, "//tt:Name/text()"), xp(body, "//tt:Port/text()"), strict=True))
    dome = cams["ptz-dome"]
    assert ports == {"HTTP": str(dome.port), "HTTPS": "443", "RTSP": str(dome.rtsp_port)}
    mode = await ptz_client.call(DEV, "<tds:GetDiscoveryMode/>")
    assert xp(mode, "string(tds:DiscoveryMode)") == "Discoverable"
    ntp = await ptz_client.call(DEV, "<tds:GetNTP/>")
    assert xp(ntp, "string(//tt:FromDHCP)") == "false"
    dns = await ptz_client.call(DEV, "<tds:GetDNS/>")
    assert xp(dns, "string(//tt:SearchDomain)") == "local"
