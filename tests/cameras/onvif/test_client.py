"""The client against the virtual cameras, including the ways real cameras misbehave."""

from __future__ import annotations

import time

import pytest

from cameras.onvif import AuthenticationFailed, DeviceUnreachable, OnvifClient, ProtocolError
from cameras.onvif.device import get_device_information, get_services
from cameras.onvif.media import get_profiles
from cameras.onvif.ptz import get_nodes
from simulator.camera import Camera
from tests.processes import free_port


def client(camera: Camera, password: str = "admin", **options: object) -> OnvifClient:
    return OnvifClient(camera.host, camera.port, "admin", password, **options)  # type: ignore[arg-type]


async def test_it_learns_services_and_identity(fleet: dict[str, Camera]) -> None:
    camera = fleet["ptz-dome"]
    async with client(camera) as onvif:
        await onvif.connect()
        info = await get_device_information(onvif)
    assert info.manufacturer == "SimVision"
    assert info.model == "SV-PTZ-2000"
    assert {"device", "media", "media2", "ptz", "imaging", "events"} <= set(onvif.xaddrs)
    assert abs(onvif.clock_offset) < 2


async def test_a_wrong_password_is_permanent_and_costs_few_requests(
    fleet: dict[str, Camera],
) -> None:
    camera = fleet["ptz-dome"]
    before = camera.runtime.requests
    async with client(camera, "wrong") as onvif:
        await onvif.sync_clock()
        with pytest.raises(AuthenticationFailed) as refused:
            await get_device_information(onvif)
    assert refused.value.permanent
    assert "username or password" in str(refused.value)
    # clock sync, the call, a clock re-sync and one retry: no retry storm
    assert camera.runtime.requests - before <= 6


async def test_a_closed_port_is_transient_and_says_so() -> None:
    async with OnvifClient("127.0.0.1", free_port(), "admin", "admin", timeout=2) as onvif:
        with pytest.raises(DeviceUnreachable) as failed:
            await onvif.connect()
    assert not failed.value.permanent
    assert "Cannot connect" in str(failed.value)


async def test_a_slow_camera_hits_the_deadline(fleet: dict[str, Camera]) -> None:
    camera = fleet["audio-cam"]
    camera.quirks.slow_response = 3.0
    started = time.monotonic()
    async with client(camera, timeout=1.0) as onvif:
        with pytest.raises(
            DeviceUnreachable, match="did not answer GetSystemDateAndTime within 1 s"
        ):
            await onvif.connect()
    assert time.monotonic() - started < 2.0


async def test_a_slow_camera_within_the_deadline_works(fleet: dict[str, Camera]) -> None:
    camera = fleet["audio-cam"]
    camera.quirks.slow_response = 0.3
    async with client(camera, timeout=3.0) as onvif:
        await onvif.connect()
        assert (await get_device_information(onvif)).model == "SV-AUD-100"


async def test_a_camera_clock_an_hour_off_is_corrected(fleet: dict[str, Camera]) -> None:
    camera = fleet["bullet-analytics"]
    camera.quirks.clock_offset = 3600
    async with client(camera) as onvif:
        await onvif.connect()
        info = await get_device_information(onvif)
    assert info.model == "SV-BUL-400"
    assert onvif.clock_offset == pytest.approx(3600, abs=2)


async def test_a_stale_clock_offset_is_relearnt_on_the_auth_fault(fleet: dict[str, Camera]) -> None:
    camera = fleet["bullet-analytics"]
    camera.quirks.clock_offset = -7200
    async with client(camera, clock_offset=0.0) as onvif:  # offset from an earlier visit
        info = await get_device_information(onvif)
    assert info.model == "SV-BUL-400"
    assert onvif.clock_offset == pytest.approx(-7200, abs=2)


async def test_an_http_digest_only_camera_works(fleet: dict[str, Camera]) -> None:
    camera = fleet["dual-sensor"]
    camera.quirks.digest_only = True
    async with client(camera) as onvif:
        await onvif.connect()
        assert (await get_device_information(onvif)).model == "SV-DUO-800"
    async with client(camera, "wrong") as onvif:
        with pytest.raises(AuthenticationFailed):
            await get_device_information(onvif)


