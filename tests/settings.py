"""Test settings: the project's settings with test defaults for the services.

Tests run on the machine's PostgreSQL and Redis (database `test`, Redis database 9), not on
SQLite. Override with VMS_DATABASE_URL / VMS_REDIS_URL.
"""

import os

os.environ.setdefault("VMS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
os.environ.setdefault("VMS_REDIS_URL", "redis://127.0.0.1:6379/9")

from vms.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing in tests only
