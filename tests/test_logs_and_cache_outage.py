"""Operators' edges: structured logs with stable keys, and a Redis outage that only costs the cache."""

import json
import logging
import time

import pytest

from cupure.lib.cache import TolerantRedisCache
from cupure.lib.logs import JsonFormatter, TextFormatter
from cupure.sources.refresh import refresh_feed

from .conftest import distinct_item, make_feed
from .server import free_port


@pytest.mark.django_db
def test_refresh_logs_carry_feed_url_and_article_ids(web, caplog):
    feed = make_feed(web, items=[distinct_item(web, 1), distinct_item(web, 2)])
    with caplog.at_level(logging.INFO, logger="cupure.refresh"):
        refresh_feed(feed)
    lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records]
    stored = [ln for ln in lines if ln["event"] == "article stored"]
    assert len(stored) == 2 and all(isinstance(ln["article_id"], int) for ln in stored)
    assert {ln["feed_id"] for ln in stored} == {feed.pk} and all(ln["url"].startswith("http") for ln in stored)
    done = next(ln for ln in lines if ln["event"] == "feed refreshed")
    assert done["feed_id"] == feed.pk and done["url"] == feed.url and done["new"] == 2
    assert {"time", "level", "logger"} <= done.keys()
    text = TextFormatter().format(next(r for r in caplog.records if r.getMessage() == "feed refreshed"))
    assert f"feed refreshed feed_id={feed.pk} url={feed.url} new=2" in text


def test_text_logs_quote_values_with_spaces():
    record = logging.LogRecord("cupure.x", logging.WARNING, __file__, 1, "feed error", None, None)
    record.kv = {"feed_id": 3, "error": 'HTTP 503 "busy"'}
    assert TextFormatter().format(record).endswith('feed error feed_id=3 error="HTTP 503 \\"busy\\""')


def test_a_dead_redis_is_a_cache_miss_said_once(caplog):
    cache = TolerantRedisCache(f"redis://127.0.0.1:{free_port()}/0", {})  # nothing listens there
    with caplog.at_level(logging.WARNING, logger="cupure.cache"):
        started = time.monotonic()
        assert cache.get("page", "default") == "default"
        cache.set("page", "html", 60)  # dropped, not raised
        assert cache.get_many(["a", "b"]) == {} and cache.add("k", 1) is False and cache.delete("k") is False
        with pytest.raises(ValueError):
            cache.incr("counter")
        elapsed = time.monotonic() - started
    assert elapsed < 2  # one refused connection, then the breaker skips Redis
    warnings = [r for r in caplog.records if r.name == "cupure.cache"]
    assert len(warnings) == 1 and "cache unavailable" in warnings[0].getMessage()
