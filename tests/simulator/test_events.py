"""Event service: properties, pull points with state-driven events, Subscribe/Notify."""

import asyncio

import pytest
from aiohttp import web
from lxml import etree
from simclient import SoapFault, envelope, wsse_header, xp

from simulator import xsd
from simulator.soap import NS

EV = "/onvif/events_service"
M2 = "/onvif/media2_service"


async def pull(client, address, timeout="PT1S", limit=10):
    path = address.split(str(client.camera.port), 1)[1]
    return await client.call(
        path,
        f"<tev:PullMessages><tev:Timeout>{timeout}</tev:Timeout>"
        f"<tev:MessageLimit>{limit}</tev:MessageLimit></tev:PullMessages>",
    )


async def create(client, topic=None):
    flt = ""
    if topic:
        flt = (
            "<tev:Filter><wsnt:TopicExpression Dialect='http://www.onvif.org/ver10/tev/"
            f"topicExpression/ConcreteSet'>{topic}</wsnt:TopicExpression></tev:Filter>"
        )
    body = await client.call(
        EV,
        f"<tev:CreatePullPointSubscription>{flt}<tev:InitialTerminationTime>"
        "PT60S</tev:InitialTerminationTime></tev:CreatePullPointSubscription>",
    )
    return xp(body, "string(tev:SubscriptionReference/wsa:Address)")


async def test_it_describes_the_topics_of_each_camera(ptz_client, bullet):
    body = await ptz_client.call(EV, "<tev:GetEventProperties/>")
    assert xp(body, "boolean(//tns1:PTZController/tns1:PTZPresets/tns1:Reached)")
    assert not xp(body, "boolean(//tns1:RuleEngine)")
    body = await bullet.call(EV, "<tev:GetEventProperties/>")
    assert xp(body, "//tns1:LineDetector/tns1:Crossed/tt:MessageDescription/@IsProperty") == [
        "false"
    ]
    caps = await bullet.call(EV, "<tev:GetServiceCapabilities/>")
    assert xp(caps, "tev:Capabilities/@MaxPullPoints") == ["10"]


async def test_a_pull_point_receives_a_configuration_change(dual):
    address = await create(dual, "tns1:Media//.")
    await dual.call(M2, "<tr2:CreateProfile><tr2:Name>evt</tr2:Name></tr2:CreateProfile>")
    body = await pull(dual, address)
    assert xp(body, "wsnt:NotificationMessage/wsnt:Topic/text()") == ["tns1:Media/ProfileChanged"]
    assert xp(body, "//tt:SimpleItem[@Name='Token']/@Value")
    empty = await pull(dual, address, timeout="PT0.2S")
    assert xp(empty, "wsnt:NotificationMessage") == []


async def test_pull_messages_waits_for_an_event(dual):
    address = await create(dual)
    waiting = asyncio.ensure_future(pull(dual, address, timeout="PT5S"))
    await asyncio.sleep(0.2)
    assert not waiting.done()
    await dual.call(M2, "<tr2:CreateProfile><tr2:Name>late</tr2:Name></tr2:CreateProfile>")
    body = await asyncio.wait_for(waiting, 2)
    assert len(xp(body, "wsnt:NotificationMessage")) == 1


async def test_it_renews_synchronizes_and_unsubscribes(ptz_client):
    address = await create(ptz_client, "tns1:PTZController/PTZPresetTours")
    path = address.split(str(ptz_client.camera.port), 1)[1]
    init = await pull(ptz_client, address)  # property state is sent as Initialized
    assert xp(init, "//tt:Message/@PropertyOperation") == []  # no tour has reported yet
    await ptz_client.call(
        "/onvif/ptz_service",
        "<tptz:CreatePresetTour><tptz:ProfileToken>"
        "Profile_1_main</tptz:ProfileToken></tptz:CreatePresetTour>",
    )
    changed = await pull(ptz_client, address)
    assert xp(changed, "//tt:Message/@PropertyOperation") == ["Initialized"]
    await ptz_client.call(path, "<tev:SetSynchronizationPoint/>")
    sync = await pull(ptz_client, address)
    assert set(xp(sync, "//tt:Message/@PropertyOperation")) == {"Initialized"}
    renewed = await ptz_client.call(
        path, "<wsnt:Renew><wsnt:TerminationTime>PT120S</wsnt:TerminationTime></wsnt:Renew>"
    )
    assert xp(renewed, "wsnt:TerminationTime")
    await ptz_client.call(path, "<wsnt:Unsubscribe/>")
    with pytest.raises(SoapFault) as err:
        await pull(ptz_client, address)
    assert err.value.subcodes == ["ter:InvalidArgVal", "ter:ResourceUnknown"]


async def test_a_subscription_expires(dual, cams):
    body = await dual.call(
        EV,
        "<tev:CreatePullPointSubscription><tev:InitialTerminationTime>PT0.2S"
        "</tev:InitialTerminationTime></tev:CreatePullPointSubscription>",
    )
    address = xp(body, "string(tev:SubscriptionReference/wsa:Address)")
    await asyncio.sleep(0.4)
    with pytest.raises(SoapFault):
        await pull(dual, address)