async def test_without_get_services_it_uses_get_capabilities(fleet: dict[str, Camera]) -> None:
    camera = fleet["ptz-dome"]
    camera.quirks.no_get_services = True
    async with client(camera) as onvif:
        await onvif.connect()
        services = {s.name for s in await get_services(onvif)}
        profiles = await get_profiles(onvif)
    assert {"media", "ptz", "imaging", "events"} <= services
    assert "media2" not in services  # GetCapabilities cannot announce it
    assert profiles


async def test_advertised_addresses_behind_nat_are_rewritten(fleet: dict[str, Camera]) -> None:
    camera = fleet["ptz-dome"]
    camera.quirks.advertised_host = "203.0.113.7:8080"
    async with client(camera) as onvif:
        await onvif.connect()
        assert "203.0.113.7" in onvif.advertised["media2"]
        assert onvif.xaddrs["media2"].startswith(f"http://{camera.host}:{camera.port}/")
        assert await get_profiles(onvif)


async def test_non_conforming_xml_is_read_forgivingly(fleet: dict[str, Camera]) -> None:
    camera = fleet["ptz-dome"]
    camera.quirks.bad_xml = True  # a byte-order mark and booleans written TRUE/FALSE
    async with client(camera) as onvif:
        await onvif.connect()
        nodes = await get_nodes(onvif)
        assert await get_profiles(onvif)
    assert nodes[0].home_supported is True  # "TRUE" read as true, not false


async def test_dropped_connections_are_transient(fleet: dict[str, Camera]) -> None:
    camera = fleet["ptz-dome"]
    camera.quirks.drop_every = 1
    async with client(camera, timeout=3) as onvif:
        with pytest.raises(DeviceUnreachable) as failed:
            await onvif.connect()
    assert not failed.value.permanent


async def test_garbage_instead_of_soap_is_a_protocol_error(fleet: dict[str, Camera]) -> None:
    from aiohttp import web

    async def garbage(request: web.Request) -> web.Response:
        return web.Response(text="<html><body>Login</body>", content_type="text/html")

    app = web.Application()
    app.router.add_post("/onvif/device_service", garbage)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        async with OnvifClient("127.0.0.1", port, "admin", "admin", timeout=3) as onvif:
            with pytest.raises(ProtocolError) as failed:
                await onvif.connect()
        assert failed.value.permanent
    finally:
        await runner.cleanup()


@pytest.mark.parametrize("digest_only", [False, True], ids=["username-token", "http-digest"])
async def test_a_camera_that_wants_credentials_for_its_clock_is_read_with_them(
    fleet: dict[str, Camera], digest_only: bool
) -> None:
    camera = fleet["dual-sensor"]
    camera.quirks.auth_clock = True
    camera.quirks.digest_only = digest_only
    camera.quirks.clock_offset = 120  # inside the token window: the clock read shows it
    async with client(camera) as onvif:
        await onvif.connect()
        assert (await get_device_information(onvif)).model == "SV-DUO-800"
    assert onvif.clock_offset == pytest.approx(120, abs=2)


async def test_a_clock_read_refused_even_with_credentials_leaves_a_zero_offset(
    fleet: dict[str, Camera],
) -> None:
    """The clock read alone never fails a connection: with a wrong password it gives offset 0,
    and the refusal comes from the first call that needs the password."""
    camera = fleet["dual-sensor"]
    camera.quirks.auth_clock = True
    before = camera.runtime.requests
    async with client(camera, "wrong", clock_offset=42.0) as onvif:
        assert await onvif.sync_clock() == 0.0
        await onvif.connect()
        with pytest.raises(AuthenticationFailed, match="username or password"):
            await get_device_information(onvif)
    assert camera.runtime.requests - before <= 16  # every read at most a few times: no storm
