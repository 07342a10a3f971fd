"""SOAP over HTTP: answers are read in chunks up to a limit, never whole whatever their size."""

from __future__ import annotations

import tracemalloc
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web

from cameras.onvif import OnvifClient, ProtocolError
from cameras.onvif.transport import LongPollTransport
from simulator import config
from simulator.camera import Camera
from simulator.padding import padded
from simulator.server import CameraServer, Simulator
from tests.simulator.test_padding import GET_TIME

MiB = 1 << 20
LIMIT = 8 * MiB  # cameras.onvif.transport.MAX_ANSWER_BYTES
ANSWER = 64 * MiB


class ChunkedPaddedServer(CameraServer):
    """Padded answers without a Content-Length: the size shows only while reading."""

    async def handle(self, request: web.Request) -> web.StreamResponse:
        return await padded(request, self.camera, await self._handle(request), chunked=True)


@pytest_asyncio.fixture(params=[CameraServer, ChunkedPaddedServer], ids=["length", "chunked"])
async def chatty(request: pytest.FixtureRequest) -> AsyncIterator[Camera]:
    """ptz-dome answering every SOAP request with 64 MiB."""
    camera = next(c for c in config.load(base_port=0) if c.name == "ptz-dome")
    camera.quirks.soap_bytes = ANSWER
    simulator = Simulator([])
    simulator.cameras, simulator.servers = [camera], [request.param(camera)]
    await simulator.start()
    yield camera
    await simulator.stop()


async def peak_memory(call: Callable[[], Awaitable[Any]]) -> tuple[int, BaseException]:
    """The most memory Python held while `call` ran (it must fail), and its error."""
    tracemalloc.start()
    try:
        try:
            await call()
        except Exception as exc:  # noqa: BLE001  (returned for the test to look at)
            error: BaseException = exc
        else:
            raise AssertionError("the call did not fail")
        return tracemalloc.get_traced_memory()[1], error
    finally:
        tracemalloc.stop()


async def test_a_huge_answer_is_refused_in_words_and_never_held(chatty: Camera) -> None:
    async with OnvifClient(chatty.host, chatty.port, "admin", "admin", timeout=20) as client:
        peak, error = await peak_memory(
            lambda: client.call_anonymous("device", "GetSystemDateAndTime")
        )
    assert peak < 3 * LIMIT < ANSWER / 2, peak
    assert isinstance(error, ProtocolError)
    assert str(error) == (
        "The camera's answer to GetSystemDateAndTime does not follow ONVIF: it is larger than "
        "8 MiB, far more than any ONVIF answer needs; the VMS stopped reading it."
    )


async def test_the_event_long_poll_caps_its_answers_too(chatty: Camera) -> None:
    transport = LongPollTransport("admin", "admin", timeout=20)
    address = f"http://{chatty.host}:{chatty.port}/onvif/device_service"
    headers = {"Content-Type": "application/soap+xml; charset=utf-8"}
    try:
        peak, error = await peak_memory(lambda: transport.post_bytes(address, GET_TIME, headers))
    finally:
        await transport.aclose()
    assert "larger than 8 MiB" in str(error)  # a zeep error: translate() maps it
    assert peak < 3 * LIMIT, peak


async def test_a_large_answer_under_the_limit_is_read_as_usual() -> None:
    camera = next(c for c in config.load(base_port=0) if c.name == "ptz-dome")
    camera.quirks.soap_bytes = 5 * MiB
    simulator = Simulator([])
    simulator.cameras, simulator.servers = [camera], [ChunkedPaddedServer(camera)]
    await simulator.start()
    try:
        async with OnvifClient(camera.host, camera.port, "admin", "admin") as client:
            await client.connect()  # clock, then services: both answers padded to 5 MiB
        assert client.offers("media")
    finally:
        await simulator.stop()
