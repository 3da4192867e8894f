"""Adaptive polling: follows the publishing rate, honours the publisher, backs off on errors."""

from datetime import UTC, datetime, timedelta

from cupure.ingest import schedule

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def every(minutes, n=10):
    return [NOW - timedelta(minutes=minutes * i) for i in range(n)]


def test_busy_feed_polled_at_the_floor_quiet_feed_less_often():
    assert schedule.next_poll(NOW, published=every(2)) == schedule.FLOOR
    assert schedule.next_poll(NOW, published=every(120)) == timedelta(minutes=60)
    assert schedule.next_poll(NOW, published=every(60 * 24 * 7)) == schedule.CEILING


def test_publisher_hints_lengthen_never_shorten():
    assert schedule.next_poll(NOW, published=every(2), ttl_minutes=90) == timedelta(minutes=90)
    assert schedule.next_poll(NOW, published=every(2), headers={"cache-control": "public, max-age=1800"}) == timedelta(
        minutes=30
    )
    expires = "Wed, 25 Nov 2026 14:00:00 GMT"
    assert schedule.next_poll(NOW, published=every(2), headers={"expires": expires}) == timedelta(hours=2)
    assert schedule.next_poll(NOW, published=every(120), headers={"cache-control": "max-age=10"}) == timedelta(
        minutes=60
    )


def test_errors_back_off_exponentially_to_the_ceiling():
    steps = [schedule.backoff(n) for n in range(1, 12)]
    assert steps[:4] == [timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20), timedelta(minutes=40)]
    assert steps[-1] == schedule.CEILING
    assert schedule.backoff(1, retry_after=3600) == timedelta(hours=1)
