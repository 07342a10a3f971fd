"""Configuration forms built from the camera's own options.

Each form starts from the camera's configuration and its Get*ConfigurationOptions: choices
are what the camera offers, help texts name its ranges, and `clean` refuses (with those
ranges in the message) what it would not accept, before anything is sent.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms

from cameras.configure.validate import check
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
    VideoEncoderConfig,
    VideoEncoderOptions,
    VideoSourceConfig,
    VideoSourceOptions,
)

SEND_PRIMACY_LABELS = {
    "Server": "Camera to VMS only",
    "Client": "VMS to camera only",
    "Auto": "Both",
}


def _choices(values: Any) -> list[tuple[str, str]]:
    return [(str(v), str(v)) for v in dict.fromkeys(values)]


def _union(values: list[tuple[Any, ...]]) -> list[Any]:
    return list(dict.fromkeys(v for group in values for v in group))


class ConfigurationForm(forms.Form):
    """The fields every configuration has, plus those its kind adds (`add_fields`)."""

    name = forms.CharField(max_length=64, help_text="1 to 64 characters.")

    def __init__(self, config: AnyConfig, options: Options | None, data: Any = None) -> None:
        self.config, self.options = config, options
        initial = {"name": config.name} | self.initial_values()
        super().__init__(data, initial=initial)
        self.add_fields()
        self.result: AnyConfig | None = None

    def initial_values(self) -> dict[str, Any]:
        return {}

    def add_fields(self) -> None:
        return None

    def to_config(self, data: dict[str, Any]) -> AnyConfig:
        return dataclasses.replace(self.config, name=data["name"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        config = self.to_config(data)
        for field, message in check(config, self.options).items():
            self.add_error(field if field in self.fields else None, message)
        self.result = config
        return data


class MulticastFields(ConfigurationForm):
    def add_multicast(self) -> None:
        self.fields["multicast_address"] = forms.CharField(
            required=False, help_text="A multicast group (e.g. 239.1.1.1); empty for none."
        )
        self.fields["multicast_port"] = forms.IntegerField(help_text="Even; RTCP uses the next.")
        self.fields["multicast_ttl"] = forms.IntegerField(label="Multicast TTL")
        multicast = getattr(self.config, "multicast", None) or Multicast()
        self.initial.update(
            multicast_address="" if multicast.address == "0.0.0.0" else multicast.address,
            multicast_port=multicast.port,
            multicast_ttl=multicast.ttl,
        )

    def multicast(self, data: dict[str, Any]) -> Multicast:
        return Multicast(
            address=data.get("multicast_address") or "0.0.0.0",
            port=data.get("multicast_port") or 0,
            ttl=data.get("multicast_ttl") or 0,
        )


class VideoSourceForm(ConfigurationForm):
    def add_fields(self) -> None:
        assert isinstance(self.config, VideoSourceConfig)
        options = self.options if isinstance(self.options, VideoSourceOptions) else None
        tokens = options.source_tokens if options and options.source_tokens else ()
        self.fields["source_token"] = forms.ChoiceField(
            label="Video source", choices=_choices(tokens or (self.config.source_token,))
        )
        for field, label, offered in (
            ("x", "Left", options.x if options else None),
            ("y", "Top", options.y if options else None),
            ("width", "Width", options.width if options else None),
            ("height", "Height", options.height if options else None),
        ):
            hint = f"{offered} pixels." if offered else "Pixels."
            self.fields[field] = forms.IntegerField(label=label, help_text=hint)
        if options and options.rotate_modes:
            self.fields["rotate"] = forms.ChoiceField(choices=_choices(options.rotate_modes))

    def initial_values(self) -> dict[str, Any]:
        assert isinstance(self.config, VideoSourceConfig)
        x, y, width, height = self.config.bounds
        return {
            "source_token": self.config.source_token,
            "x": x,
            "y": y,
            "width": width,
            "height": height,
            "rotate": self.config.rotate,
        }

    def to_config(self, data: dict[str, Any]) -> AnyConfig:
        assert isinstance(self.config, VideoSourceConfig)
        return dataclasses.replace(
            self.config,
            name=data["name"],
            source_token=data["source_token"],
            bounds=(data["x"], data["y"], data["width"], data["height"]),
            rotate=data.get("rotate", self.config.rotate),
        )


class VideoEncoderForm(MulticastFields):
    def encoder_options(self) -> list[VideoEncoderOptions]:
        options = self.options if isinstance(self.options, tuple) else ()
        return [o for o in options if isinstance(o, VideoEncoderOptions)]

    def add_fields(self) -> None:
        offered = self.encoder_options()
        rates = "; ".join(f"{o.encoding}: {o.frame_rate_text()}" for o in offered)
        sizes = _union([o.resolutions for o in offered])
        self.fields["encoding"] = forms.ChoiceField(choices=_choices([o.encoding for o in offered]))
        self.fields["resolution"] = forms.ChoiceField(
            choices=[(f"{w}x{h}", f"{w}\u00d7{h}") for w, h in sizes],
            help_text="Each encoding offers its own sizes; the camera's list is checked on save.",
        )
        self.fields["fps"] = forms.FloatField(
            label="Frame rate (fps)", help_text=f"The camera offers {rates}."
        )
        self.fields["bitrate_kbps"] = forms.IntegerField(
            label="Bitrate limit (kbit/s)",
            required=False,
            help_text=_ranges(offered, "bitrate", "kbit/s"),
        )
        self.fields["gov_length"] = forms.IntegerField(
            label="GOP length (frames between key frames)",
            required=False,
            help_text=_ranges(offered, "gov_length", "frames"),
        )
        profiles = _union([o.profiles for o in offered])
        if profiles:
            self.fields["profile"] = forms.ChoiceField(
                label="Encoder profile", choices=[("", "—"), *_choices(profiles)], required=False
            )
        if any(o.quality for o in offered):
            self.fields["quality"] = forms.FloatField(
                required=False, help_text=_ranges(offered, "quality", "(higher is better)")
            )
        if any(o.constant_bitrate for o in offered):
            self.fields["constant_bitrate"] = forms.BooleanField(
                label="Constant bitrate (CBR); off: variable (VBR)", required=False
            )
        self.add_multicast()

    def initial_values(self) -> dict[str, Any]:
        config = self.config
        assert isinstance(config, VideoEncoderConfig)
        return {
            "encoding": config.encoding,
            "resolution": f"{config.width}x{config.height}",
            "fps": config.fps,
            "bitrate_kbps": config.bitrate_kbps,
            "gov_length": config.gov_length,
            "profile": config.profile,
            "quality": config.quality,
            "constant_bitrate": bool(config.constant_bitrate),
        }

    def to_config(self, data: dict[str, Any]) -> AnyConfig:
        assert isinstance(self.config, VideoEncoderConfig)
        width, _, height = str(data["resolution"]).partition("x")
        cbr = data.get("constant_bitrate") if "constant_bitrate" in self.fields else None
        return dataclasses.replace(
            self.config,
            name=data["name"],
            encoding=data["encoding"],
            width=int(width),
            height=int(height),
            fps=data["fps"],
            bitrate_kbps=data.get("bitrate_kbps"),
            gov_length=data.get("gov_length"),
            profile=data.get("profile") or "",
            quality=data.get("quality", self.config.quality),
            constant_bitrate=cbr if cbr is not None else self.config.constant_bitrate,
            multicast=self.multicast(data),
        )


def _ranges(offered: list[VideoEncoderOptions], attr: str, unit: str) -> str:
    parts = [f"{o.encoding}: {r}" for o in offered if (r := getattr(o, attr))]
    return f"The camera allows {'; '.join(parts)} {unit}." if parts else ""


class AudioSourceForm(ConfigurationForm):
    def add_fields(self) -> None:
        assert isinstance(self.config, AudioSourceConfig)
        options = self.options if isinstance(self.options, AudioSourceOptions) else None
        tokens = options.source_tokens if options and options.source_tokens else ()
        self.fields["source_token"] = forms.ChoiceField(
            label="Audio input", choices=_choices(tokens or (self.config.source_token,))
        )

    def initial_values(self) -> dict[str, Any]:
        assert isinstance(self.config, AudioSourceConfig)
        return {"source_token": self.config.source_token}

    def to_config(self, data: dict[str, Any]) -> AnyConfig:
        return dataclasses.replace(
            self.config, name=data["name"], source_token=data["source_token"]
        )


class AudioEncoderForm(MulticastFields):
    def add_fields(self) -> None:
        options = self.options if isinstance(self.options, tuple) else ()
        offered = [o for o in options if isinstance(o, AudioEncoderOptions)]
        self.fields["encoding"] = forms.ChoiceField(choices=_choices(o.encoding for o in offered))
        self.fields["bitrate"] = forms.TypedChoiceField(
            label="Bitrate (kbit/s)",
            coerce=int,
            choices=_choices(_union([o.bitrates for o in offered])),
        )
        self.fields["sample_rate"] = forms.TypedChoiceField(
            label="Sample rate (kHz)",
            coerce=int,
            choices=_choices(_union([o.sample_rates for o in offered])),
        )
        self.add_multicast()

    def initial_values(self) -> dict[str, Any]:
        assert isinstance(self.config, AudioEncoderConfig)
        c = self.config
        return {"encoding": c.encoding, "bitrate": c.bitrate, "sample_rate": c.sample_rate}

    def to_config(self, data: dict[str, Any]) -> AnyConfig:
        assert isinstance(self.config, AudioEncoderConfig)
        return dataclasses.replace(
            self.config,
            name=data["name"],
            encoding=data["encoding"],
            bitrate=data["bitrate"],
            sample_rate=data["sample_rate"],
            multicast=self.multicast(data),
        )


class AudioOutputForm(ConfigurationForm):
    def add_fields(self) -> None:
        assert isinstance(self.config, AudioOutputConfig)
        options = self.options if isinstance(self.options, AudioOutputOptions) else None
        outputs = options.output_tokens if options and options.output_tokens else ()
        self.fields["output_token"] = forms.ChoiceField(
            label="Audio output", choices=_choices(outputs or (self.config.output_token,))
        )
        primacies = options.send_primacies if options else ()
        if primacies:
            self.fields["send_primacy"] = forms.ChoiceField(
                label="Direction (half duplex)",
                choices=[(p, SEND_PRIMACY_LABELS.get(p.rsplit("/", 1)[-1], p)) for p in primacies],
            )
        level = options.level if options else None
        self.fields["level"] = forms.IntegerField(
            label="Output level", help_text=f"{level}." if level else ""
        )

    def initial_values(self) -> dict[str, Any]:
        assert isinstance(self.config, AudioOutputConfig)
        c = self.config
        return {"output_token": c.output_token, "send_primacy": c.send_primacy, "level": c.level}

    def to_config(self, data: dict[str, Any]) -> AnyConfig:
        assert isinstance(self.config, AudioOutputConfig)
        return dataclasses.replace(
            self.config,
            name=data["name"],
            output_token=data["output_token"],
            send_primacy=data.get("send_primacy") or self.config.send_primacy,
            level=data["level"],
        )


class MetadataForm(MulticastFields):
    def add_fields(self) -> None:
        options = self.options if isinstance(self.options, MetadataOptions) else None
        self.fields["events"] = forms.BooleanField(label="Events in the stream", required=False)
        self.fields["analytics"] = forms.BooleanField(
            label="Analytics (scene description) in the stream", required=False
        )
        if options and options.ptz_status:
            self.fields["ptz_status"] = forms.BooleanField(label="PTZ status", required=False)
        if options and options.ptz_position:
            self.fields["ptz_position"] = forms.BooleanField(label="PTZ position", required=False)
        self.add_multicast()

    def initial_values(self) -> dict[str, Any]:
        assert isinstance(self.config, MetadataConfig)
        c = self.config
        return {
            "events": c.events,
            "analytics": c.analytics,
            "ptz_status": c.ptz_status,
            "ptz_position": c.ptz_position,
        }

    def to_config(self, data: dict[str, Any]) -> AnyConfig:
        assert isinstance(self.config, MetadataConfig)
        return dataclasses.replace(
            self.config,
            name=data["name"],
            events=data["events"],
            analytics=data["analytics"],
            ptz_status=data.get("ptz_status", False),
            ptz_position=data.get("ptz_position", False),
            multicast=self.multicast(data),
        )


FORMS: dict[str, type[ConfigurationForm]] = {
    "VideoSource": VideoSourceForm,
    "VideoEncoder": VideoEncoderForm,
    "AudioSource": AudioSourceForm,
    "AudioEncoder": AudioEncoderForm,
    "AudioOutput": AudioOutputForm,
    "AudioDecoder": ConfigurationForm,
    "Metadata": MetadataForm,
}


class ProfileCreateForm(forms.Form):
    name = forms.CharField(max_length=64, help_text="1 to 64 characters.")

    def __init__(self, kinds: dict[str, list[AnyConfig]], *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        for kind, configs in kinds.items():
            self.fields[kind] = forms.ChoiceField(
                label=LABELS.get(kind, kind),
                required=False,
                choices=[("", "None"), *[(c.token, f"{c.name} ({c.token})") for c in configs]],
            )

    def configurations(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if k != "name" and v}


LABELS = {
    "VideoSource": "Video source",
    "VideoEncoder": "Video encoder",
    "AudioSource": "Audio source",
    "AudioEncoder": "Audio encoder",
    "PTZ": "PTZ",
    "Analytics": "Analytics",
    "Metadata": "Metadata",
    "AudioOutput": "Audio output",
    "AudioDecoder": "Audio decoder",
}
