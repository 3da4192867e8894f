"""The range of dates cupure believes. A feed that says its item was published in year 1, or a search
for articles until year 9999, is no reason for a page to fail: the calendar arithmetic of a time zone west
of UTC (or one day after 9999-12-31) overflows Python's datetime. Dates from outside are kept inside
these bounds: an implausible publication date is treated as absent, a filter day is clamped."""

from __future__ import annotations

from datetime import UTC, date, datetime

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def parse_iso(value) -> datetime | None:
    """An ISO 8601 date or date-time ("2014-05-28", "2014-05-28T10:00:00Z", "2014-05-28 10:00+02:00"), aware
    (UTC when it names no zone); None when ``value`` is not one. Whether it is plausible is ``plausible``'s
    question, asked by the callers that store or show it."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def plausible(when: datetime | None) -> datetime | None:
    """``when`` (made aware, UTC when it has no zone) if it lies within [EARLIEST, LATEST), else None."""
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return when if EARLIEST <= when < LATEST else None
    except OverflowError:  # an offset that pushes year 1 or 9999 past the edge of the calendar
        return None


def clamp_day(day: date) -> date:
    """A filter's day, moved inside the believed range (until:9999 means no upper limit at all)."""
    return min(max(day, EARLIEST.date()), LATEST.date())
