"""Malformed requests get SOAP 1.2 faults (never a traceback); fault envelopes are well formed."""

import pytest
from lxml import etree
from simclient import Client, parse

from simulator.soap import NS, Fault, fault_element, parse_duration, parse_request

DEV = "/onvif/device_service"
BAD = [
    (b"<not xml", "ter:WellFormed"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "ter:WellFormed"),
    (b"<x/>", "ter:TagMismatch"),
    (
        b'<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>',
        "ter:Tag",
    ),
]


@pytest.mark.parametrize(("data", "subcode"), BAD)
async def test_it_answers_malformed_requests_with_a_sender_fault(data, subcode, cams):
    async with Client(cams["dual-sensor"]) as client:
        status, _, body = await client.raw(DEV, data)
    root = etree.fromstring(body)
    values = root.xpath("//env:Value/text()", namespaces=NS)
    assert status == 400 and values == ["env:Sender", subcode]
    assert b"Traceback" not in body


async def test_it_reports_a_soap_1_1_envelope_as_version_mismatch(cams):
    data = (
        b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        b'<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>'
    )
    async with Client(cams["dual-sensor"]) as client:
        status, _, body = await client.raw(DEV, data)
    with pytest.raises(Exception) as err:
        parse(status, body)
    assert err.value.code == "env:VersionMismatch"


async def test_it_refuses_operations_sent_to_the_wrong_service(cams):
    async with Client(cams["dual-sensor"]) as client:
        status, _, body = await client.raw(
            "/onvif/media2_service",
            (
                b'<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body>'
                b'<GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/></e:Body>'
                b"</e:Envelope>"
            ),
        )
    assert status == 400 and b"ter:Namespace" in body


def test_fault_elements_nest_subcodes():
    el = fault_element(Fault("env:Sender", ["ter:InvalidArgVal", "ter:NoProfile"], "why"))
    assert (
        el.xpath("string(env:Code/env:Subcode/env:Subcode/env:Value)", namespaces=NS)
        == "ter:NoProfile"
    )


def test_it_parses_durations():
    assert parse_duration("PT1M30.5S") == 90.5
    assert parse_duration("P1DT1H") == 90000
    with pytest.raises(Fault):
        parse_duration("10 seconds")


def test_parse_request_returns_header_and_payload():
    header, body = parse_request(
        b'<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Header/><e:Body><a/>'
        b"</e:Body></e:Envelope>"
    )
    assert header is not None and body.tag == "a"
