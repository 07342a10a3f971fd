"""Encryption at rest for camera passwords and other device secrets.

`VMS_CREDENTIALS_KEY` holds one Fernet key, or several separated by commas for rotation:
the first encrypts, all of them decrypt. Plain text never reaches the database or a log.
"""

from __future__ import annotations

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class CredentialsKeyError(Exception):
    """The stored secret cannot be decrypted with the configured keys."""


@cache
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(key.strip().encode()) for key in keys.split(",") if key.strip()])


def encrypt(plain: str) -> str:
    return _fernet(settings.VMS_CREDENTIALS_KEY).encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.VMS_CREDENTIALS_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        raise CredentialsKeyError(
            "A stored camera password cannot be decrypted: VMS_CREDENTIALS_KEY changed. "
            "Restore the old key (list it after the new one to rotate) or re-enter the password."
        ) from None
