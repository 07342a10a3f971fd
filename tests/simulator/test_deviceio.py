"""Device IO service (clause 5): every operation of deviceio.wsdl."""

import pytest
from lxml import etree
from simclient import SoapFault, xp

IO = "/onvif/deviceio_service"


async def fault_of(client, body):
    with pytest.raises(SoapFault) as err:
        await client.call(IO, body)
    return err.value.subcodes


async def test_it_reports_capabilities_and_physical_tokens(dual, audio):
    caps = await dual.call(IO, "<tmd:GetServiceCapabilities/>")
    assert xp(caps, "tmd:Capabilities/@VideoSources") == ["2"]
    assert xp(caps, "tmd:Capabilities/@VideoOutputs") == ["1"]
    sources = await dual.call(IO, "<tmd:GetVideoSources/>")
    assert xp(sources, "tmd:Token/text()") == ["VideoSource_1", "VideoSource_2"]
    assert xp(await audio.call(IO, "<tmd:GetAudioSources/>"), "tmd:Token/text()") == [
        "AudioSource_1"
    ]
    assert xp(await audio.call(IO, "<tmd:GetAudioOutputs/>"), "tmd:Token/text()") == [
        "AudioOutput_1"
    ]
    assert xp(await dual.call(IO, "<tmd:GetAudioSources/>"), "tmd:Token") == []


async def test_it_reads_and_writes_video_output_configuration(dual):
    outs = await dual.call(IO, "<tmd:GetVideoOutputs/>")
    assert xp(outs, "tmd:VideoOutputs/@token") == ["VideoOutput_1"]
    tok = "<tmd:VideoOutputToken>VideoOutput_1</tmd:VideoOutputToken>"
    cfg = await dual.call(
        IO, f"<tmd:GetVideoOutputConfiguration>{tok}</tmd:GetVideoOutputConfiguration>"
    )
    el = cfg[0]
    el.tag = "{http://www.onvif.org/ver10/deviceIO/wsdl}Configuration"
    xp(el, "tt:Name")[0].text = "Wall"
    await dual.call(
        IO,
        f"<tmd:SetVideoOutputConfiguration>{etree.tostring(el).decode()}"
        "<tmd:ForcePersistence>true</tmd:ForcePersistence></tmd:SetVideoOutputConfiguration>",
    )
    again = await dual.call(
        IO, f"<tmd:GetVideoOutputConfiguration>{tok}</tmd:GetVideoOutputConfiguration>"
    )
    assert xp(again, "string(//tt:Name)") == "Wall"
    opts = await dual.call(
        IO,
        f"<tmd:GetVideoOutputConfigurationOptions>{tok}</tmd:GetVideoOutputConfigurationOptions>",
    )
    assert xp(opts, "tmd:VideoOutputConfigurationOptions")
    assert await fault_of(
        dual,
        "<tmd:GetVideoOutputConfiguration><tmd:VideoOutputToken>x"
        "</tmd:VideoOutputToken></tmd:GetVideoOutputConfiguration>",
    ) == ["ter:InvalidArgVal", "ter:NoVideoOutput"]


@pytest.mark.parametrize(
    ("kind", "token"),
    [
        ("VideoSource", "VideoSource_1"),
        ("AudioSource", "AudioSource_1"),
        ("AudioOutput", "AudioOutput_1"),
    ],
)
async def test_it_keeps_the_deprecated_media_duplicates(kind, token, audio):
    tok = f"<tmd:{kind}Token>{token}</tmd:{kind}Token>"
    body = await audio.call(IO, f"<tmd:Get{kind}Configuration>{tok}</tmd:Get{kind}Configuration>")
    el = body[0]
    el.tag = "{http://www.onvif.org/ver10/deviceIO/wsdl}Configuration"
    await audio.call(
        IO,
        f"<tmd:Set{kind}Configuration>{etree.tostring(el).decode()}"
        f"<tmd:ForcePersistence>true</tmd:ForcePersistence></tmd:Set{kind}Configuration>",
    )
    opts = await audio.call(
        IO, f"<tmd:Get{kind}ConfigurationOptions>{tok}</tmd:Get{kind}ConfigurationOptions>"
    )
    assert len(opts) == 1


async def test_it_has_no_relays_inputs_or_serial_ports(dual):
    assert xp(await dual.call(IO, "<tds:GetRelayOutputs/>"), "*") == []
    assert xp(await dual.call(IO, "<tmd:GetRelayOutputOptions/>"), "*") == []
    assert xp(await dual.call(IO, "<tmd:GetDigitalInputs/>"), "*") == []
    assert xp(await dual.call(IO, "<tmd:GetSerialPorts/>"), "*") == []
    opts = await dual.call(IO, "<tmd:GetDigitalInputConfigurationOptions/>")
    assert xp(opts, "//tmd:IdleState/text()") == ["closed", "open"]
    relay = await fault_of(
        dual,
        "<tds:SetRelayOutputState><tds:RelayOutputToken>R1"
        "</tds:RelayOutputToken><tds:LogicalState>active</tds:LogicalState>"
        "</tds:SetRelayOutputState>",
    )
    assert relay == ["ter:InvalidArgVal", "ter:RelayToken"]
    settings = await fault_of(
        dual,
        "<tmd:SetRelayOutputSettings><tmd:RelayOutput token='R1'>"
        "<tt:Properties><tt:Mode>Bistable</tt:Mode><tt:DelayTime>PT1S"
        "</tt:DelayTime><tt:IdleState>open</tt:IdleState></tt:Properties>"
        "</tmd:RelayOutput></tmd:SetRelayOutputSettings>",
    )
    assert settings == ["ter:InvalidArgVal", "ter:RelayToken"]
    inputs = await fault_of(
        dual,
        "<tmd:SetDigitalInputConfigurations><tmd:DigitalInputs token='I1'/>"
        "</tmd:SetDigitalInputConfigurations>",
    )
    assert inputs == ["ter:InvalidArgVal", "ter:NoConfig"]
    for op in ("GetSerialPortConfiguration", "GetSerialPortConfigurationOptions"):
        subs = await fault_of(
            dual, f"<tmd:{op}><tmd:SerialPortToken>S1</tmd:SerialPortToken></tmd:{op}>"
        )
        assert subs == ["ter:InvalidArgVal", "ter:InvalidSerialPort"]
    for op in ("SetSerialPortConfiguration", "SendReceiveSerialCommand"):
        assert await fault_of(dual, f"<tmd:{op}/>") == [
            "ter:InvalidArgVal",
            "ter:InvalidSerialPort",
        ]
