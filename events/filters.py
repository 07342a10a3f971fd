"""The timeline's filters, read from the query string and checked: a filter that cannot be used
is left out, and the page says which and why (never an error page)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from cameras.models import Device

EARLIEST, LATEST = 1970, 2999  # years a time filter may name
MAX_ID = 2**63 - 1


@dataclass
class Filters:
    device_id: int | None = None
    topic: str = ""
    rule: str = ""  # an analytics rule's name (the events' Source "Rule")
    since: datetime | None = None
    until: datetime | None = None
    problems: list[str] = field(default_factory=list)  # for people, one per filter left out

    def search(self) -> dict[str, Any]:
        """The keyword arguments of events.services.search."""
        return {
            "device_id": self.device_id,
            "topic": self.topic,
            "rule": self.rule,
            "since": self.since,
            "until": self.until,
        }


def read(query: Any) -> Filters:
    chosen = Filters(topic=(query.get("topic") or "").strip())
    rule = (query.get("rule") or "").strip()
    if len(rule) > 100:
        chosen.problems.append("Rule filter ignored: a rule name has at most 100 characters.")
    else:
        chosen.rule = rule
    camera = (query.get("camera") or "").strip()
    if camera:
        chosen.device_id = _camera(camera)
        if chosen.device_id is None:
            chosen.problems.append(
                f"Camera filter ignored: there is no camera with the id “{camera}”; "
                "choose one from the list."
            )
    for name, label, end_of_day in (("from", "From", False), ("to", "To", True)):
        text = (query.get(name) or "").strip()
        if not text:
            continue
        moment, problem = _moment(text, end_of_day)
        if problem:
            chosen.problems.append(f"{label} filter ignored: {problem}")
        elif end_of_day:
            chosen.until = moment
        else:
            chosen.since = moment
    if chosen.since and chosen.until and chosen.since > chosen.until:
        chosen.problems.append("From is after To, so no event can match: swap them.")
    return chosen


def _camera(text: str) -> int | None:
    if not text.isdigit() or not 0 < int(text) <= MAX_ID:
        return None
    return int(text) if Device.objects.filter(pk=int(text)).exists() else None


def _moment(text: str, end_of_day: bool) -> tuple[datetime | None, str]:
    """A date and time typed in the configured time zone; a date alone is that whole day."""
    shown = text[:40]
    moment: datetime | None
    try:
        day = parse_date(text)
        if day is not None:
            moment = datetime.combine(day, time.max if end_of_day else time.min)
        else:
            moment = parse_datetime(text)
    except ValueError:  # well formed, but no such day or hour (2024-02-30, 25:00)
        return None, f"“{shown}” is not a date and time that exists."
    if moment is None:
        return None, f"“{shown}” is not a date and time; write it as YYYY-MM-DD HH:MM."
    if not EARLIEST <= moment.year <= LATEST:
        return None, f"“{shown}” is out of range; use a year from {EARLIEST} to {LATEST}."
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment, ""
