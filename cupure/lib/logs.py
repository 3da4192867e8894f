"""Structured logs: an event name plus fields with stable keys, as text or as one JSON object a line.

Code logs ``log.info("feed refreshed", extra=kv(feed_id=3, url=...))``. The keys are a contract with
whoever greps or indexes the logs (README, "Logs"): feed_id, url, article_id, worker_id, error, kind and
counts keep their names. CUPURE_LOG_FORMAT picks the shape:

    text  2026-11-25 19:20:01,123 INFO cupure.refresh feed refreshed feed_id=3 url=https://... new=2
    json  {"time": "2026-11-25T19:20:01.123+00:00", "level": "INFO", "logger": "cupure.refresh",
           "event": "feed refreshed", "feed_id": 3, "url": "https://...", "new": 2}
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime


def kv(**fields) -> dict:
    """The ``extra`` for a log call: its fields travel under one attribute, clear of LogRecord's own."""
    return {"kv": fields}


def _fields(record: logging.LogRecord) -> dict:
    return getattr(record, "kv", None) or {}


def _text_value(value) -> str:
    text = str(value)
    if not text or any(c.isspace() or c in '"=' for c in text):
        return json.dumps(text, ensure_ascii=False)
    return text


class TextFormatter(logging.Formatter):
    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = _fields(record)
        if fields:
            head, sep, tail = line.partition("\n")  # fields stay on the event's line, before a traceback
            line = head + "".join(f" {k}={_text_value(v)}" for k, v in fields.items()) + sep + tail
        return line


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in _fields(record).items():
            out.setdefault(key, value if isinstance(value, (int, float, bool)) or value is None else str(value))
        if record.exc_info:
            out["traceback"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)
