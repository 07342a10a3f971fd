"""Secrets that the VMS needs: from the environment, or generated once under `var/`.

Outside production a missing secret is generated into `var/keys/` on first start so that a
fresh clone runs with one command; every process (web, workers, gateway) then reads the
same file. In production a missing secret is a start-up error that says what to set.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from vms.env import PREFIX, env_secret
from vms.private import private_directory, private_file


def new_secret_key() -> str:
    return secrets.token_urlsafe(50)


def new_credentials_key() -> str:
    """A Fernet key: 32 random bytes, url-safe base64."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def secret_or_generated(
    name: str, *, key_dir: Path, production: bool, generate: Callable[[], str]
) -> str:
    value = env_secret(name)
    if value:
        return value
    if production:
        raise ImproperlyConfigured(
            f"{PREFIX}{name} is required in production: set it, or {PREFIX}{name}_FILE to a file "
            f"holding it. Generate one with: python manage.py generate_key {name.lower()}"
        )
    path = key_dir / name.lower()
    private_directory(key_dir)
    if path.exists():
        return private_file(path).read_text().strip()
    _write_once(path, generate())
    # Another process may have won the race: everyone uses the file's content.
    return path.read_text().strip()


def _write_once(path: Path, value: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    try:
        os.link(tmp, path)  # fails if the file exists: the first writer wins
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
