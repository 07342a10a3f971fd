"""Each quirk behaves as described (Quirks in simulator/camera.py)."""

import time
from datetime import UTC, datetime

import aiohttp
import pytest
from lxml import etree
from simclient import Client, SoapFault, envelope, parse, wsse_header, xp

from simulator import xsd
from simulator.soap import NS

DEV = "/onvif/device_service"


async def test_clock_offset_shifts_the_clock_and_the_token_window(cams):
    camera = cams["dual-sensor"]
    camera.quirks.clock_offset = 3600.0
    async with Client(camera, user=None) as anon:
        body = await anon.call(DEV, "<tds:GetSystemDateAndTime/>")
    hour = int(xp(body, "string(//tt:UTCDateTime/tt:Time/tt:Hour)"))
    assert hour == (datetime.now(UTC).hour + 1) % 24 or hour == (datetime.now(UTC).hour + 2) % 24
    async with Client(camera) as client:
        with pytest.raises(SoapFault) as err:
            await client.call(DEV, "<tds:GetDeviceInformation/>")  # token created with our clock
        assert err.value.subcodes == ["ter:NotAuthorized"]
        header = wsse_header(
            "admin", "admin", created=datetime.fromtimestamp(time.time() + 3600, UTC)
        )
        body = await client.call(DEV, "<tds:GetDeviceInformation/>", header=header)
    assert xp(body, "string(tds:Model)") == "SV-DUO-800"


async def test_digest_only_ignores_ws_security_and_wants_http_digest(cams):
    camera = cams["dual-sensor"]
    camera.quirks.digest_only = True
    async with Client(camera) as client:  # WS-UsernameToken only
        with pytest.raises(SoapFault) as err:
            await client.call(DEV, "<tds:GetDeviceInformation/>")
        assert err.value.status == 401
        caps = await client.call(DEV, "<tds:GetServiceCapabilities/>")
        assert xp(caps, "tds:Capabilities/tds:Security/@UsernameToken") == ["false"]
    async with Client(camera, auth="digest") as client:
        body = await client.call(DEV, "<tds:GetDeviceInformation/>")
    assert xp(body, "string(tds:Model)") == "SV-DUO-800"


async def test_no_get_services_leaves_only_get_capabilities(cams):
    cams["dual-sensor"].quirks.no_get_services = True
    async with Client(cams["dual-sensor"]) as client:
        with pytest.raises(SoapFault) as err:
            await client.call(
                DEV,
                "<tds:GetServices><tds:IncludeCapability>false"
                "</tds:IncludeCapability></tds:GetServices>",
            )
        assert err.value.subcodes == ["ter:ActionNotSupported"]
        caps = await client.call(DEV, "<tds:GetCapabilities/>")
    assert xp(caps, "//tt:Media/tt:XAddr")


async def test_media1_only_hides_media2(cams):
    cams["dual-sensor"].quirks.media1_only = True
    async with Client(cams["dual-sensor"]) as client:
        services = await client.call(
            DEV,
            "<tds:GetServices><tds:IncludeCapability>false"
            "</tds:IncludeCapability></tds:GetServices>",
        )
        namespaces = xp(services, "//tds:Namespace/text()")
        assert "http://www.onvif.org/ver10/media/wsdl" in namespaces
        assert "http://www.onvif.org/ver20/media/wsdl" not in namespaces
        with pytest.raises(SoapFault) as err:
            await client.call("/onvif/media2_service", "<tr2:GetProfiles/>")
        assert err.value.subcodes == ["ter:ActionNotSupported"]
        body = await client.call("/onvif/media_service", "<trt:GetProfiles/>")
    assert len(xp(body, "trt:Profiles")) == 4


async def test_slow_responses_take_their_time(cams):
    cams["dual-sensor"].quirks.slow_response = 0.5
    async with Client(cams["dual-sensor"], user=None) as client:
        started = time.monotonic()
        await client.call(DEV, "<tds:GetSystemDateAndTime/>")
    assert time.monotonic() - started >= 0.5


