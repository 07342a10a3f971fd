"""Every failure of a camera call becomes one of the few errors of cameras.onvif.errors."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from cameras.onvif import NotSupported, OnvifClient, ProtocolError
from cameras.onvif.device import get_device_information
from cameras.onvif.faults import translate
from cameras.onvif.imaging import get_options
from simulator.camera import Camera
from tests.processes import free_port


def test_an_unexpected_exception_from_reading_an_answer_is_a_protocol_error() -> None:
    error = translate(ValueError("too many values to unpack"), "GetNodes", "10.0.0.9:80", 5)
    assert isinstance(error, ProtocolError) and error.permanent
    assert error.operation == "GetNodes"
    assert "GetNodes" in error.message and "could not be read" in error.message
    assert "too many values to unpack" in error.detail


BROKEN_FAULT = """<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault>
<env:Code><env:Value>env:Receiver</env:Value><env:Subcode/></env:Code>
<env:Reason><env:Text xml:lang="en">busy</env:Text></env:Reason></env:Fault></env:Body>
</env:Envelope>"""


@pytest.fixture
async def broken_camera() -> AsyncIterator[int]:
    """A camera whose fault has a Subcode without a Value, which zeep trips over."""

    async def answer(request: web.Request) -> web.Response:
        return web.Response(status=500, text=BROKEN_FAULT, content_type="application/soap+xml")

    app = web.Application()
    app.router.add_post("/onvif/device_service", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield port
    await runner.cleanup()


async def test_an_answer_that_breaks_the_soap_reader_is_a_protocol_error(
    broken_camera: int,
) -> None:
    async with OnvifClient("127.0.0.1", broken_camera, "admin", "admin", timeout=3) as onvif:
        with pytest.raises(ProtocolError) as failed:
            await get_device_information(onvif)
    assert "GetDeviceInformation" in str(failed.value)


async def test_a_service_at_an_unknown_address_is_not_supported(fleet: dict[str, Camera]) -> None:
    """A camera that advertises a service where it has none answers with a Sender fault
    (ter:UnknownAction): the operation is not supported, permanently."""
    camera = fleet["dual-sensor"]
    async with OnvifClient(camera.host, camera.port, "admin", "admin") as onvif:
        await onvif.connect()
        onvif.use_services(onvif.advertised | {"imaging": f"http://{onvif.where}/onvif/gone"})
        with pytest.raises(NotSupported) as refused:
            await get_options(onvif, "VideoSource_1")
    assert refused.value.permanent
    assert "GetOptions" in str(refused.value)
