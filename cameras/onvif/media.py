"""Media profiles and stream URIs: Media2 when the camera offers it, Media1 otherwise."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from cameras.onvif.types import MediaProfile, VideoEncoder, VideoSource

if TYPE_CHECKING:
    from cameras.onvif.client import OnvifClient


def media_service(client: OnvifClient) -> str:
    return "media2" if client.offers("media2") else "media"


def _number(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _size(node: Any, name: str) -> int | None:
    """A width or height: a positive whole number, else None."""
    value = _number(getattr(node, name, None))
    return int(value) if value is not None and 0 < value < 1e6 else None


def _encoder(config: Any) -> VideoEncoder | None:
    if config is None:
        return None
    resolution = getattr(config, "Resolution", None)
    rate = getattr(config, "RateControl", None)
    gov = getattr(config, "GovLength", None)
    if gov is None:  # Media1 keeps it per codec
        gov = getattr(getattr(config, "H264", None), "GovLength", None)
    return VideoEncoder(
        token=str(config.token),
        encoding=str(config.Encoding or "").upper().replace("H.264", "H264"),
        width=int(getattr(resolution, "Width", 0) or 0),
        height=int(getattr(resolution, "Height", 0) or 0),
        fps=_number(getattr(rate, "FrameRateLimit", None)),
        bitrate_kbps=int(getattr(rate, "BitrateLimit", 0) or 0) or None,
        gov_length=int(gov) if gov is not None else None,
        profile=str(
            getattr(config, "Profile", "")
            or getattr(getattr(config, "H264", None), "H264Profile", "")
            or ""
        ),
    )


def _profile(profile: Any, configs: Any) -> MediaProfile:
    ptz = getattr(configs, "PTZ", None)
    source = getattr(configs, "VideoSource", None)
    audio = getattr(configs, "AudioEncoder", None)
    return MediaProfile(
        token=str(profile.token),
        name=str(profile.Name or profile.token),
        fixed=bool(getattr(profile, "fixed", False)),
        video_source_token=str(source.SourceToken) if source is not None else None,
        video_encoder=_encoder(getattr(configs, "VideoEncoder", None)),
        audio_encoding=str(audio.Encoding) if audio is not None else None,
        ptz_configuration_token=str(ptz.token) if ptz is not None else None,
        ptz_node_token=str(ptz.NodeToken) if ptz is not None and ptz.NodeToken else None,
        has_metadata=getattr(configs, "Metadata", None) is not None,
        has_audio_output=getattr(configs, "AudioOutput", None) is not None,
    )


async def get_profiles(client: OnvifClient) -> list[MediaProfile]:
    if client.offers("media2"):
        answer = await client.call("media2", "GetProfiles", Type=["All"])
        return [_profile(p, p.Configurations) for p in answer or []]
    answer = await client.call("media", "GetProfiles")
    return [
        _profile(
            p,
            type(
                "Media1Configs",
                (),
                {
                    "PTZ": p.PTZConfiguration,
                    "VideoSource": p.VideoSourceConfiguration,
                    "AudioEncoder": p.AudioEncoderConfiguration,
                    "VideoEncoder": p.VideoEncoderConfiguration,
                    "Metadata": p.MetadataConfiguration,
                    "AudioOutput": getattr(p.Extension, "AudioOutputConfiguration", None),
                },
            ),
        )
        for p in answer or []
    ]


async def get_video_sources(client: OnvifClient) -> list[VideoSource]:
    """GetVideoSources (Media1 only: Media2 has no such operation); each source with its size.
    Sources an answer gives without a token or a size are left out."""
    answer = await client.call("media", "GetVideoSources")
    sources = []
    for source in answer or []:
        resolution = getattr(source, "Resolution", None)
        width, height = _size(resolution, "Width"), _size(resolution, "Height")
        if getattr(source, "token", None) and width and height:
            rate = _number(getattr(source, "Framerate", None))
            sources.append(VideoSource(str(source.token), width, height, rate))
    return sources


async def get_video_source_configurations(client: OnvifClient) -> list[VideoSource]:
    """GetVideoSourceConfigurations (Media2 when offered, else Media1), read as the video
    sources the configurations name, sized by their bounds (no frame rate): the sources of a
    camera without Media1, or whose GetVideoSources fails."""
    answer = await client.call(media_service(client), "GetVideoSourceConfigurations")
    sources: dict[str, VideoSource] = {}
    for config in answer or []:
        token = getattr(config, "SourceToken", None)
        bounds = getattr(config, "Bounds", None)
        width, height = _size(bounds, "width"), _size(bounds, "height")
        if token and str(token) not in sources and width and height:
            sources[str(token)] = VideoSource(str(token), width, height, None)
    return list(sources.values())


def _rewrite(client: OnvifClient, uri: str) -> str:
    """Keep the camera's scheme, port and path; use the host the admin entered (NAT)."""
    parts = urlsplit(uri)
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, f"{client.host}{port}", parts.path, parts.query, ""))


async def get_stream_uri(client: OnvifClient, profile_token: str, protocol: str = "RTSP") -> str:
    if client.offers("media2"):
        uri = await client.call(
            "media2", "GetStreamUri", Protocol=protocol, ProfileToken=profile_token
        )
    else:
        setup = {
            "Stream": "RTP-Unicast",
            "Transport": {"Protocol": "RTSP" if protocol == "RTSP" else "HTTP"},
        }
        answer = await client.call(
            "media", "GetStreamUri", StreamSetup=setup, ProfileToken=profile_token
        )
        uri = answer.Uri
    return _rewrite(client, str(uri))


async def get_snapshot_uri(client: OnvifClient, profile_token: str) -> str:
    answer = await client.call(media_service(client), "GetSnapshotUri", ProfileToken=profile_token)
    return _rewrite(client, str(answer if client.offers("media2") else answer.Uri))


async def set_synchronization_point(client: OnvifClient, profile_token: str) -> None:
    """Ask the camera for a key frame (and fresh parameter sets) on that profile's stream."""
    await client.call(media_service(client), "SetSynchronizationPoint", ProfileToken=profile_token)