async def test_subscribe_pushes_notify_to_the_consumer(dual):
    received: asyncio.Queue = asyncio.Queue()

    async def consumer(request):
        await received.put(await request.read())
        return web.Response(status=202)

    app = web.Application()
    app.router.add_post("/notify", consumer)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        body = await dual.call(
            EV,
            "<wsnt:Subscribe><wsnt:ConsumerReference><wsa:Address>"
            f"http://127.0.0.1:{port}/notify</wsa:Address></wsnt:ConsumerReference>"
            "<wsnt:InitialTerminationTime>PT60S</wsnt:InitialTerminationTime>"
            "</wsnt:Subscribe>",
        )
        assert xp(body, "wsnt:SubscriptionReference/wsa:Address")
        await dual.call(M2, "<tr2:CreateProfile><tr2:Name>push</tr2:Name></tr2:CreateProfile>")
        data = await asyncio.wait_for(received.get(), 5)
    finally:
        await runner.cleanup()
    notify = etree.fromstring(data).find(f"{{{NS['env']}}}Body")[0]
    assert notify.tag == f"{{{NS['wsnt']}}}Notify"
    assert xsd.validate(notify) == []
    assert xp(notify, "//wsnt:Topic/text()") == ["tns1:Media/ProfileChanged"]


async def test_it_refuses_push_consumers_off_the_machine(dual):
    with pytest.raises(SoapFault) as err:
        await dual.call(
            EV,
            "<wsnt:Subscribe><wsnt:ConsumerReference><wsa:Address>"
            "http://192.0.2.1/notify</wsa:Address></wsnt:ConsumerReference></wsnt:Subscribe>",
        )
    assert err.value.subcodes == ["ter:InvalidArgVal", "ter:InvalidArgs"]


async def test_pull_messages_beyond_the_limits_fault_with_the_maxima(dual):
    address = await create(dual)
    path = address.split(str(dual.camera.port), 1)[1]
    status, _, data = await dual.raw(
        path,
        envelope(
            "<tev:PullMessages><tev:Timeout>PT10M</tev:Timeout><tev:MessageLimit>5</tev:MessageLimit>"
            "</tev:PullMessages>",
            wsse_header("admin", "admin"),
        ),
    )
    detail = etree.fromstring(data).find(f".//{{{NS['env']}}}Detail")[0]
    assert status == 400
    assert xsd.validate(detail) == []
    assert xp(detail, "string(tev:MaxTimeout)") == "PT60S"


async def test_a_message_content_filter_selects_events(bullet, cams):
    flt = (
        "<tev:Filter><wsnt:MessageContent Dialect='http://www.onvif.org/ver10/tev/"
        "messageContentFilter/ItemFilter'>boolean(//tt:SimpleItem[@Name='Rule' and "
        "@Value='DoorLine'])</wsnt:MessageContent></tev:Filter>"
    )
    body = await bullet.call(EV, f"<tev:CreatePullPointSubscription>{flt}"
                             "</tev:CreatePullPointSubscription>")  # fmt: skip
    address = xp(body, "string(tev:SubscriptionReference/wsa:Address)")
    sub = cams["bullet-analytics"].runtime.events.subscriptions[address.rsplit("/", 1)[1]]
    events = cams["bullet-analytics"].runtime.events
    source = [("VideoSourceConfigurationToken", "VideoSourceConfig_1"),
              ("VideoAnalyticsConfigurationToken", "VideoAnalyticsConfig_1")]  # fmt: skip
    events.publish("tns1:RuleEngine/LineDetector/Crossed", [*source, ("Rule", "DoorLine")], [])
    events.publish("tns1:RuleEngine/LineDetector/Crossed", [*source, ("Rule", "Other")], [])
    assert [dict(m.source)["Rule"] for m in sub.queue] == ["DoorLine"]
    with pytest.raises(SoapFault) as err:
        await bullet.call(EV, "<tev:CreatePullPointSubscription>" + flt.replace("boolean(", "((")
                          + "</tev:CreatePullPointSubscription>")  # fmt: skip
    assert err.value.subcodes[0] == "ter:InvalidArgVal"


async def test_a_property_message_goes_to_every_subscriber_intact(ptz_client, cams):
    events = cams["ptz-dome"].runtime.events
    first, second = events.subscribe([], 60), events.subscribe([], 60)
    await ptz_client.call("/onvif/ptz_service", "<tptz:CreatePresetTour><tptz:ProfileToken>"
                          "Profile_1_main</tptz:ProfileToken></tptz:CreatePresetTour>")  # fmt: skip
    for sub in (first, second):
        xml = events.notification(sub.queue[-1], sub)
        assert xp(xml, "count(.//tt:ElementItem[@Name='PresetTour']/tt:PresetTour)") == 1
        assert xsd.validate(xml) == []


async def test_the_tour_topic_describes_its_preset_tour_element(ptz_client):
    body = await ptz_client.call(EV, "<tev:GetEventProperties/>")
    desc = xp(body, "//tns1:PTZPresetTours/tns1:Configuration/tt:MessageDescription/tt:Data")[0]
    assert xp(desc, "tt:ElementItemDescription/@Name") == ["PresetTour"]


async def test_media1_configuration_topics_follow_the_hardware(audio, dual):
    with_audio = await audio.call(EV, "<tev:GetEventProperties/>")
    assert xp(with_audio, "boolean(//tns1:AudioOutputConfiguration/tns1:MediaService)")
    without = await dual.call(EV, "<tev:GetEventProperties/>")
    assert not xp(without, "boolean(//tns1:AudioOutputConfiguration)")
    assert xp(without, "//tns1:VideoEncoderConfiguration//tt:ElementItemDescription/@Type") == [
        "tt:VideoEncoderConfiguration"
    ]
