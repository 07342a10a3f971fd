"""Imaging service (clause 7)."""

import asyncio

import pytest
from simclient import SoapFault, xp

IMG = "/onvif/imaging_service"
VS = "<timg:VideoSourceToken>VideoSource_1</timg:VideoSourceToken>"


async def test_it_reports_capabilities_settings_and_options(dual):
    caps = await dual.call(IMG, "<timg:GetServiceCapabilities/>")
    assert xp(caps, "timg:Capabilities/@Presets") == ["true"]
    settings = await dual.call(IMG, f"<timg:GetImagingSettings>{VS}</timg:GetImagingSettings>")
    assert xp(settings, "string(//tt:Brightness)") == "50.0"
    opts = await dual.call(IMG, f"<timg:GetOptions>{VS}</timg:GetOptions>")
    assert xp(opts, "//tt:IrCutFilterModes/text()") == ["ON", "OFF", "AUTO"]


async def test_it_changes_settings_and_refuses_invalid_ones(dual):
    await dual.call(
        IMG,
        f"<timg:SetImagingSettings>{VS}<timg:ImagingSettings><tt:Brightness>80"
        "</tt:Brightness><tt:IrCutFilter>OFF</tt:IrCutFilter><tt:WideDynamicRange><tt:Mode>"
        "ON</tt:Mode><tt:Level>70</tt:Level></tt:WideDynamicRange></timg:ImagingSettings>"
        "<timg:ForcePersistence>true</timg:ForcePersistence></timg:SetImagingSettings>",
    )
    settings = await dual.call(IMG, f"<timg:GetImagingSettings>{VS}</timg:GetImagingSettings>")
    assert xp(settings, "string(//tt:Brightness)") == "80.0"
    assert xp(settings, "string(//tt:WideDynamicRange/tt:Mode)") == "ON"
    with pytest.raises(SoapFault) as err:
        await dual.call(
            IMG,
            f"<timg:SetImagingSettings>{VS}<timg:ImagingSettings><tt:Contrast>150"
            "</tt:Contrast></timg:ImagingSettings></timg:SetImagingSettings>",
        )
    assert err.value.subcodes == ["ter:InvalidArgVal", "ter:SettingsInvalid"]


async def test_it_faults_unknown_sources_and_sources_without_imaging(dual, cams):
    with pytest.raises(SoapFault) as err:
        await dual.call(
            IMG,
            "<timg:GetImagingSettings><timg:VideoSourceToken>x"
            "</timg:VideoSourceToken></timg:GetImagingSettings>",
        )
    assert err.value.subcodes == ["ter:InvalidArgVal", "ter:NoSource"]
    cams["dual-sensor"].video_sources[1].has_imaging = False
    with pytest.raises(SoapFault) as err:
        await dual.call(
            IMG,
            "<timg:GetOptions><timg:VideoSourceToken>VideoSource_2"
            "</timg:VideoSourceToken></timg:GetOptions>",
        )
    assert err.value.subcodes == ["ter:ActionNotSupported", "ter:NoImagingForSource"]


async def test_it_applies_imaging_presets(dual):
    presets = await dual.call(IMG, f"<timg:GetPresets>{VS}</timg:GetPresets>")
    assert xp(presets, "timg:Preset/@type") == ["ClearWeather", "Night", "Indoor"]
    none = await dual.call(IMG, f"<timg:GetCurrentPreset>{VS}</timg:GetCurrentPreset>")
    assert xp(none, "timg:Preset") == []
    night = xp(presets, "string(timg:Preset[@type='Night']/@token)")
    await dual.call(
        IMG,
        f"<timg:SetCurrentPreset>{VS}<timg:PresetToken>{night}</timg:PresetToken>"
        "</timg:SetCurrentPreset>",
    )
    current = await dual.call(IMG, f"<timg:GetCurrentPreset>{VS}</timg:GetCurrentPreset>")
    assert xp(current, "timg:Preset/@token") == [night]
    settings = await dual.call(IMG, f"<timg:GetImagingSettings>{VS}</timg:GetImagingSettings>")
    assert xp(settings, "string(//tt:IrCutFilter)") == "OFF"


async def test_it_moves_focus_and_reports_status(dual):
    opts = await dual.call(IMG, f"<timg:GetMoveOptions>{VS}</timg:GetMoveOptions>")
    assert xp(opts, "timg:MoveOptions/tt:Continuous")
    await dual.call(
        IMG,
        f"<timg:Move>{VS}<timg:Focus><tt:Absolute><tt:Position>0.6</tt:Position>"
        "<tt:Speed>0.2</tt:Speed></tt:Absolute></timg:Focus></timg:Move>",
    )  # 0.1 focus units at 0.1 units/s: one second
    status = await dual.call(IMG, f"<timg:GetStatus>{VS}</timg:GetStatus>")
    assert xp(status, "string(//tt:MoveStatus)") == "MOVING"
    for _ in range(100):
        await asyncio.sleep(0.05)
        status = await dual.call(IMG, f"<timg:GetStatus>{VS}</timg:GetStatus>")
        if xp(status, "string(//tt:MoveStatus)") == "IDLE":
            break
    assert (xp(status, "string(//tt:MoveStatus)"), xp(status, "number(//tt:Position)")) == (
        "IDLE",
        0.6,
    )
    await dual.call(
        IMG,
        f"<timg:Move>{VS}<timg:Focus><tt:Continuous><tt:Speed>-0.5</tt:Speed>"
        "</tt:Continuous></timg:Focus></timg:Move>",
    )
    await dual.call(IMG, f"<timg:Stop>{VS}</timg:Stop>")
    status = await dual.call(IMG, f"<timg:GetStatus>{VS}</timg:GetStatus>")
    assert xp(status, "string(//tt:MoveStatus)") == "IDLE"
    settings = await dual.call(IMG, f"<timg:GetImagingSettings>{VS}</timg:GetImagingSettings>")
    assert xp(settings, "string(//tt:AutoFocusMode)") == "MANUAL"


async def test_a_fixed_focus_source_offers_no_focus_moves(dual, cams):
    cams["dual-sensor"].video_sources[0].remote_focus = False
    opts = await dual.call(IMG, f"<timg:GetMoveOptions>{VS}</timg:GetMoveOptions>")
    assert xp(opts, "count(timg:MoveOptions/*)") == 0
    for body in (
        f"<timg:Move>{VS}<timg:Focus><tt:Continuous><tt:Speed>0.5</tt:Speed>"
        "</tt:Continuous></timg:Focus></timg:Move>",
        f"<timg:Stop>{VS}</timg:Stop>",
        f"<timg:GetStatus>{VS}</timg:GetStatus>",
    ):
        with pytest.raises(SoapFault) as err:
            await dual.call(IMG, body)
        assert err.value.subcodes == ["ter:ActionNotSupported"]
