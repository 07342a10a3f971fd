"""zeep media configurations and options to the dataclasses of `config_types`, and back.

Cameras are untrusted: a missing or malformed field reads as "not given" (None, "", ()),
never as an exception.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from isodate import ISO8601Error, parse_duration
from lxml import etree

from cameras.onvif.config_types import (
    AnyConfig,
    AudioEncoderConfig,
    AudioEncoderOptions,
    AudioOutputConfig,
    AudioOutputOptions,
    AudioSourceConfig,
    AudioSourceOptions,
    Configuration,
    MetadataConfig,
    MetadataOptions,
    Multicast,
    Range,
    VideoEncoderConfig,
    VideoEncoderOptions,
    VideoSourceConfig,
    VideoSourceOptions,
)

AUDIO_V1 = {"G711": "PCMU", "AAC": "MP4A-LATM"}  # Media1 enum -> Media2 MIME name
AUDIO_V1_BACK = {"PCMU": "G711", "MP4A-LATM": "AAC", "mpeg4-generic": "AAC"}


def num(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def whole(value: Any) -> int | None:
    number = num(value)
    return int(number) if number is not None and abs(number) < 2**31 else None


def rng(node: Any) -> Range | None:
    low, high = num(getattr(node, "Min", None)), num(getattr(node, "Max", None))
    return Range(low, high) if low is not None and high is not None and low <= high else None


def span(node: Any, value: Callable[[Any], float | None] = num) -> tuple[float, float] | None:
    """(Min, Max) of a range node as a tuple; None unless both are read and Min <= Max."""
    low, high = value(getattr(node, "Min", None)), value(getattr(node, "Max", None))
    return (low, high) if low is not None and high is not None and low <= high else None


def seconds(value: Any) -> float | None:
    """An xs:duration as zeep gives it (a timedelta) or as text, in seconds."""
    if value is None:
        return None
    if isinstance(value, timedelta):
        return value.total_seconds()
    try:
        return float(parse_duration(str(value)).total_seconds())
    except (ISO8601Error, ValueError):
        return None


def plain_text(value: Any) -> str:
    """A token or text that zeep may hand over as an object with simple content
    (tt:OSDReference and friends keep the text in `_value_1`)."""
    value = getattr(value, "_value_1", value)
    return "" if value is None or not isinstance(value, str | int | float) else str(value)


def raw_elements(parent: Any, localname: str) -> list[etree._Element]:
    """Elements named `localname` that zeep left raw in `parent`'s xs:any (`_value_1`): an
    extension whose schema puts the wildcard first swallows the typed elements after it."""
    found = getattr(parent, "_value_1", None) or []
    return [
        e
        for e in (found if isinstance(found, list) else [found])
        if isinstance(e, etree._Element) and etree.QName(e).localname == localname
    ]


def texts(values: Any) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        values = values.split()
    return tuple(str(v) for v in values if v is not None and str(v))


def items(node: Any) -> tuple[int, ...]:
    values = getattr(node, "Items", None) or []
    return tuple(n for v in values if (n := whole(v)) is not None)


def encoding_name(value: Any) -> str:
    name = str(value or "").upper().replace("H.264", "H264").replace("H.265", "H265")
    return "MPEG4" if name in ("MPV4-ES", "MPEG4") else name


def _multicast(node: Any) -> Multicast | None:
    if node is None:
        return None
    address = getattr(node, "Address", None)
    ip = getattr(address, "IPv4Address", None) or getattr(address, "IPv6Address", None) or ""
    return Multicast(
        address=str(ip),
        port=whole(getattr(node, "Port", None)) or 0,
        ttl=whole(getattr(node, "TTL", None)) or 0,
        auto_start=bool(getattr(node, "AutoStart", False)),
    )


def _base(kind: str, node: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "token": str(getattr(node, "token", "") or ""),
        "name": str(getattr(node, "Name", "") or ""),
        "use_count": whole(getattr(node, "UseCount", None)),
    }


def read_config(kind: str, node: Any) -> AnyConfig:
    base = _base(kind, node)
    if kind == "VideoSource":
        bounds = getattr(node, "Bounds", None)
        box = tuple(whole(getattr(bounds, a, None)) or 0 for a in ("x", "y", "width", "height"))
        rotate = getattr(getattr(node, "Extension", None), "Rotate", None)
        return VideoSourceConfig(
            **base,
            source_token=str(getattr(node, "SourceToken", "") or ""),
            bounds=(box[0], box[1], box[2], box[3]),
            rotate=str(getattr(rotate, "Mode", "") or ""),
            rotate_degree=whole(getattr(rotate, "Degree", None)),
            view_mode=str(getattr(node, "ViewMode", "") or ""),
        )
    if kind == "VideoEncoder":
        return _video_encoder(base, node)
    if kind == "AudioSource":
        return AudioSourceConfig(**base, source_token=str(getattr(node, "SourceToken", "") or ""))
    if kind == "AudioEncoder":
        encoding = str(getattr(node, "Encoding", "") or "")
        return AudioEncoderConfig(
            **base,
            encoding=AUDIO_V1.get(encoding, encoding),
            bitrate=whole(getattr(node, "Bitrate", None)),
            sample_rate=whole(getattr(node, "SampleRate", None)),
            multicast=_multicast(getattr(node, "Multicast", None)),
        )
    if kind == "AudioOutput":
        return AudioOutputConfig(
            **base,
            output_token=str(getattr(node, "OutputToken", "") or ""),
            send_primacy=str(getattr(node, "SendPrimacy", "") or ""),
            level=whole(getattr(node, "OutputLevel", None)),
        )
    if kind == "Metadata":
        ptz = getattr(node, "PTZStatus", None)
        return MetadataConfig(
            **base,
            events=getattr(node, "Events", None) is not None,
            analytics=bool(getattr(node, "Analytics", False)),
            ptz_status=bool(getattr(ptz, "Status", False)),
            ptz_position=bool(getattr(ptz, "Position", False)),
            multicast=_multicast(getattr(node, "Multicast", None)),
        )
    return Configuration(**base)


def _video_encoder(base: dict[str, Any], node: Any) -> VideoEncoderConfig:
    resolution = getattr(node, "Resolution", None)
    rate = getattr(node, "RateControl", None)
    h264 = getattr(node, "H264", None)
    gov = getattr(node, "GovLength", None)
    if gov is None:  # Media1 keeps it per codec
        gov = getattr(h264, "GovLength", None) or getattr(
            getattr(node, "MPEG4", None), "GovLength", None
        )
    cbr = getattr(rate, "ConstantBitRate", None)
    return VideoEncoderConfig(
        **base,
        encoding=encoding_name(getattr(node, "Encoding", "")),
        width=whole(getattr(resolution, "Width", None)) or 0,
        height=whole(getattr(resolution, "Height", None)) or 0,
        fps=num(getattr(rate, "FrameRateLimit", None)),
        bitrate_kbps=whole(getattr(rate, "BitrateLimit", None)),
        constant_bitrate=bool(cbr) if cbr is not None else None,
        gov_length=whole(gov),
        profile=str(getattr(node, "Profile", "") or getattr(h264, "H264Profile", "") or ""),
        quality=num(getattr(node, "Quality", None)),
        multicast=_multicast(getattr(node, "Multicast", None)),
    )


# -- options ------------------------------------------------------------------------------------


def read_video_source_options(node: Any) -> VideoSourceOptions:
    bounds = getattr(node, "BoundsRange", None)
    rotate = getattr(getattr(node, "Extension", None), "Rotate", None)
    return VideoSourceOptions(
        x=rng(getattr(bounds, "XRange", None)),
        y=rng(getattr(bounds, "YRange", None)),
        width=rng(getattr(bounds, "WidthRange", None)),
        height=rng(getattr(bounds, "HeightRange", None)),
        source_tokens=texts(getattr(node, "VideoSourceTokensAvailable", None)),
        rotate_modes=texts(getattr(rotate, "Mode", None)),
        max_profiles=whole(getattr(node, "MaximumNumberOfProfiles", None)),
    )


def _resolutions(nodes: Any) -> tuple[tuple[int, int], ...]:
    found = []
    for r in nodes or []:
        w, h = whole(getattr(r, "Width", None)), whole(getattr(r, "Height", None))
        if w and h and w > 0 and h > 0:
            found.append((w, h))
    return tuple(found)


def read_video_encoder_options2(nodes: Any) -> tuple[VideoEncoderOptions, ...]:
    """Media2: one tt:VideoEncoder2ConfigurationOptions per encoding."""
    found = []
    for node in nodes or []:
        gov = [n for v in texts(getattr(node, "GovLengthRange", None)) if (n := num(v)) is not None]
        rates = [n for v in texts(getattr(node, "FrameRatesSupported", None)) if (n := num(v))]
        found.append(
            VideoEncoderOptions(
                encoding=encoding_name(getattr(node, "Encoding", "")),
                resolutions=_resolutions(getattr(node, "ResolutionsAvailable", None)),
                quality=rng(getattr(node, "QualityRange", None)),
                bitrate=rng(getattr(node, "BitrateRange", None)),
                gov_length=Range(min(gov), max(gov)) if len(gov) == 2 else None,
                frame_rates=tuple(sorted(set(rates), reverse=True)),
                profiles=texts(getattr(node, "ProfilesSupported", None)),
                constant_bitrate=bool(getattr(node, "ConstantBitRateSupported", False)),
            )
        )
    return tuple(o for o in found if o.encoding)


def read_video_encoder_options1(node: Any) -> tuple[VideoEncoderOptions, ...]:
    """Media1: one tt:VideoEncoderConfigurationOptions with a part per codec."""
    quality = rng(getattr(node, "QualityRange", None))
    extension = getattr(node, "Extension", None)
    found = []
    for codec in ("JPEG", "MPEG4", "H264"):
        part = getattr(node, codec, None)
        if part is None:
            continue
        extra = getattr(extension, codec, None)
        profiles = getattr(part, "H264ProfilesSupported", None) or getattr(
            part, "Mpeg4ProfilesSupported", None
        )
        found.append(
            VideoEncoderOptions(
                encoding=codec,
                resolutions=_resolutions(getattr(part, "ResolutionsAvailable", None)),
                quality=quality,
                bitrate=rng(getattr(extra, "BitrateRange", None)),
                gov_length=rng(getattr(part, "GovLengthRange", None)),
                frame_rate_range=rng(getattr(part, "FrameRateRange", None)),
                profiles=texts(profiles),
            )
        )
    return tuple(found)


def read_audio_encoder_options(nodes: Any) -> tuple[AudioEncoderOptions, ...]:
    found = []
    for node in nodes or []:
        encoding = str(getattr(node, "Encoding", "") or "")
        found.append(
            AudioEncoderOptions(
                encoding=AUDIO_V1.get(encoding, encoding),
                bitrates=items(getattr(node, "BitrateList", None)),
                sample_rates=items(getattr(node, "SampleRateList", None)),
            )
        )
    return tuple(o for o in found if o.encoding)


def read_audio_decoder_options1(node: Any) -> tuple[AudioEncoderOptions, ...]:
    """Media1 tt:AudioDecoderConfigurationOptions: one part per decoding."""
    parts = (("AACDecOptions", "MP4A-LATM"), ("G711DecOptions", "PCMU"), ("G726DecOptions", "G726"))
    return tuple(
        AudioEncoderOptions(
            encoding=name,
            bitrates=items(getattr(part, "Bitrate", None)),
            sample_rates=items(getattr(part, "SampleRateRange", None)),
        )
        for attr, name in parts
        if (part := getattr(node, attr, None)) is not None
    )


def read_audio_source_options(node: Any) -> AudioSourceOptions:
    return AudioSourceOptions(texts(getattr(node, "InputTokensAvailable", None)))


def read_audio_output_options(node: Any) -> AudioOutputOptions:
    return AudioOutputOptions(
        output_tokens=texts(getattr(node, "OutputTokensAvailable", None)),
        send_primacies=texts(getattr(node, "SendPrimacyOptions", None)),
        level=rng(getattr(node, "OutputLevelRange", None)),
    )


def read_metadata_options(node: Any) -> MetadataOptions:
    ptz = getattr(node, "PTZStatusFilterOptions", None)
    return MetadataOptions(
        ptz_status=bool(
            getattr(ptz, "PanTiltStatusSupported", False)
            or getattr(ptz, "ZoomStatusSupported", False)
        ),
        ptz_position=bool(
            getattr(ptz, "PanTiltPositionSupported", False)
            or getattr(ptz, "ZoomPositionSupported", False)
        ),
        geo_location=bool(getattr(node, "GeoLocation", False)),
    )
