"""The tracks of a media profile and their SDP (RFC 4566) description."""

from __future__ import annotations

import time
from dataclasses import dataclass

from simulator.camera import Camera, Configuration, Profile
from simulator.media.audio import AudioParams

BACKCHANNEL = "www.onvif.org/ver20/backchannel"
METADATA_PT, BACKCHANNEL_PTS = 107, (0, 8)


@dataclass(frozen=True)
class TrackSpec:
    """One m-line of a profile: what it carries and where it comes from."""

    control: str  # "trackID=N"
    kind: str  # video | audio | metadata | backchannel
    config: Configuration  # encoder, metadata or audio decoder configuration
    source_token: str = ""  # video source token (video, metadata) or audio source/output token

    @property
    def multicast(self):
        return self.config.multicast


def tracks(camera: Camera, profile: Profile, backchannel: bool = False) -> list[TrackSpec]:
    out = []
    vsc = camera.profile_config(profile, "VideoSource")
    venc = camera.profile_config(profile, "VideoEncoder")
    if vsc is not None and venc is not None and camera.video_source(vsc.source):
        out.append(TrackSpec("trackID=1", "video", venc, vsc.source))
    asc = camera.profile_config(profile, "AudioSource")
    aenc = camera.profile_config(profile, "AudioEncoder")
    if asc is not None and aenc is not None:
        out.append(TrackSpec("trackID=2", "audio", aenc, asc.source))
    meta = camera.profile_config(profile, "Metadata")
    if meta is not None and vsc is not None and camera.video_source(vsc.source):
        out.append(TrackSpec("trackID=3", "metadata", meta, vsc.source))
    if backchannel and has_backchannel(camera, profile):
        aout = camera.profile_config(profile, "AudioOutput")
        dec = camera.profile_config(profile, "AudioDecoder")
        out.append(TrackSpec("trackID=4", "backchannel", dec, aout.source))  # type: ignore[arg-type,union-attr]
    return out


def has_backchannel(camera: Camera, profile: Profile) -> bool:
    return (
        camera.profile_config(profile, "AudioOutput") is not None
        and camera.profile_config(profile, "AudioDecoder") is not None
    )


def media_lines(spec: TrackSpec, video=None, multicast: bool = False) -> list[str]:
    """The m-line and attributes of one track; ``video`` = (params, packetiser) for video."""
    port, conn = 0, []
    if multicast and spec.kind != "backchannel":
        m = spec.multicast
        port, conn = m.port, [f"c=IN IP4 {m.address}/{m.ttl}"]
    if spec.kind == "video":
        params, pk = video
        pt = 26 if params.encoding == "JPEG" else 96
        lines = [f"m=video {port} RTP/AVP {pt}", *conn]
        if pt != 26:
            lines.append(f"a=rtpmap:{pt} {params.encoding}/90000")
            lines += [pk.fmtp(pt)] if pk.fmtp(pt) else []
        lines += [f"a=framerate:{params.fps:g}", f"a=x-dimensions:{params.width},{params.height}"]
    elif spec.kind == "audio":
        p = AudioParams.of(spec.config)
        lines = [f"m=audio {port} RTP/AVP {p.payload_type}", *conn, p.rtpmap()]
        lines += [p.fmtp()] if p.fmtp() else []
    elif spec.kind == "metadata":
        lines = [
            f"m=application {port} RTP/AVP {METADATA_PT}",
            *conn,
            f"a=rtpmap:{METADATA_PT} vnd.onvif.metadata/90000",
        ]
    else:
        pts = " ".join(map(str, BACKCHANNEL_PTS))
        lines = [f"m=audio 0 RTP/AVP {pts}", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000"]
        return [*lines, f"a=control:{spec.control}", "a=sendonly"]
    return [*lines, f"a=control:{spec.control}", "a=recvonly"]


def session(camera: Camera, profile: Profile, host: str, media: list[list[str]]) -> str:
    version = int(time.time())
    lines = [
        "v=0",
        f"o=- {version} {version} IN IP4 {host}",
        f"s={camera.name} {profile.token}",
        "c=IN IP4 0.0.0.0",
        "t=0 0",
        "a=control:*",
        "a=range:npt=0-",
    ]
    for m in media:
        lines += m
    return "\r\n".join(lines) + "\r\n"
