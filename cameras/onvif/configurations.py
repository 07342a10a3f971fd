"""Media configurations (clause 6.4): list, read options, change. Media2 when the camera
offers it, else the Media1 operations of the same meaning (clause 6.14).

PTZ configurations are listed through the PTZ service (Media2 has no operation for them);
their settings, like those of analytics configurations, belong to those services' pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cameras.onvif import config_read as read
from cameras.onvif.config_types import AnyConfig, Options
from cameras.onvif.config_write import write_config
from cameras.onvif.errors import InvalidArgument, NotSupported
from cameras.onvif.media import media_service

if TYPE_CHECKING:
    from cameras.onvif.client import OnvifClient

V1_NAMES = {"Analytics": "VideoAnalytics"}  # Media1 operation names differ for this kind
EDITABLE = ("VideoSource", "VideoEncoder", "AudioSource", "AudioEncoder", "Metadata", "AudioOutput")
WITH_OPTIONS = (*EDITABLE, "AudioDecoder")


def v1_name(kind: str) -> str:
    return V1_NAMES.get(kind, kind)


async def _raw_configurations(
    client: OnvifClient, kind: str, configuration_token: str | None, profile_token: str | None
) -> list[Any]:
    if kind == "PTZ":
        if configuration_token:
            answer = await client.call(
                "ptz", "GetConfiguration", PTZConfigurationToken=configuration_token
            )
            return [answer] if answer is not None else []
        if profile_token:
            return list(
                await client.call("ptz", "GetCompatibleConfigurations", ProfileToken=profile_token)
                or []
            )
        return list(await client.call("ptz", "GetConfigurations") or [])
    if client.offers("media2"):
        args = {"ConfigurationToken": configuration_token, "ProfileToken": profile_token}
        answer = await client.call(
            "media2",
            f"Get{kind}Configurations",
            **{k: v for k, v in args.items() if v is not None},
        )
        return list(answer or [])
    name = v1_name(kind)
    if configuration_token:
        answer = await client.call(
            "media", f"Get{name}Configuration", ConfigurationToken=configuration_token
        )
        return [answer] if answer is not None else []
    if profile_token:
        answer = await client.call(
            "media", f"GetCompatible{name}Configurations", ProfileToken=profile_token
        )
        return list(answer or [])
    return list(await client.call("media", f"Get{name}Configurations") or [])


async def get_configurations(
    client: OnvifClient,
    kind: str,
    *,
    configuration_token: str | None = None,
    profile_token: str | None = None,
) -> list[AnyConfig]:
    """Get<Kind>Configurations: one (by token), those compatible with a profile, or all."""
    nodes = await _raw_configurations(client, kind, configuration_token, profile_token)
    configs = [read.read_config(kind, node) for node in nodes]
    return [c for c in configs if c.token]


async def get_configuration(client: OnvifClient, kind: str, token: str) -> AnyConfig:
    found = await get_configurations(client, kind, configuration_token=token)
    for config in found:
        if config.token == token:
            return config
    raise InvalidArgument(f"The camera has no {kind} configuration {token!r}.")


async def set_configuration(client: OnvifClient, config: AnyConfig) -> None:
    """Set<Kind>Configuration: the camera's configuration with the fields of `config`."""
    if config.kind not in WITH_OPTIONS:
        raise NotSupported(f"{config.kind} configurations are changed on their own page.")
    nodes = await _raw_configurations(client, config.kind, config.token, None)
    node = next((n for n in nodes if str(getattr(n, "token", "")) == config.token), None)
    if node is None:
        raise InvalidArgument(f"The camera has no {config.kind} configuration {config.token!r}.")
    media2 = client.offers("media2")
    data = write_config(node, config, media2=media2)
    if media2:
        await client.call("media2", f"Set{config.kind}Configuration", Configuration=data)
    else:
        await client.call(
            "media",
            f"Set{v1_name(config.kind)}Configuration",
            Configuration=data,
            ForcePersistence=True,
        )


async def get_configuration_options(
    client: OnvifClient,
    kind: str,
    *,
    configuration_token: str | None = None,
    profile_token: str | None = None,
) -> Options:
    """Get<Kind>ConfigurationOptions, scoped by a configuration and/or a profile."""
    if kind not in WITH_OPTIONS:
        raise NotSupported(f"{kind} configuration options are read on their own page.")
    args = {"ConfigurationToken": configuration_token, "ProfileToken": profile_token}
    args = {k: v for k, v in args.items() if v is not None}
    media2 = client.offers("media2")
    operation = f"Get{kind if media2 else v1_name(kind)}ConfigurationOptions"
    answer = await client.call(media_service(client), operation, **args)
    if kind == "VideoSource":
        return read.read_video_source_options(answer)
    if kind == "VideoEncoder":
        if media2:
            return read.read_video_encoder_options2(answer)
        return read.read_video_encoder_options1(answer)
    if kind == "AudioEncoder":
        return read.read_audio_encoder_options(
            answer if media2 else getattr(answer, "Options", None)
        )
    if kind == "AudioDecoder":
        if media2:
            return read.read_audio_encoder_options(answer)
        return read.read_audio_decoder_options1(answer)
    if kind == "AudioSource":
        return read.read_audio_source_options(answer)
    if kind == "AudioOutput":
        return read.read_audio_output_options(answer)
    return read.read_metadata_options(answer)
