"""When to poll a feed next: adaptive, polite, bounded.

- Healthy feed: the interval follows how often the feed publishes (half the
  median gap between its recent entries, so a new item waits at most about
  half a gap), clamped between a floor and a ceiling.
- The publisher's wishes make it longer, never shorter: RSS <ttl>,
  Cache-Control max-age, Expires, and Retry-After on 429/503.
- Errors back off exponentially from the floor (floor * 2**errors), capped
  at the ceiling, so a broken feed is still retried daily and never dropped.
"""

from __future__ import annotations

import re
import statistics
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

FLOOR = timedelta(minutes=5)
CEILING = timedelta(hours=24)
DEFAULT = timedelta(minutes=30)  # a feed with too few dated entries to judge

_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-)?max-age\s*=\s*(\d+)", re.I)


def clamp(value: timedelta, floor: timedelta = FLOOR, ceiling: timedelta = CEILING) -> timedelta:
    return max(floor, min(ceiling, value))


def publishing_interval(published: list[datetime]) -> timedelta:
    """Half the median gap between consecutive entries' dates (needs at least 3 dates)."""
    dates = sorted(d for d in published if d is not None)
    gaps = [(b - a).total_seconds() for a, b in zip(dates, dates[1:]) if b > a]
    if len(gaps) < 2:
        return DEFAULT
    return timedelta(seconds=statistics.median(gaps) / 2)


def cache_lifetime(headers: dict[str, str], now: datetime) -> timedelta | None:
    """Freshness lifetime from Cache-Control max-age, else Expires (RFC 9111 section 4.2.1)."""
    cc = headers.get("cache-control", "")
    m = _MAX_AGE.search(cc)
    if m:
        return timedelta(seconds=int(m.group(1)))
    expires = headers.get("expires")
    if expires:
        try:
            when = parsedate_to_datetime(expires)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(timedelta(0), when - now)
    return None


def next_poll(
    now: datetime,
    *,
    published: list[datetime] = (),
    ttl_minutes: int | None = None,
    headers: dict[str, str] | None = None,
    floor: timedelta = FLOOR,
    ceiling: timedelta = CEILING,
) -> timedelta:
    """Interval until the next poll of a feed that just answered successfully (200 or 304)."""
    interval = publishing_interval(list(published))
    if ttl_minutes:
        interval = max(interval, timedelta(minutes=ttl_minutes))
    lifetime = cache_lifetime(headers or {}, now)
    if lifetime:
        interval = max(interval, lifetime)
    return clamp(interval, floor, ceiling)


def backoff(
    errors: int, retry_after: float | None = None, *, floor: timedelta = FLOOR, ceiling: timedelta = CEILING
) -> timedelta:
    """Interval after the ``errors``-th consecutive failure (errors >= 1)."""
    interval = floor * (2 ** min(max(errors - 1, 0), 20))
    if retry_after:
        interval = max(interval, timedelta(seconds=retry_after))
    return clamp(interval, floor, ceiling)
