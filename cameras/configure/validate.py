"""Values checked against the camera's own options before anything is sent.

Each check returns {field: message}; a message names the camera's range or choices.
"""

from __future__ import annotations

import ipaddress

from cameras.onvif.config_types import (
    AnyConfig,
    AudioEncoderConfig,
    AudioEncoderOptions,
    AudioOutputConfig,
    AudioOutputOptions,
    AudioSourceConfig,
    AudioSourceOptions,
    MetadataConfig,
    MetadataOptions,
    Multicast,
    Options,
    Range,
    VideoEncoderConfig,
    VideoEncoderOptions,
    VideoSourceConfig,
    VideoSourceOptions,
)

Errors = dict[str, str]


def check(config: AnyConfig, options: Options | None) -> Errors:
    errors: Errors = {}
    if not 1 <= len(config.name) <= 64:
        errors["name"] = "The name must be 1 to 64 characters."
    if isinstance(config, VideoSourceConfig) and isinstance(options, VideoSourceOptions):
        errors |= _video_source(config, options)
    elif isinstance(config, VideoEncoderConfig) and isinstance(options, tuple):
        errors |= _video_encoder(config, [o for o in options if isinstance(o, VideoEncoderOptions)])
    elif isinstance(config, AudioEncoderConfig) and isinstance(options, tuple):
        errors |= _audio_encoder(config, [o for o in options if isinstance(o, AudioEncoderOptions)])
    elif isinstance(config, AudioSourceConfig) and isinstance(options, AudioSourceOptions):
        if options.source_tokens and config.source_token not in options.source_tokens:
            errors["source_token"] = _choices("audio input", options.source_tokens)
    elif isinstance(config, AudioOutputConfig) and isinstance(options, AudioOutputOptions):
        if options.output_tokens and config.output_token not in options.output_tokens:
            errors["output_token"] = _choices("audio output", options.output_tokens)
        if config.level is not None:
            _in_range(errors, "level", "The output level", config.level, options.level)
        if (
            config.send_primacy
            and options.send_primacies
            and config.send_primacy not in options.send_primacies
        ):
            errors["send_primacy"] = _choices("send primacy", options.send_primacies)
    elif isinstance(config, MetadataConfig) and isinstance(options, MetadataOptions):
        if config.ptz_status and not options.ptz_status:
            errors["ptz_status"] = "The camera cannot put PTZ status in its metadata."
        if config.ptz_position and not options.ptz_position:
            errors["ptz_position"] = "The camera cannot put PTZ positions in its metadata."
    if (multicast := getattr(config, "multicast", None)) is not None:
        errors |= _multicast(multicast)
    return errors


def _choices(what: str, offered: tuple[str, ...] | list[str]) -> str:
    return f"Choose an {what} the camera offers: {', '.join(offered)}."


def _in_range(errors: Errors, field: str, label: str, value: float, allowed: Range | None) -> None:
    if allowed is not None and value not in allowed:
        errors[field] = f"{label} {value:g} is outside the camera's range, {allowed}."


def _video_source(config: VideoSourceConfig, options: VideoSourceOptions) -> Errors:
    errors: Errors = {}
    if options.source_tokens and config.source_token not in options.source_tokens:
        errors["source_token"] = _choices("video source", options.source_tokens)
    x, y, width, height = config.bounds
    for field, label, value, allowed in (
        ("x", "The left edge", x, options.x),
        ("y", "The top edge", y, options.y),
        ("width", "The width", width, options.width),
        ("height", "The height", height, options.height),
    ):
        _in_range(errors, field, label, value, allowed)
    if width <= 0 or height <= 0:
        errors["width"] = "The width and height must be above 0."
    if options.x and options.width and x + width > max(options.x.max, options.width.max):
        errors["width"] = (
            f"The window ({x} + {width}) runs past the source's width, {options.width.max:g}."
        )
    if options.y and options.height and y + height > max(options.y.max, options.height.max):
        errors["height"] = (
            f"The window ({y} + {height}) runs past the source's height, {options.height.max:g}."
        )
    if config.rotate and options.rotate_modes and config.rotate not in options.rotate_modes:
        errors["rotate"] = _choices("rotation", options.rotate_modes)
    return errors


def encoder_options(
    options: list[VideoEncoderOptions], encoding: str
) -> VideoEncoderOptions | None:
    return next((o for o in options if o.encoding == encoding), None)


def _video_encoder(config: VideoEncoderConfig, options: list[VideoEncoderOptions]) -> Errors:
    errors: Errors = {}
    offered = encoder_options(options, config.encoding)
    if offered is None:
        errors["encoding"] = _choices("encoding", [o.encoding for o in options])
        return errors
    codec = config.encoding
    if offered.resolutions and (config.width, config.height) not in offered.resolutions:
        sizes = ", ".join(f"{w}x{h}" for w, h in offered.resolutions)
        errors["resolution"] = (
            f"{config.width}x{config.height} is not a {codec} resolution of the camera: {sizes}."
        )
    if config.fps is not None and not offered.frame_rate_ok(config.fps):
        errors["fps"] = (
            f"The frame rate {config.fps:g} is outside what the camera offers for {codec}: "
            f"{offered.frame_rate_text()} fps."
        )
    if config.bitrate_kbps is not None:
        _in_range(errors, "bitrate_kbps", "The bitrate", config.bitrate_kbps, offered.bitrate)
    if config.gov_length is not None and codec != "JPEG":
        _in_range(errors, "gov_length", "The GOP length", config.gov_length, offered.gov_length)
    if config.quality is not None:
        _in_range(errors, "quality", "The quality", config.quality, offered.quality)
    if config.profile and offered.profiles and config.profile not in offered.profiles:
        errors["profile"] = _choices(f"{codec} profile", offered.profiles)
    if config.constant_bitrate and not offered.constant_bitrate:
        errors["constant_bitrate"] = f"The camera offers no constant bitrate for {codec}."
    return errors


def _audio_encoder(config: AudioEncoderConfig, options: list[AudioEncoderOptions]) -> Errors:
    errors: Errors = {}
    offered = next((o for o in options if o.encoding == config.encoding), None)
    if offered is None:
        errors["encoding"] = _choices("audio encoding", [o.encoding for o in options])
        return errors
    if offered.bitrates and config.bitrate not in offered.bitrates:
        errors["bitrate"] = (
            f"Choose a {config.encoding} bitrate the camera offers: "
            f"{', '.join(map(str, offered.bitrates))} kbps."
        )
    if offered.sample_rates and config.sample_rate not in offered.sample_rates:
        errors["sample_rate"] = (
            f"Choose a {config.encoding} sample rate the camera offers: "
            f"{', '.join(map(str, offered.sample_rates))} kHz."
        )
    return errors


def _multicast(multicast: Multicast) -> Errors:
    errors: Errors = {}
    if multicast.address and multicast.address not in ("0.0.0.0", "::"):
        try:
            if not ipaddress.ip_address(multicast.address).is_multicast:
                errors["multicast_address"] = f"{multicast.address} is not a multicast address."
        except ValueError:
            errors["multicast_address"] = f"{multicast.address!r} is not an IP address."
    if not 0 <= multicast.port <= 65534 or multicast.port % 2:
        errors["multicast_port"] = (
            "The multicast port must be even, 0 to 65534 (RTCP uses the next)."
        )
    if not 0 <= multicast.ttl <= 255:
        errors["multicast_ttl"] = "The multicast TTL must be 0 to 255."
    return errors
