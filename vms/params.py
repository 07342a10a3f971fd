"""Types for API query and path parameters: values the database can store, or a 422 that
names the parameter and says why (instead of a database error and a 500)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from django.utils import timezone
from pydantic import AfterValidator, Field

MAX_BIGINT = 2**63 - 1  # the largest id (and offset) PostgreSQL and SQLite store


def _storable(moment: datetime) -> datetime:
    """An aware time (a naive one is in the configured time zone) that converts to UTC."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    try:
        moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError(
            "this time is out of range: give one between the years 1 and 9999 (UTC)"
        ) from None
    return moment


RowId = Annotated[int, Field(ge=1, le=MAX_BIGINT)]
Offset = Annotated[int, Field(ge=0, le=MAX_BIGINT)]
Moment = Annotated[datetime, AfterValidator(_storable)]
