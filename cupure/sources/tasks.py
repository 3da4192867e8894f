"""Background tasks (Django's tasks API; the backend is a setting) and the scheduler that enqueues them."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from cupure.lib import redis_server
from cupure.lib.logs import kv

from .models import Feed
from .refresh import refresh_feed

log = logging.getLogger("cupure.scheduler")

# How long a queued refresh keeps its feed reserved. A backlog longer than this means the workers cannot
# keep up (the operator page says so at 1,000 waiting tasks); the feed is then enqueued again, and
# whichever of its two tasks runs second finds the reservation gone and stops at once.
QUEUE_WAIT = timedelta(hours=1)


@task()
def refresh_feed_task(feed_id: int, reserved: str | None = None) -> dict:
    """Refresh one feed the scheduler reserved for this task (``reserved``: the reservation's token)."""
    if not Feed.objects.filter(pk=feed_id).exists():
        return {"feed_id": feed_id, "status": "gone"}
    report = refresh_feed(feed_id, reserved=datetime.fromisoformat(reserved) if reserved else None)
    return {"feed_id": feed_id, "status": report.status, "new": report.new_articles, "error": report.error}


class QueueUnavailable(Exception):
    """The task queue (Redis) cannot be reached; nothing was lost, the feeds wait for it."""

    def __init__(self, url: str, error: Exception, enqueued: int):
        self.url, self.error, self.enqueued = url, error, enqueued
        super().__init__(f"the task queue at {url} is unreachable ({error}); due feeds wait until it is back")


def enqueue_due_feeds(limit: int = 500) -> int:
    """Enqueue every due feed once. Safe with several schedulers running: each feed's lease is
    taken with a conditional UPDATE before its task is enqueued, so only one scheduler wins it.

    Raises QueueUnavailable when the queue cannot take a task; the feed whose enqueue failed is
    released at once, so it is enqueued on the first tick after the queue is back."""
    now = timezone.now()
    count = 0
    for feed in Feed.objects.due(now).order_by("next_check_at")[:limit]:
        # Reserved for as long as a task may wait in the queue, not just for one lease: a feed whose task
        # waits behind a long queue must not be enqueued again meanwhile. The task swaps the reservation
        # for a running lease (refresh_feed), and a reservation that ran out is simply taken over.
        reserved = feed.claim(QUEUE_WAIT, only_if_due=True)
        if reserved is None:
            continue
        try:
            refresh_feed_task.enqueue(feed.pk, reserved.isoformat())
        except Exception as exc:
            Feed.objects.filter(pk=feed.pk, locked_until=reserved).update(locked_until=None)
            if isinstance(exc, redis_server.UNREACHABLE):
                raise QueueUnavailable(redis_server.location(settings.REDIS_URL), exc, count) from exc
            raise
        count += 1
    if count:
        log.info("feeds enqueued", extra=kv(feeds=count))
    return count


def prune_finished_tasks(older_than: timedelta = timedelta(days=1)) -> int:
    """Delete finished task rows (every refresh leaves one) older than ``older_than``, and close the rows
    of tasks whose runner died (kill -9, a lost machine): their feed was re-enqueued when its lease ran
    out, so a row still RUNNING long past a lease is a dead one. Nothing to do with the Redis queue,
    where RQ expires its own results."""
    if settings.TASK_QUEUE != "database":
        return 0
    now = timezone.now()
    DBTaskResult.objects.filter(status="RUNNING", started_at__lt=now - 2 * settings.FEED_LEASE).update(
        status="FAILED", finished_at=now
    )
    deleted, _ = DBTaskResult.objects.filter(
        status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=now - older_than
    ).delete()
    return deleted
