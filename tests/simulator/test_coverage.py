"""Every operation of the WSDLs for clause 3-7 services is implemented, and none ever crashes."""

import pytest
from lxml import etree
from simclient import Client, SoapFault

from simulator.services import load_all
from simulator.xsd import SERVICE_WSDLS, parse_file

WSDL = "{http://schemas.xmlsoap.org/wsdl/}"
LATER = {  # present in the vendored (newer) WSDLs, but after the IEC 62676-2-31 baseline
    "media2": {
        "SetEQPresetConfiguration",
        "GetWebRTCConfigurations",
        "SetWebRTCConfigurations",
        "GetAudioClips",
        "AddAudioClip",
        "AddTTSAudioClip",
        "SetAudioClip",
        "DeleteAudioClip",
        "PlayAudioClip",
        "GetPlayingAudioClips",
        "GetMulticastAudioDecoderConfigurations",
        "GetMulticastAudioDecoderConfigurationOptions",
        "SetMulticastAudioDecoderConfiguration",
    },
    "ptz": {"MoveAndStartTracking"},
}
KEYS = ("deviceio", "media", "media2", "imaging", "ptz", "analytics")


def wsdl_operations(key: str) -> set[str]:
    svc = load_all()[key]
    tree = parse_file(SERVICE_WSDLS[svc.namespace])
    return {
        op.get("name") for pt in tree.iter(f"{WSDL}portType") for op in pt.iter(f"{WSDL}operation")
    }


@pytest.mark.parametrize("key", KEYS)
def test_every_baseline_operation_is_implemented(key):
    missing = wsdl_operations(key) - set(load_all()[key].operations) - LATER.get(key, set())
    assert missing == set()


CAMERA_FOR = {
    "deviceio": "audio-cam",
    "media2": "audio-cam",
    "media": "audio-cam",
    "imaging": "dual-sensor",
    "ptz": "ptz-dome",
    "analytics": "bullet-analytics",
    "device": "dual-sensor",
    "events": "dual-sensor",
}
SKIP = {
    ("device", "SystemReboot"),
    ("media2", "SetVideoSourceMode"),
    ("media", "SetVideoSourceMode"),
}
ALL = [(k, op) for k, s in load_all().items() for op in s.operations if (k, op) not in SKIP]


@pytest.mark.parametrize(("key", "op"), ALL)
async def test_an_empty_request_never_crashes_an_operation(key, op, cams):
    svc = load_all()[key]
    async with Client(cams[CAMERA_FOR[key]]) as client:
        body = etree.tostring(etree.Element(f"{{{svc.namespace}}}{op}")).decode()
        try:
            await client.call(svc.path, body)
        except SoapFault as fault:
            assert fault.reason != "internal error"


TOKENS = {
    "ProfileToken": "Profile_1_main",
    "VideoSourceToken": "VideoSource_1",
    "ConfigurationToken": "VideoAnalyticsConfig_1",
    "PTZConfigurationToken": "PTZConfig_1",
    "NodeToken": "PTZNode_1",
    "PresetToken": "Preset_1",
    "PresetTourToken": "Tour_1",
}


@pytest.mark.parametrize(("key", "op"), ALL)
async def test_a_request_with_only_tokens_never_crashes_an_operation(key, op, cams):
    svc = load_all()[key]
    el = etree.Element(f"{{{svc.namespace}}}{op}")
    for name, value in TOKENS.items():
        etree.SubElement(el, f"{{{svc.namespace}}}{name}").text = value
    async with Client(cams[CAMERA_FOR[key]]) as client:
        try:
            await client.call(svc.path, etree.tostring(el).decode())
        except SoapFault as fault:
            assert fault.reason != "internal error"
