"""tns1:Monitoring/Profile/ActiveConnections (clause 6.13.3): RTSP sessions of a profile that
start and end, seen through the event service of the running fleet (SOAP and RTSP sockets)."""

from __future__ import annotations

from simclient import pull_messages, pull_point, xp

from simulator import xsd

from . import clients

TOPIC = "tns1:Monitoring/Profile/ActiveConnections"


async def connections(client, address) -> list[tuple[str, str, int]]:
    """(operation, profile, number of ActiveConnections entries) of each message pulled."""
    return [
        (
            msg.get("PropertyOperation"),
            xp(msg, "string(tt:Source/tt:SimpleItem[@Name='Profile']/@Value)"),
            int(xp(msg, "count(tt:Data/tt:ElementItem[@Name='Status']//tt:ActiveConnections)")),
        )
        for topic, msg in await pull_messages(client, address, timeout="PT2S")
        if topic == TOPIC
    ]


async def test_rtsp_sessions_of_a_profile_are_active_connections(dual, cams):
    described = await dual.call("/onvif/events_service", "<tev:GetEventProperties/>")
    topic = "//tns1:Monitoring/tns1:Profile/tns1:ActiveConnections/tt:MessageDescription"
    assert xp(described, f"{topic}/tt:Data/tt:ElementItemDescription/@Type") == ["tt:ProfileStatus"]
    address = await pull_point(dual, "tns1:Monitoring//.")
    port = cams["dual-sensor"].rtsp_port
    async with clients.RtspClient(port) as first, clients.RtspClient(port) as second:
        await first.play_tcp("Profile_2_sub")
        assert await connections(dual, address) == [("Initialized", "Profile_2_sub", 1)]
        await second.play_tcp("Profile_2_sub")
        assert await connections(dual, address) == [("Changed", "Profile_2_sub", 2)]
        status = dual.camera.runtime.events.properties
        (held,) = [m for m in status.values() if m.topic == TOPIC]
        entry = held.elements[0][1][0]
        assert xp(entry, "number(tt:CurrentFps)") > 0 and xp(entry, "number(tt:CurrentBitrate)") > 0
        assert xsd.validate(dual.camera.runtime.events.notification(held)) == []
        await first.request("TEARDOWN", "Profile_2_sub")
        assert await connections(dual, address) == [("Changed", "Profile_2_sub", 1)]
    # the second client went away without TEARDOWN: its session ends with its connection
    assert await connections(dual, address) == [("Changed", "Profile_2_sub", 0)]
