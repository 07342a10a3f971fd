"""Typed readers for the `VMS_*` environment variables.

Settings come only from the environment. Each helper reads one variable, converts it to
the wanted type and fails with a message that names the variable when the value is bad,
so a typo in a deployment is reported at start-up rather than as a confusing error later.
Secrets may also be given as a file path in `<NAME>_FILE` (Docker and systemd secrets).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

PREFIX = "VMS_"
# Seconds a SQLite writer waits for the write lock before "database is locked".
SQLITE_BUSY_SECONDS = 20
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    return os.environ.get(PREFIX + name)


def env_str(name: str, default: str) -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, *, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{PREFIX}{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{PREFIX}{name} must be a whole number, not {value!r}."
        ) from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{PREFIX}{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; blanks are dropped."""
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_json(name: str, default: Any) -> Any:
    value = _raw(name)
    if value is None:
        return default
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(f"{PREFIX}{name} is not valid JSON: {exc}.") from None


def env_secret(name: str) -> str | None:
    """The secret in `VMS_<name>`, or the content of the file named by `VMS_<name>_FILE`."""
    value = _raw(name)
    if value:
        return value
    path = _raw(name + "_FILE")
    if not path:
        return None
    try:
        return Path(path).read_text().strip() or None
    except OSError as exc:
        raise ImproperlyConfigured(
            f"{PREFIX}{name}_FILE: cannot read {path}: {exc.strerror}."
        ) from None


def parse_database_url(url: str, *, base_dir: Path) -> dict[str, Any]:
    """Turn `sqlite:///path` or `postgres://user:pass@host:port/name?opt=v` into a DATABASES entry.

    A relative SQLite path is taken relative to `base_dir`. SQLite runs in WAL mode (readers
    never block the writer) and every transaction takes the write lock when it begins, so
    concurrent writers queue for up to SQLITE_BUSY_SECONDS instead of failing at once.
    """
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        raw_path = unquote(parts.path)
        # sqlite:///var/db.sqlite3 is relative, sqlite:////abs/db.sqlite3 is absolute.
        path = Path(raw_path[1:] if raw_path.startswith("/") else raw_path)
        if not path.is_absolute():
            path = base_dir / path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": SQLITE_BUSY_SECONDS,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            },
        }
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured("VMS_DATABASE_URL names no database (postgres://host/NAME).")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": dict(parse_qsl(parts.query)),
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(
        f"VMS_DATABASE_URL scheme {parts.scheme!r} is not supported; use sqlite:/// or postgres://."
    )
