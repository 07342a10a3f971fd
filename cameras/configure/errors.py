"""What went wrong with a configuration change, in words, with what to do about it."""

from __future__ import annotations

from cameras.onvif import (
    AuthenticationFailed,
    DeviceUnreachable,
    InvalidArgument,
    NotSupported,
    OnvifError,
)


class ConfigError(Exception):
    """A change that was not made. `status` is the HTTP answer the API gives for it:
    400 a value out of the camera's range, 404 no such thing, 409 the camera refused it in
    its present state, 502 the camera could not be reached or understood."""

    def __init__(self, message: str, status: int = 400, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.fields = fields or {}

    def __str__(self) -> str:
        return self.message


# ONVIF fault subcodes (Media2 clause 6, Media1 clause 6.14) and what to tell the admin.
SUBCODE_ADVICE = {
    "ConfigurationConflict": (
        409,
        "The camera refused: the profile's configurations do not go together (an encoder, PTZ "
        "or metadata configuration needs a video source in the same profile, an audio encoder "
        "an audio source). Add the source first, or remove what depends on it first.",
    ),
    "MaxNVTProfiles": (
        409,
        "The camera already holds as many profiles as it can. Delete a profile first.",
    ),
    "DeletionOfFixedProfile": (
        409,
        "This profile is fixed by the camera and cannot be deleted.",
    ),
    "NoProfile": (
        404,
        "The camera no longer has this profile (another client may have deleted it). The "
        "page shows what the camera has now.",
    ),
    "NoConfig": (
        404,
        "The camera no longer has this configuration (another client may have changed it). "
        "The page shows what the camera has now.",
    ),
    "ConfigModify": (
        400,
        "The camera refused these values. Choose values within the ranges shown and save again.",
    ),
    "IncompleteConfiguration": (
        409,
        "The profile is incomplete for this: it needs a video source and a video encoder "
        "configuration first.",
    ),
    "InvalidMulticastSettings": (
        400,
        "The multicast settings are not valid: set a multicast address and an even port in the "
        "encoder (and metadata) configuration first.",
    ),
    "NoVideoSource": (404, "The camera no longer has this video source."),
    "NoVideoSourceMode": (404, "The camera does not offer this video source mode."),
    "IncompatibleConfiguration": (
        409,
        "The camera says this configuration does not fit the profile.",
    ),
    # Analytics (clause 9.3.4, 9.4.4)
    "InvalidRule": (400, "The camera refused the rule's parameters."),
    "RuleAlreadyExistent": (409, "The camera already has a rule of this name: choose another."),
    "TooManyRules": (409, "The camera holds as many rules as it can: delete one first."),
    "RuleNotExistent": (
        404,
        "The camera no longer has this rule (another client may have deleted it). The page "
        "shows what the camera has now.",
    ),
    "TypeChangeProhibited": (409, "The camera does not change a rule's or module's type."),
    "InvalidModule": (400, "The camera refused the module's parameters."),
    "NameAlreadyExistent": (409, "The camera already has a module of this name."),
    "TooManyModules": (409, "The camera holds as many modules as it can: delete one first."),
    "NameNotExistent": (404, "The camera no longer has this module."),
}


def explain(exc: OnvifError) -> ConfigError:
    for subcode, (status, advice) in SUBCODE_ADVICE.items():
        if subcode in exc.detail:
            reason = _reason(exc)
            return ConfigError(f"{advice}{reason}", status)
    if isinstance(exc, AuthenticationFailed):
        return ConfigError(
            f"{exc.message} The camera may also refuse this user the right to change its "
            "configuration: use an administrator account of the camera.",
            409,
        )
    if isinstance(exc, NotSupported):
        return ConfigError(f"{exc.message} Nothing was changed.", 409)
    if isinstance(exc, InvalidArgument):
        return ConfigError(f"{exc.message} Nothing was changed; check the values.", 400)
    if isinstance(exc, DeviceUnreachable):
        return ConfigError(f"{exc.message} Nothing was changed; try again when it is back.", 502)
    return ConfigError(f"{exc.message} Nothing was changed.", 502)


def _reason(exc: OnvifError) -> str:
    """The camera's own words, when it gave any beyond the subcodes."""
    words = exc.detail.split("]", 1)[-1].strip() if "]" in exc.detail else ""
    return f" (The camera says: {words[:200]}.)" if words else ""
