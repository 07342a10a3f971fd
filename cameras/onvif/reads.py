"""Reading what a camera may lack, during a sync."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import TypeVar

from cameras.onvif.errors import AuthenticationFailed, NotSupported, OnvifError

logger = logging.getLogger(__name__)
T = TypeVar("T")


async def optional_read(label: str, read: Awaitable[T], where: str) -> T | None:
    """A feature the camera may lack: NotSupported and permanent faults leave it out (logged);
    a refused login and transient errors are raised (the sync ends on them)."""
    try:
        return await read
    except AuthenticationFailed:
        raise
    except OnvifError as exc:
        if isinstance(exc, NotSupported) or exc.permanent:
            logger.info("%s: no %s (%s)", where, label, exc)
            return None
        raise
