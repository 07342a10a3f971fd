"""Media profile management (clause 6.2), multicast (6.7), encoder instances (6.4.5) and
video source modes (6.9): Media2 when the camera offers it, else Media1 (clause 6.14)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cameras.onvif import config_read as read
from cameras.onvif.config_types import (
    KINDS,
    Configuration,
    EncoderInstances,
    ProfileConfigs,
    VideoSourceMode,
)
from cameras.onvif.configurations import v1_name
from cameras.onvif.errors import NotSupported
from cameras.onvif.media import media_service

if TYPE_CHECKING:
    from cameras.onvif.client import OnvifClient

# Where Media1's tt:Profile keeps each configuration.
V1_FIELDS = {
    "VideoSource": "VideoSourceConfiguration",
    "AudioSource": "AudioSourceConfiguration",
    "VideoEncoder": "VideoEncoderConfiguration",
    "AudioEncoder": "AudioEncoderConfiguration",
    "Analytics": "VideoAnalyticsConfiguration",
    "PTZ": "PTZConfiguration",
    "Metadata": "MetadataConfiguration",
}
V1_EXTENSION_FIELDS = {
    "AudioOutput": "AudioOutputConfiguration",
    "AudioDecoder": "AudioDecoderConfiguration",
}


def _profile(node: Any) -> ProfileConfigs:
    held: dict[str, Configuration] = {}
    configs = getattr(node, "Configurations", None)
    extension = getattr(node, "Extension", None)
    for kind in KINDS:
        if configs is not None:  # Media2
            part = getattr(configs, kind, None)
        elif kind in V1_FIELDS:
            part = getattr(node, V1_FIELDS[kind], None)
        else:
            part = getattr(extension, V1_EXTENSION_FIELDS[kind], None)
        if part is not None and getattr(part, "token", None):
            held[kind] = read.read_config(kind, part)
    return ProfileConfigs(
        token=str(node.token),
        name=str(getattr(node, "Name", "") or node.token),
        fixed=bool(getattr(node, "fixed", False)),
        configurations=held,
    )


async def get_profile_configurations(client: OnvifClient) -> list[ProfileConfigs]:
    """GetProfiles with every configuration (Media2 Type=All; Media1 always gives them)."""
    if client.offers("media2"):
        answer = await client.call("media2", "GetProfiles", Type=["All"])
    else:
        answer = await client.call("media", "GetProfiles")
    return [_profile(p) for p in answer or [] if getattr(p, "token", None)]


def _ordered(kinds: list[str], *, reverse: bool = False) -> list[str]:
    """Sources before what depends on them (the reverse for removal)."""
    ordered = sorted(kinds, key=KINDS.index)
    return ordered[::-1] if reverse else ordered


async def create_profile(
    client: OnvifClient, name: str, configurations: dict[str, str] | None = None
) -> str:
    """CreateProfile: a new (deletable) profile holding `configurations` (kind -> token)."""
    refs = configurations or {}
    if client.offers("media2"):
        configs = [{"Type": kind, "Token": token} for kind, token in refs.items()]
        token = await client.call("media2", "CreateProfile", Name=name, Configuration=configs)
        return str(token)
    profile = await client.call("media", "CreateProfile", Name=name)
    token = str(profile.token)
    await add_configurations(client, token, refs)
    return token


async def delete_profile(client: OnvifClient, token: str) -> None:
    if client.offers("media2"):
        await client.call("media2", "DeleteProfile", Token=token)
    else:
        await client.call("media", "DeleteProfile", ProfileToken=token)


async def add_configurations(
    client: OnvifClient, profile_token: str, configurations: dict[str, str], name: str | None = None
) -> None:
    """AddConfiguration (Media1: Add<Kind>Configuration, sources first); `name` renames
    the profile (Media2 only)."""
    if client.offers("media2"):
        args: dict[str, Any] = {
            "ProfileToken": profile_token,
            "Configuration": [{"Type": k, "Token": t} for k, t in configurations.items()],
        }
        if name is not None:
            args["Name"] = name
        await client.call("media2", "AddConfiguration", **args)
        return
    if name is not None:
        raise NotSupported("This camera (Media1) cannot rename a profile.")
    for kind in _ordered(list(configurations)):
        await client.call(
            "media",
            f"Add{v1_name(kind)}Configuration",
            ProfileToken=profile_token,
            ConfigurationToken=configurations[kind],
        )


async def rename_profile(client: OnvifClient, profile_token: str, name: str) -> None:
    await add_configurations(client, profile_token, {}, name=name)


async def remove_configurations(client: OnvifClient, profile_token: str, kinds: list[str]) -> None:
    """RemoveConfiguration (Media1: Remove<Kind>Configuration, dependants first)."""
    if client.offers("media2"):
        await client.call(
            "media2",
            "RemoveConfiguration",
            ProfileToken=profile_token,
            Configuration=[{"Type": kind} for kind in kinds],
        )
        return
    for kind in _ordered(kinds, reverse=True):
        await client.call(
            "media", f"Remove{v1_name(kind)}Configuration", ProfileToken=profile_token
        )


async def get_video_encoder_instances(
    client: OnvifClient, video_source_configuration_token: str
) -> EncoderInstances:
    """GetVideoEncoderInstances (Media1: GetGuaranteedNumberOfVideoEncoderInstances)."""
    token = video_source_configuration_token
    if client.offers("media2"):
        info = await client.call("media2", "GetVideoEncoderInstances", ConfigurationToken=token)
        codecs = {
            read.encoding_name(getattr(c, "Encoding", "")): read.whole(getattr(c, "Number", None))
            for c in getattr(info, "Codec", None) or []
        }
        total = read.whole(getattr(info, "Total", None))
    else:
        info = await client.call(
            "media", "GetGuaranteedNumberOfVideoEncoderInstances", ConfigurationToken=token
        )
        codecs = {c: read.whole(getattr(info, c, None)) for c in ("JPEG", "H264", "MPEG4")}
        total = read.whole(getattr(info, "TotalNumber", None))
    return EncoderInstances(
        total=max(total or 0, 0),
        by_encoding={k: n for k, n in codecs.items() if k and n is not None and n >= 0},
    )


async def start_multicast_streaming(client: OnvifClient, profile_token: str) -> None:
    await client.call(media_service(client), "StartMulticastStreaming", ProfileToken=profile_token)


async def stop_multicast_streaming(client: OnvifClient, profile_token: str) -> None:
    await client.call(media_service(client), "StopMulticastStreaming", ProfileToken=profile_token)


async def get_video_source_modes(
    client: OnvifClient, video_source_token: str
) -> list[VideoSourceMode]:
    answer = await client.call(
        media_service(client), "GetVideoSourceModes", VideoSourceToken=video_source_token
    )
    modes = []
    for node in answer or []:
        size = getattr(node, "MaxResolution", None)
        token = str(getattr(node, "token", "") or "")
        if not token:
            continue
        modes.append(
            VideoSourceMode(
                token=token,
                enabled=bool(getattr(node, "Enabled", False)),
                max_fps=read.num(getattr(node, "MaxFramerate", None)),
                width=read.whole(getattr(size, "Width", None)) or 0,
                height=read.whole(getattr(size, "Height", None)) or 0,
                encodings=read.texts(getattr(node, "Encodings", None)),
                reboot=bool(getattr(node, "Reboot", False)),
                description=str(getattr(node, "Description", "") or ""),
            )
        )
    return modes


async def set_video_source_mode(
    client: OnvifClient, video_source_token: str, mode_token: str
) -> bool:
    """SetVideoSourceMode; True when the camera says it will reboot to apply it."""
    answer = await client.call(
        media_service(client),
        "SetVideoSourceMode",
        VideoSourceToken=video_source_token,
        VideoSourceModeToken=mode_token,
    )
    return bool(answer)
