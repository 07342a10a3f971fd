"""Typed configurations written onto the camera's own configuration (read, changed, sent
back), so that what the VMS does not model (extensions, vendor parts) is kept as it was."""

from __future__ import annotations

from typing import Any

from zeep.helpers import serialize_object

from cameras.onvif.config_read import AUDIO_V1_BACK
from cameras.onvif.config_types import (
    AnyConfig,
    AudioEncoderConfig,
    AudioOutputConfig,
    AudioSourceConfig,
    MetadataConfig,
    Multicast,
    VideoEncoderConfig,
    VideoSourceConfig,
)

MEDIA2_ENCODING = {"MPEG4": "MPV4-ES"}


def as_dict(node: Any) -> dict[str, Any]:
    data = serialize_object(node, dict)
    return data if isinstance(data, dict) else {}


def _put_multicast(data: dict[str, Any], multicast: Multicast | None) -> None:
    if multicast is None:
        return
    old = data.get("Multicast") or {}
    version = "IPv6" if ":" in multicast.address else "IPv4"
    data["Multicast"] = {
        "Address": {"Type": version, f"{version}Address": multicast.address or "0.0.0.0"},
        "Port": multicast.port,
        "TTL": multicast.ttl,
        "AutoStart": bool(old.get("AutoStart", False)),
    }


def write_config(node: Any, config: AnyConfig, *, media2: bool) -> dict[str, Any]:
    """The camera's configuration `node` as a dict carrying the values of `config`."""
    data = as_dict(node)
    data["Name"] = config.name
    if isinstance(config, VideoSourceConfig):
        x, y, width, height = config.bounds
        data["SourceToken"] = config.source_token
        data["Bounds"] = {"x": x, "y": y, "width": width, "height": height}
        if config.rotate:
            extension = data.get("Extension") or {}
            extension["Rotate"] = {"Mode": config.rotate, "Degree": config.rotate_degree}
            data["Extension"] = extension
    elif isinstance(config, VideoEncoderConfig):
        _video_encoder(data, config, media2=media2)
    elif isinstance(config, AudioSourceConfig):
        data["SourceToken"] = config.source_token
    elif isinstance(config, AudioEncoderConfig):
        encoding = (
            config.encoding if media2 else AUDIO_V1_BACK.get(config.encoding, config.encoding)
        )
        data |= {"Encoding": encoding, "Bitrate": config.bitrate, "SampleRate": config.sample_rate}
        _put_multicast(data, config.multicast)
    elif isinstance(config, AudioOutputConfig):
        data["OutputToken"] = config.output_token
        if config.send_primacy:
            data["SendPrimacy"] = config.send_primacy
        data["OutputLevel"] = config.level
    elif isinstance(config, MetadataConfig):
        data["Analytics"] = config.analytics
        data["PTZStatus"] = (
            {"Status": config.ptz_status, "Position": config.ptz_position}
            if config.ptz_status or config.ptz_position
            else None
        )
        if not config.events:
            data["Events"] = None
        elif not data.get("Events"):
            data["Events"] = {}  # no filter: every event
        _put_multicast(data, config.multicast)
    return data


def _video_encoder(data: dict[str, Any], config: VideoEncoderConfig, *, media2: bool) -> None:
    data["Resolution"] = {"Width": config.width, "Height": config.height}
    if config.quality is not None:
        data["Quality"] = config.quality
    rate = dict(data.get("RateControl") or {})
    if config.fps is not None:
        rate["FrameRateLimit"] = config.fps if media2 else round(config.fps)
    if config.bitrate_kbps is not None:
        rate["BitrateLimit"] = config.bitrate_kbps
    _put_multicast(data, config.multicast)
    if media2:
        data["Encoding"] = MEDIA2_ENCODING.get(config.encoding, config.encoding)
        if config.constant_bitrate is not None:
            rate["ConstantBitRate"] = config.constant_bitrate
        if rate:
            data["RateControl"] = rate
        data["GovLength"] = config.gov_length
        data["Profile"] = config.profile or None
        return
    # Media1: every RateControl field is required; GOP and profile live per codec.
    rate.setdefault("EncodingInterval", 1)
    rate.setdefault("FrameRateLimit", round(config.fps or 25))
    rate.setdefault("BitrateLimit", config.bitrate_kbps or 0)
    data["RateControl"] = rate
    data["Encoding"] = config.encoding
    data.setdefault("SessionTimeout", "PT60S")
    if config.encoding == "H264":
        h264 = dict(data.get("H264") or {})
        h264["GovLength"] = config.gov_length or h264.get("GovLength") or 30
        h264["H264Profile"] = config.profile or h264.get("H264Profile") or "Main"
        data["H264"] = h264
    elif config.encoding == "MPEG4":
        mpeg4 = dict(data.get("MPEG4") or {})
        mpeg4["GovLength"] = config.gov_length or mpeg4.get("GovLength") or 30
        mpeg4["Mpeg4Profile"] = config.profile or mpeg4.get("Mpeg4Profile") or "SP"
        data["MPEG4"] = mpeg4
