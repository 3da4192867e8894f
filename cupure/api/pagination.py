"""Cursor (keyset) pagination: stable pages however many rows arrive meanwhile, and no OFFSET scans."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from urllib.parse import urlencode

from django.db.models import Q

from cupure.lib.dates import parse_iso, plausible


class BadCursor(ValueError):
    pass


def encode(values: list) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, kinds: list[type]) -> list:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError
        out = []
        for value, kind in zip(values, kinds):
            if kind is datetime:
                when = plausible(parse_iso(value))
                if when is None:  # no page of ours ends in year 1 or 9999
                    raise ValueError
                out.append(when)
            elif not isinstance(value, kind) or isinstance(value, bool) or (isinstance(value, str) and "\x00" in value):
                raise ValueError
            else:
                out.append(value)
        return out
    except (ValueError, TypeError, UnicodeDecodeError):
        raise BadCursor("The cursor is not one this API gave out: start again without it.") from None


def page(request, queryset, order: list[str], kinds: list[type], cursor: str | None, limit: int) -> dict:
    """One page of ``queryset`` in ``order`` (field names, "-" for descending; the last must be unique).

    Returns {"items", "next_cursor", "next"}; raises BadCursor for a cursor this API did not give out.
    """
    qs = queryset.order_by(*order)
    if cursor:
        values = decode(cursor, kinds)
        after = Q()
        # (a, b, c) after (x, y, z): a beyond x, or a = x and b beyond y, or ...
        for i, field in enumerate(order):
            name = field.lstrip("-")
            step = Q(**{f"{name}__{'lt' if field.startswith('-') else 'gt'}": values[i]})
            for prev_field, prev_value in zip(order[:i], values[:i]):
                step &= Q(**{prev_field.lstrip("-"): prev_value})
            after |= step
        qs = qs.filter(after)
    rows = list(qs[: limit + 1])
    items, more = rows[:limit], len(rows) > limit
    next_cursor = encode([_value(items[-1], f.lstrip("-")) for f in order]) if more else None
    next_url = None
    if next_cursor:
        params = {k: v for k, v in request.GET.items() if k != "cursor"}
        params["cursor"] = next_cursor
        next_url = request.build_absolute_uri(request.path) + "?" + urlencode(params)
    return {"items": items, "next_cursor": next_cursor, "next": next_url}


def _value(obj, dotted: str):
    for part in dotted.split("__"):
        obj = getattr(obj, part)
    return obj
