"""The official schemas compile once and catch invalid documents."""

from lxml import etree

from simulator import xsd


def test_the_schema_is_built_once_per_process():
    assert xsd.schema() is xsd.schema()


def test_it_accepts_valid_and_reports_invalid_elements():
    ok = etree.fromstring(
        b'<tr2:GetStreamUriResponse xmlns:tr2="http://www.onvif.org/ver20/media/wsdl">'
        b"<tr2:Uri>rtsp://h/p</tr2:Uri></tr2:GetStreamUriResponse>"
    )
    assert xsd.validate(ok) == []
    bad = etree.fromstring(
        b'<tds:GetDeviceInformationResponse xmlns:tds="http://www.onvif.org/ver10/'
        b'device/wsdl"><tds:Manufacturer>x</tds:Manufacturer>'
        b"</tds:GetDeviceInformationResponse>"
    )
    assert "Model" in xsd.validate(bad)[0]


def test_it_never_fetches_from_the_network():
    assert (
        xsd.parse_file("ver10/schema/onvif.xsd").getroot().get("targetNamespace").endswith("schema")
    )


async def test_the_server_can_validate_every_response_while_serving(monkeypatch, caplog, cams):
    from simclient import Client

    from simulator import server

    monkeypatch.setattr(server, "VALIDATE", True)
    async with Client(cams["dual-sensor"]) as client:
        await client.call(
            "/onvif/media2_service", "<tr2:GetProfiles><tr2:Type>All</tr2:Type></tr2:GetProfiles>"
        )
    assert "breaks the XSD" not in caplog.text