async def test_dropped_connections_close_without_an_answer(cams):
    cams["dual-sensor"].quirks.drop_every = 2
    async with Client(cams["dual-sensor"], user=None) as client:
        await client.call(DEV, "<tds:GetSystemDateAndTime/>")
        with pytest.raises(aiohttp.ServerDisconnectedError):
            await client.call(DEV, "<tds:GetSystemDateAndTime/>")
        await client.call(DEV, "<tds:GetSystemDateAndTime/>")


async def test_nat_advertises_an_address_that_differs_from_the_real_one(cams):
    camera = cams["dual-sensor"]
    camera.quirks.advertised_host = "10.1.2.3:8080"
    async with Client(camera) as client:
        services = await client.call(
            DEV,
            "<tds:GetServices><tds:IncludeCapability>false"
            "</tds:IncludeCapability></tds:GetServices>",
        )
        uri = await client.call(
            "/onvif/media2_service",
            "<tr2:GetStreamUri><tr2:Protocol>RTSP"
            "</tr2:Protocol><tr2:ProfileToken>Profile_1_main</tr2:ProfileToken>"
            "</tr2:GetStreamUri>",
        )
    assert set(xp(services, "//tds:XAddr/text()")) >= {"http://10.1.2.3:8080/onvif/device_service"}
    assert xp(uri, "string(tr2:Uri)") == f"rtsp://10.1.2.3:{camera.rtsp_port}/Profile_1_main"


async def test_bad_xml_breaks_the_rules_real_cameras_break(cams):
    camera = cams["dual-sensor"]
    camera.quirks.bad_xml = True
    async with Client(camera) as client:
        status, headers, data = await client.raw(
            DEV,
            envelope(
                "<tds:GetServices><tds:IncludeCapability>true</tds:IncludeCapability></tds:GetServices>",
                wsse_header("admin", "admin"),
            ),
        )
    assert headers["Content-Type"].startswith("text/xml")
    assert data.startswith(b"\xef\xbb\xbf")
    body = parse(status, data, validate=False)
    assert xp(body, "//tr2:Capabilities/@SnapshotUri") == ["TRUE"]
    assert xsd.validate(body) != []


async def test_the_skewed_clock_can_still_be_read_with_a_stale_token(cams):
    camera = cams["dual-sensor"]
    camera.quirks.clock_offset = -7200.0
    async with Client(camera) as client:  # the token is created on the client's clock
        body = await client.call(DEV, "<tds:GetSystemDateAndTime/>")
    assert xp(body, "//tt:UTCDateTime")


async def test_an_unknown_service_path_is_a_sender_fault(cams):
    """No service at that address: a SOAP 1.2 Sender fault (ter:UnknownAction), HTTP 400 as the
    SOAP HTTP binding gives Sender faults, with a reason that says where the services are."""
    async with Client(cams["dual-sensor"]) as client:
        with pytest.raises(SoapFault) as err:
            await client.call("/onvif/nothing_here", "<tds:GetHostname/>")
        status, headers, _ = await client.raw("/onvif/nothing_here", envelope("<x/>"))
    assert (err.value.status, err.value.code) == (400, "env:Sender")
    assert err.value.subcodes == ["ter:UnknownAction"]
    assert "/onvif/nothing_here" in err.value.reason and "GetServices" in err.value.reason
    assert status == 400 and headers["Content-Type"].startswith("application/soap+xml")


EVT = "/onvif/events_service"
PULL_POINT = "<tev:CreatePullPointSubscription><tev:InitialTerminationTime>{}</tev:InitialTerminationTime></tev:CreatePullPointSubscription>"  # noqa: E501


async def test_refuse_subscriptions_answers_every_request_with_the_reason(cams):
    camera = cams["bullet-analytics"]
    camera.quirks.refuse_subscriptions = "all 4 subscription slots are taken"
    async with Client(camera) as client:
        for _ in range(2):
            with pytest.raises(SoapFault) as err:
                await client.call(EVT, PULL_POINT.format("PT60S"))
            assert err.value.subcodes == ["ter:OperationProhibited"]
            assert "all 4 subscription slots are taken" in err.value.reason
    assert camera.runtime.events.refused == 2
    assert camera.runtime.events.subscriptions == {}


