"""Background tasks (Django's tasks API; the backend is a setting) and the scheduler that enqueues them."""
from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from .models import Feed
from .refresh import refresh_feed

log = logging.getLogger("cupure.scheduler")


@task()
def refresh_feed_task(feed_id: int) -> dict:
    """Refresh one feed whose lease the scheduler already took."""
    try:
        feed = Feed.objects.select_related("source", "section").get(pk=feed_id)
    except Feed.DoesNotExist:
        return {"feed_id": feed_id, "status": "gone"}
    report = refresh_feed(feed, claimed=True)
    return {"feed_id": feed_id, "status": report.status, "new": report.new_articles, "error": report.error}


def enqueue_due_feeds(limit: int = 500) -> int:
    """Enqueue every due feed once. Safe with several schedulers running: each feed's lease is
    taken with a conditional UPDATE before its task is enqueued, so only one scheduler wins it."""
    now = timezone.now()
    count = 0
    for feed in Feed.objects.due(now).order_by("next_check_at")[:limit]:
        if feed.claim(only_if_due=True):
            refresh_feed_task.enqueue(feed.pk)
            count += 1
    if count:
        log.info("enqueued feeds=%s", count)
    return count


def prune_finished_tasks(older_than: timedelta = timedelta(days=1)) -> int:
    """Delete finished task rows (every refresh leaves one) older than ``older_than``."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - older_than
    deleted, _ = DBTaskResult.objects.filter(status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=cutoff).delete()
    return deleted
