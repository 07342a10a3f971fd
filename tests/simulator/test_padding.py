"""The soap_bytes quirk: SOAP answers padded with an XML comment, the document unchanged.

simulator/server.py hands every SOAP answer to `padding.padded`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest_asyncio
from lxml import etree

from simulator import config
from simulator.camera import Camera
from simulator.padding import split
from simulator.server import Simulator
from simulator.soap import E, envelope

GET_TIME = (
    b'<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/'
    b'soap-envelope"><s:Body><GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/'
    b'wsdl"/></s:Body></s:Envelope>'
)


async def serve_padded(camera: Camera) -> Simulator:
    simulator = Simulator([camera])
    await simulator.start()
    return simulator


@pytest_asyncio.fixture
async def padded_camera() -> AsyncIterator[Camera]:
    camera = next(c for c in config.load(base_port=0) if c.name == "ptz-dome")
    camera.quirks.soap_bytes = 3_000_000
    simulator = await serve_padded(camera)
    yield camera
    await simulator.stop()


async def test_a_padded_answer_is_the_size_asked_and_the_same_document(
    padded_camera: Camera,
) -> None:
    url = f"http://127.0.0.1:{padded_camera.port}/onvif/device_service"
    async with aiohttp.ClientSession() as http:
        headers = {"Content-Type": "application/soap+xml"}
        async with http.post(url, data=GET_TIME, headers=headers) as response:
            assert response.status == 200 and response.content_length == 3_000_000
            body = await response.read()
    assert len(body) == 3_000_000 and body.startswith(b"<?xml version='1.0' encoding='UTF-8'?><!--")
    root = etree.fromstring(body, etree.XMLParser(remove_comments=True, huge_tree=True))
    assert root.find(".//{*}UTCDateTime") is not None


def test_split_puts_the_comment_after_the_declaration_or_adds_nothing() -> None:
    answer = envelope(E("tds:GetHostnameResponse", E("tds:HostnameInformation")))
    head, filler, tail = split(answer, 10_000)
    assert head == b"<?xml version='1.0' encoding='UTF-8'?>" and head + tail == answer
    assert len(head) + 4 + filler + 3 + len(tail) == 10_000
    assert split(answer, len(answer)) == (answer, 0, b"")
    assert split(b"<a/>", 100)[0] == b""  # no declaration: the comment comes first
