"""Dates as found in feeds, APIs and manifests, turned into one comparable form.

Provenance ("who said it first") compares dates across sources, so every date is stored as ISO 8601
in UTC with a ``Z`` when its offset is known, or as a plain date when only the day is known. A date
that carries no offset is taken as UTC only when the caller says so (WordPress ``*_gmt`` fields).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: str, *, assume_utc: bool = False) -> str | None:
    """Return ``value`` as normalized ISO 8601, or None when it is not a date.

    >>> parse_date("2025-02-16T23:00:33", assume_utc=True)
    '2025-02-16T23:00:33Z'
    >>> parse_date("2025-02-17T08:00:33+09:00")
    '2025-02-16T23:00:33Z'
    >>> parse_date("Mon, 17 Feb 2025 08:00:33 GMT")
    '2025-02-17T08:00:33Z'
    >>> parse_date("2025-02-17")
    '2025-02-17'
    >>> parse_date("yesterday") is None
    True
    """
    text = value.strip()
    if not text:
        return None
    if _DAY.match(text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    moment: datetime | None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if moment.tzinfo is None:
        if not assume_utc:
            return moment.replace(microsecond=0).isoformat()
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def sort_key(value: str) -> str:
    """A string key under which normalized dates sort in time order (day-only dates first that day)."""
    return value.rstrip("Z")
