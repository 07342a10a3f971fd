"""Sign-in throttling, counted in Redis (the default cache) so that every web process agrees.

Failed sign-ins are counted per username (whatever its case) and per client address over
VMS_LOGIN_LOCK_MINUTES; at VMS_LOGIN_MAX_FAILURES for a username, or
VMS_LOGIN_MAX_FAILURES_PER_ADDRESS for an address, that username or address is locked for the
same time, the right password included. A successful sign-in clears the counts of its username
and address. Names and addresses are stored hashed. Should Redis fail, sign-in still works
(unthrottled) and the failure is logged.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
PREFIX = "login"


def _keys(username: str, address: str) -> list[tuple[str, int]]:
    """(key, limit) for the username and the address."""

    def key(kind: str, value: str) -> str:
        return f"{PREFIX}:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"

    return [
        (key("user", username.casefold()), settings.VMS_LOGIN_MAX_FAILURES),
        (key("address", address), settings.VMS_LOGIN_MAX_FAILURES_PER_ADDRESS),
    ]


def locked_for(username: str, address: str) -> int:
    """Seconds until this username or address may try again; 0 when it may now."""
    try:
        until = [cache.get(f"{key}:locked") for key, _ in _keys(username, address)]
    except (RedisError, OSError):
        logger.exception("sign-in throttling unavailable (Redis); not throttling")
        return 0
    return max((math.ceil(u - time.time()) for u in until if u), default=0)


def failed(username: str, address: str) -> int:
    """Count a failed sign-in; the seconds locked when this failure reached a limit, else 0."""
    seconds = settings.VMS_LOGIN_LOCK_SECONDS
    locked = 0
    try:
        for key, limit in _keys(username, address):
            cache.add(key, 0, timeout=seconds)
            if cache.incr(key) >= limit:
                cache.set(f"{key}:locked", time.time() + seconds, timeout=seconds)
                cache.delete(key)
                locked = seconds
    except (RedisError, OSError, ValueError):  # ValueError: the count expired meanwhile
        logger.exception("sign-in throttling could not count a failure")
        return 0
    if locked:
        logger.warning("sign-in locked for %d s after failures (user %r, address %s)",
                       seconds, username, address)  # fmt: skip
    return locked


def succeeded(username: str, address: str) -> None:
    try:
        cache.delete_many([key for key, _ in _keys(username, address)])
    except (RedisError, OSError):
        logger.exception("sign-in throttling could not clear the failure count")


def forget_all() -> int:
    """Clear every count and lock (tests; an admin unlocking everyone); the number of keys."""
    client = cache._cache.get_client(None, write=True)  # type: ignore[attr-defined]
    keys = list(client.scan_iter(match=cache.make_key(f"{PREFIX}:*")))
    return int(client.delete(*keys)) if keys else 0


def minutes(seconds: int) -> str:
    count = max(1, math.ceil(seconds / 60))
    return f"{count} minute" if count == 1 else f"{count} minutes"