async def test_ignore_relative_time_grants_an_hour_but_honours_absolute_times(cams):
    camera = cams["bullet-analytics"]
    camera.quirks.ignore_relative_time = True
    async with Client(camera) as client:
        relative = await client.call(EVT, PULL_POINT.format("PT60S"))
        stamp = datetime.fromtimestamp(camera.clock() + 60, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        absolute = await client.call(EVT, PULL_POINT.format(stamp))

    def granted(body) -> float:
        def at(name: str) -> float:
            text = xp(body, f"string(wsnt:{name})")
            return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()

        return at("TerminationTime") - at("CurrentTime")

    assert abs(granted(relative) - 3600) < 2
    assert abs(granted(absolute) - 60) < 2


async def test_auth_clock_wants_a_username_token_even_for_the_clock(cams):
    camera = cams["dual-sensor"]
    camera.quirks.auth_clock = True
    async with Client(camera, user=None) as anon:
        with pytest.raises(SoapFault) as err:
            await anon.call(DEV, "<tds:GetSystemDateAndTime/>")
    assert err.value.status == 401 and err.value.subcodes == ["ter:NotAuthorized"]
    async with Client(camera, auth="digest") as digest:  # its ONVIF users are not HTTP users
        with pytest.raises(SoapFault) as err:
            await digest.call(DEV, "<tds:GetSystemDateAndTime/>")
    assert err.value.status == 401
    async with Client(camera) as client:
        body = await client.call(DEV, "<tds:GetSystemDateAndTime/>")
        assert xp(body, "//tt:UTCDateTime")
        await client.call(DEV, "<tds:GetServiceCapabilities/>")  # only the clock changed


async def test_auth_clock_on_a_digest_only_camera_takes_http_digest(cams):
    camera = cams["dual-sensor"]
    camera.quirks.auth_clock = camera.quirks.digest_only = True
    async with Client(camera, user=None) as anon:
        with pytest.raises(SoapFault) as err:
            await anon.call(DEV, "<tds:GetSystemDateAndTime/>")
    assert err.value.status == 401
    async with Client(camera, auth="digest") as digest:
        assert xp(await digest.call(DEV, "<tds:GetSystemDateAndTime/>"), "//tt:UTCDateTime")


async def test_video_sources_fault_is_a_receiver_fault_without_subcode(cams):
    camera = cams["dual-sensor"]
    camera.quirks.video_sources_fault = True
    async with Client(camera) as client:
        with pytest.raises(SoapFault) as err:
            await client.call("/onvif/media_service", "<trt:GetVideoSources/>")
        configs = await client.call("/onvif/media_service", "<trt:GetVideoSourceConfigurations/>")
    assert (err.value.status, err.value.code, err.value.subcodes) == (500, "env:Receiver", [])
    assert len(xp(configs, "trt:Configurations")) >= 2  # the rest of Media1 still answers


async def test_undeclared_prefix_names_ptz_types_with_prefixes_never_declared(cams):
    camera = cams["ptz-dome"]
    camera.quirks.undeclared_prefix = True
    async with Client(camera) as client:
        status, _, nodes = await client.raw(
            "/onvif/ptz_service", envelope("<tptz:GetNodes/>", wsse_header("admin", "admin"))
        )
        _, _, state = await client.raw(
            "/onvif/ptz_service",
            envelope(
                "<tptz:GetStatus><tptz:ProfileToken>Profile_1_main</tptz:ProfileToken>"
                "</tptz:GetStatus>",
                wsse_header("admin", "admin"),
            ),
        )
    assert status == 200
    for data, name in ((nodes, "PTZNode"), (state, "PTZStatus")):
        element = etree.fromstring(data).find(f".//{{{NS['tptz']}}}{name}")
        value = element.get(f"{{{NS['xsi']}}}type")
        assert value == f"ptz:{name}" and "ptz" not in element.nsmap
        typed = [e for e in element.iter() if e.get(f"{{{NS['xsi']}}}type", "").startswith("xsd:")]
        assert typed and all("xsd" not in e.nsmap for e in typed)
