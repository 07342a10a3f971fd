"""Analytics service (clause 9): rules, modules, options and supported metadata."""

import pytest
from simclient import Client, SoapFault, xp

AN = "/onvif/analytics_service"
CT = "<tan:ConfigurationToken>VideoAnalyticsConfig_1</tan:ConfigurationToken>"
LINE = (
    "<tan:Rule Name='{name}' Type='tt:LineDetector'><tt:Parameters><tt:SimpleItem Name='Direction' "
    "Value='Left'/><tt:ElementItem Name='Segments'><tt:Polyline><tt:Point x='-0.5' y='0'/>"
    "<tt:Point x='0.5' y='0'/></tt:Polyline></tt:ElementItem></tt:Parameters></tan:Rule>"
)


async def fault_of(client, body):
    with pytest.raises(SoapFault) as err:
        await client.call(AN, body)
    return err.value.subcodes


async def test_it_reports_capabilities_supported_rules_and_options(bullet):
    caps = await bullet.call(AN, "<tan:GetServiceCapabilities/>")
    assert xp(caps, "tan:Capabilities/@RuleOptionsSupported") == ["true"]
    rules = await bullet.call(AN, f"<tan:GetSupportedRules>{CT}</tan:GetSupportedRules>")
    assert "tt:LineDetector" in xp(rules, "//tt:RuleDescription/@Name")
    assert "tns1:RuleEngine/LineDetector/Crossed" in xp(rules, "//tt:ParentTopic/text()")
    opts = await bullet.call(
        AN,
        f"<tan:GetRuleOptions><tan:RuleType>tt:FieldDetector</tan:RuleType>"
        f"{CT}</tan:GetRuleOptions>",
    )
    assert xp(opts, "tan:RuleOptions/@Name") == ["Field"]
    every = await bullet.call(AN, f"<tan:GetRuleOptions>{CT}</tan:GetRuleOptions>")
    assert len(xp(every, "tan:RuleOptions")) > 4
    assert await fault_of(
        bullet, "<tan:GetRules><tan:ConfigurationToken>x</tan:ConfigurationToken></tan:GetRules>"
    ) == ["ter:InvalidArgVal", "ter:NoConfig"]


async def test_it_creates_modifies_and_deletes_rules(bullet):
    await bullet.call(AN, f"<tan:CreateRules>{CT}{LINE.format(name='Fence')}</tan:CreateRules>")
    rules = await bullet.call(AN, f"<tan:GetRules>{CT}</tan:GetRules>")
    assert xp(rules, "tan:Rule/@Name") == ["DoorLine", "Lobby", "Motion", "Fence"]
    assert await fault_of(
        bullet, f"<tan:CreateRules>{CT}{LINE.format(name='Fence')}</tan:CreateRules>"
    ) == ["ter:InvalidArgVal", "ter:RuleAlreadyExistent"]
    modify = (
        "<tan:Rule Name='Fence' Type='tt:LineDetector'><tt:Parameters><tt:SimpleItem "
        "Name='Direction' Value='Any'/></tt:Parameters></tan:Rule>"
    )
    await bullet.call(AN, f"<tan:ModifyRules>{CT}{modify}</tan:ModifyRules>")
    rules = await bullet.call(AN, f"<tan:GetRules>{CT}</tan:GetRules>")
    assert xp(rules, "string(tan:Rule[@Name='Fence']//tt:SimpleItem/@Value)") == "Any"
    assert xp(rules, "tan:Rule[@Name='Fence']//tt:Polyline")  # untouched parameter kept
    retype = modify.replace("tt:LineDetector", "tt:FieldDetector")
    assert await fault_of(bullet, f"<tan:ModifyRules>{CT}{retype}</tan:ModifyRules>") == [
        "ter:Action",
        "ter:TypeChangeProhibited",
    ]
    await bullet.call(
        AN, f"<tan:DeleteRules>{CT}<tan:RuleName>Fence</tan:RuleName></tan:DeleteRules>"
    )
    assert await fault_of(
        bullet, f"<tan:DeleteRules>{CT}<tan:RuleName>Fence</tan:RuleName></tan:DeleteRules>"
    ) == ["ter:InvalidArgVal", "ter:RuleNotExistent"]
    bad = LINE.format(name="X").replace("tt:LineDetector", "tt:Nonsense")
    assert await fault_of(bullet, f"<tan:CreateRules>{CT}{bad}</tan:CreateRules>") == [
        "ter:InvalidArgVal",
        "ter:InvalidRule",
    ]


