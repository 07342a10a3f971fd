"""System checks for settings that a typo could break at run time."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, register


@register()
def check_credentials_key(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    for key in settings.VMS_CREDENTIALS_KEY.split(","):
        try:
            Fernet(key.strip().encode())
        except ValueError:
            errors.append(
                Error(
                    "VMS_CREDENTIALS_KEY is not a valid key (32 url-safe base64-encoded bytes).",
                    hint="Generate one with: python manage.py generate_key credentials_key",
                    id="vms.E001",
                )
            )
    return errors


@register()
def check_ice_servers(app_configs: Any, **kwargs: Any) -> list[Error]:
    servers = settings.VMS_ICE_SERVERS
    valid = isinstance(servers, list) and all(
        isinstance(s, dict) and isinstance(s.get("urls"), str | list) for s in servers
    )
    if valid:
        return []
    return [
        Error(
            "VMS_ICE_SERVERS must be a JSON list of objects with 'urls' "
            "(and 'username'/'credential' for TURN).",
            hint='Example: [{"urls": "stun:stun.example.org:3478"}]',
            id="vms.E002",
        )
    ]
