"""GetServiceCapabilities of the media service (Media2 tr2:Capabilities2, clause 6.12;
Media1 trt:Capabilities, 6.14): what the camera says its media service can do."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from cameras.onvif import config_read as read
from cameras.onvif.config_types import KINDS
from cameras.onvif.media import media_service

if TYPE_CHECKING:
    from cameras.onvif.client import OnvifClient


@dataclass(frozen=True)
class MediaCapabilities:
    max_profiles: int | None = None
    # Media2 ConfigurationsSupported in KINDS order; empty when not said (Media1): all kinds.
    configurations: tuple[str, ...] = ()
    rtp_multicast: bool = False
    rtsp_over_http: bool = False
    snapshot_uri: bool = False
    rotation: bool = False
    video_source_mode: bool = False
    osd: bool = False
    mask: bool = False
    source_mask: bool = False

    def as_json(self) -> dict[str, Any]:
        return asdict(self) | {"configurations": list(self.configurations)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MediaCapabilities:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["configurations"] = tuple(known.get("configurations") or ())
        return cls(**known)


def _flag(node: Any, name: str) -> bool:
    return getattr(node, name, None) in (True, "true", "1")


def read_capabilities(node: Any) -> MediaCapabilities:
    profiles = getattr(node, "ProfileCapabilities", None)
    streaming = getattr(node, "StreamingCapabilities", None)
    said = set()
    for value in read.texts(getattr(profiles, "ConfigurationsSupported", None)):
        said.update(value.split())
    max_profiles = read.whole(getattr(profiles, "MaximumNumberOfProfiles", None))
    return MediaCapabilities(
        max_profiles=max_profiles if max_profiles is not None and max_profiles > 0 else None,
        configurations=tuple(k for k in KINDS if k in said),
        rtp_multicast=_flag(streaming, "RTPMulticast"),
        rtsp_over_http=_flag(streaming, "RTP_RTSP_TCP"),
        snapshot_uri=_flag(node, "SnapshotUri"),
        rotation=_flag(node, "Rotation"),
        video_source_mode=_flag(node, "VideoSourceMode"),
        osd=_flag(node, "OSD"),
        mask=_flag(node, "Mask"),
        source_mask=_flag(node, "SourceMask"),
    )


async def get_service_capabilities(client: OnvifClient) -> MediaCapabilities:
    """GetServiceCapabilities of Media2, else Media1."""
    return read_capabilities(await client.call(media_service(client), "GetServiceCapabilities"))
