"""Drive one simulated camera with onvif-python (run in its own virtualenv, as a subprocess).

Usage: python third_party_client.py HOST PORT USER PASSWORD. Prints one JSON object of findings.
This file must not import the simulator: it is a client this project did not write.
"""

import json
import sys
import time

from onvif import CacheMode, ONVIFClient


def main() -> None:
    host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    client = ONVIFClient(host, port, user, password, cache=CacheMode.NONE, timeout=10)
    out = {}
    dev = client.devicemgmt()
    info = dev.GetDeviceInformation()
    out["model"] = info.Model
    out["services"] = sorted(s.Namespace for s in dev.GetServices(IncludeCapability=True))

    media = client.media()
    profiles = media.GetProfiles()
    out["profiles"] = [p.token for p in profiles]
    token = profiles[0].token
    setup = {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}}
    out["stream_uri"] = media.GetStreamUri(StreamSetup=setup, ProfileToken=token).Uri

    ptz = client.ptz()
    ptz.ContinuousMove(
        ProfileToken=token, Velocity={"PanTilt": {"x": 0.5, "y": 0.0}}, Timeout="PT1S"
    )
    statuses = []
    for _ in range(100):
        status = ptz.GetStatus(ProfileToken=token)
        statuses.append(status.MoveStatus.PanTilt)
        if statuses[-1] == "IDLE":
            break
        time.sleep(0.1)
    out["move_statuses"] = [statuses[0], statuses[-1]]
    out["pan"] = status.Position.PanTilt.x

    imaging = client.imaging()
    source = media.GetVideoSources()[0].token
    imaging.SetImagingSettings(VideoSourceToken=source, ImagingSettings={"Brightness": 75.0})
    out["brightness"] = imaging.GetImagingSettings(VideoSourceToken=source).Brightness

    media2 = client.media2()
    vsc = media2.GetVideoSourceConfigurations()[0].token
    mask = {
        "ConfigurationToken": vsc,
        "Type": "Color",
        "Enabled": True,
        "Polygon": {"Point": [{"x": 0.0, "y": 0.0}, {"x": 0.5, "y": 0.0}, {"x": 0.5, "y": 0.5}]},
    }
    mask_token = media2.CreateMask(Mask=mask)
    out["masks"] = [m.token for m in media2.GetMasks(Token=mask_token)]
    osd = {
        "token": "new",
        "VideoSourceConfigurationToken": vsc,
        "Type": "Text",
        "Position": {"Type": "UpperLeft"},
        "TextString": {"Type": "Plain", "PlainText": "Hello"},
    }
    osd_token = media2.CreateOSD(OSD=osd)
    out["osd_text"] = [o.TextString.PlainText for o in media2.GetOSDs(OSDToken=osd_token)]

    events = client.events()
    sub = events.CreatePullPointSubscription(InitialTerminationTime="PT60S")
    pullpoint = client.pullpoint(sub)
    media2.CreateProfile(Name="event-trigger")  # a real state change: ProfileChanged
    topics = []
    for _ in range(5):
        msgs = pullpoint.PullMessages(Timeout="PT2S", MessageLimit=10)
        for m in msgs.NotificationMessage or []:
            item = m.Message.Message["Source"]["SimpleItem"]  # onvif-python flattens tt:Message
            item = item[0] if isinstance(item, list) else item
            topics.append(f"{item['Name']}={item['Value']}")
        if topics:
            break
    out["event_sources"] = topics
    print(json.dumps(out))  # noqa: T201 - the test reads stdout


if __name__ == "__main__":
    main()
