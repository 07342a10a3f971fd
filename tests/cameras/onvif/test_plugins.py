"""The forgiving zeep plugins, against cameras that break the XML rules."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from aiohttp import web

from cameras.onvif import AuthenticationFailed, OnvifClient, ptz
from cameras.onvif.device import get_device_information
from simulator.camera import Camera
from tests.processes import free_port

PROFILE = "Profile_1_main"


async def test_types_named_with_undeclared_prefixes_are_read(fleet: dict[str, Camera]) -> None:
    """xsi:type="ptz:PTZNode" (a prefix never declared) and xsi:type="xsd:int" (a well-known
    prefix the answer forgot to declare): the answers are read as the schema types them."""
    camera = fleet["ptz-dome"]
    camera.quirks.undeclared_prefix = True
    async with OnvifClient(camera.host, camera.port, "admin", "admin") as onvif:
        await onvif.connect()
        nodes = await ptz.get_nodes(onvif)
        status = await ptz.get_status(onvif, PROFILE)
    node = camera.ptz_nodes[0]
    assert [(n.token, n.max_presets, n.home_supported) for n in nodes] == [
        (node.token, node.max_presets, node.home_supported)
    ]
    assert nodes[0].spaces  # the children of the retyped element are read too
    assert not status.moving and status.pan is not None


FAULT = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope"><SOAP-ENV:Body>
<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Sender</SOAP-ENV:Value>
<SOAP-ENV:Subcode><SOAP-ENV:Value>ter:NotAuthorized</SOAP-ENV:Value></SOAP-ENV:Subcode>
</SOAP-ENV:Code><SOAP-ENV:Reason><SOAP-ENV:Text xml:lang="en">Sender not authorized</SOAP-ENV:Text>
</SOAP-ENV:Reason></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>"""


@pytest.fixture
async def fake_camera() -> AsyncIterator[Callable[[int, str], int]]:
    """A camera that answers every request with the given HTTP status and body."""
    runners: list[web.AppRunner] = []

    async def start(status: int, body: str) -> int:
        async def answer(request: web.Request) -> web.Response:
            return web.Response(status=status, text=body, content_type="application/soap+xml")

        app = web.Application()
        app.router.add_post("/onvif/device_service", answer)
        runner = web.AppRunner(app)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        runners.append(runner)
        return port

    yield start  # type: ignore[misc]
    for runner in runners:
        await runner.cleanup()


async def test_a_fault_whose_subcode_prefix_is_undeclared_is_still_understood(
    fake_camera: Callable[..., object],
) -> None:
    """ter:NotAuthorized with "ter" never declared is still a refused password, not a
    protocol error."""
    port = await fake_camera(400, FAULT)  # type: ignore[misc]
    async with OnvifClient("127.0.0.1", port, "admin", "admin", timeout=3) as onvif:
        with pytest.raises(AuthenticationFailed):
            await get_device_information(onvif)