async def test_it_manages_analytics_modules(bullet):
    supported = await bullet.call(
        AN, f"<tan:GetSupportedAnalyticsModules>{CT}</tan:GetSupportedAnalyticsModules>"
    )
    assert xp(supported, "//tt:AnalyticsModuleDescription/@Name") == ["tt:CellMotionEngine"]
    module = (
        "<tan:AnalyticsModule Name='Second' Type='tt:CellMotionEngine'><tt:Parameters/>"
        "</tan:AnalyticsModule>"
    )
    await bullet.call(AN, f"<tan:CreateAnalyticsModules>{CT}{module}</tan:CreateAnalyticsModules>")
    got = await bullet.call(AN, f"<tan:GetAnalyticsModules>{CT}</tan:GetAnalyticsModules>")
    assert xp(got, "string(tan:AnalyticsModule[@Name='Second']//tt:SimpleItem/@Value)") == "50"
    change = module.replace(
        "<tt:Parameters/>",
        "<tt:Parameters><tt:SimpleItem Name='Sensitivity' Value='80'/></tt:Parameters>",
    )
    await bullet.call(AN, f"<tan:ModifyAnalyticsModules>{CT}{change}</tan:ModifyAnalyticsModules>")
    got = await bullet.call(AN, f"<tan:GetAnalyticsModules>{CT}</tan:GetAnalyticsModules>")
    assert xp(got, "string(tan:AnalyticsModule[@Name='Second']//tt:SimpleItem/@Value)") == "80"
    assert await fault_of(
        bullet, f"<tan:CreateAnalyticsModules>{CT}{module}</tan:CreateAnalyticsModules>"
    ) == ["ter:InvalidArgVal", "ter:NameAlreadyExistent"]
    await bullet.call(
        AN,
        f"<tan:DeleteAnalyticsModules>{CT}<tan:AnalyticsModuleName>Second"
        "</tan:AnalyticsModuleName></tan:DeleteAnalyticsModules>",
    )
    assert await fault_of(
        bullet, f"<tan:ModifyAnalyticsModules>{CT}{change}</tan:ModifyAnalyticsModules>"
    ) == ["ter:InvalidArgVal", "ter:NameNotExistent"]
    opts = await bullet.call(
        AN,
        f"<tan:GetAnalyticsModuleOptions><tan:Type>tt:CellMotionEngine"
        f"</tan:Type>{CT}</tan:GetAnalyticsModuleOptions>",
    )
    assert xp(opts, "tan:Options/@Name") == ["Sensitivity"]
    assert await fault_of(
        bullet,
        f"<tan:GetAnalyticsModuleOptions><tan:Type>tt:Nope</tan:Type>{CT}"
        "</tan:GetAnalyticsModuleOptions>",
    ) == ["ter:InvalidArgVal", "ter:TypeNotExistent"]


async def test_it_returns_supported_metadata(bullet):
    body = await bullet.call(AN, "<tan:GetSupportedMetadata/>")
    assert xp(body, "tan:AnalyticsModule/@Type") == ["tt:CellMotionEngine"]
    assert xp(body, "//tt:BoundingBox")


async def test_cameras_without_analytics_refuse_the_service(cams):
    async with Client(cams["ptz-dome"]) as client:
        with pytest.raises(SoapFault) as err:
            await client.call(AN, f"<tan:GetRules>{CT}</tan:GetRules>")
    assert err.value.subcodes == ["ter:ActionNotSupported"]
