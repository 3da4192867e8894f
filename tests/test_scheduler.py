"""The scheduler enqueues each due feed once, even with several schedulers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cupure.news.models import Article
from cupure.sources.models import Feed, Source
from cupure.sources.setup import ensure_starter_sources
from cupure.sources.tasks import enqueue_due_feeds

from .conftest import LOREM, article_page, rss

pytestmark = pytest.mark.django_db


# Transactional: the database worker closes and reopens its connection between tasks, as a worker process does.
@pytest.mark.django_db(transaction=True)
def test_due_feeds_enqueued_once_and_refreshed(web, settings):
    """Two schedulers tick: the due feed is enqueued once, a worker then refreshes it; the feeds not due or
    paused are left alone."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    web.add("/s.html", article_page("Scheduled story", LOREM))
    url = web.add(
        "/feed.xml",
        rss([{"title": "Scheduled story", "link": web.url("/s.html"), "guid": "1"}]),
        content_type="application/rss+xml",
    )
    src = Source.objects.create(name="S", slug="s")
    due = Feed.objects.create(url=url, source=src)
    Feed.objects.create(url=web.url("/later.xml"), source=src, next_check_at=timezone.now() + timedelta(hours=1))
    Feed.objects.create(url=web.url("/paused.xml"), source=src, active=False)
    assert enqueue_due_feeds() == 1
    assert enqueue_due_feeds() == 0  # a second scheduler finds the lease taken
    due.refresh_from_db()
    assert due.locked_until > timezone.now() and DBTaskResult.objects.count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert Article.objects.filter(title="Scheduled story").count() == 1
    assert web.hits.get("/feed.xml") == 1 and not web.hits.get("/later.xml") and not web.hits.get("/paused.xml")
    due.refresh_from_db()
    assert due.locked_until is None and due.next_check_at > timezone.now()


def test_immediate_backend_runs_the_refresh(web):
    web.add("/s.html", article_page("Scheduled story", LOREM))
    url = web.add(
        "/feed.xml",
        rss([{"title": "Scheduled story", "link": web.url("/s.html"), "guid": "1"}]),
        content_type="application/rss+xml",
    )
    Feed.objects.create(url=url, source=Source.objects.create(name="S", slug="s"))
    assert enqueue_due_feeds() == 1
    assert Article.objects.filter(title="Scheduled story").exists()
    feed = Feed.objects.get()
    assert feed.locked_until is None and feed.next_check_at > timezone.now()


def test_starter_sources_offered_once(settings):
    settings.STARTER_SOURCES = True
    added = ensure_starter_sources()
    assert 18 <= added <= 30
    sections = set(Feed.objects.values_list("section__slug", flat=True))
    assert sections == {"world", "politics", "business", "technology", "science", "health", "sports", "entertainment"}
    assert Source.objects.filter(name="BBC News").count() == 1
    Feed.objects.all().delete()
    assert ensure_starter_sources() == 0 and Feed.objects.count() == 0


def test_starter_sources_off(settings):
    settings.STARTER_SOURCES = False
    assert ensure_starter_sources() == 0 and Feed.objects.count() == 0


def test_finished_task_rows_are_pruned(settings):
    from datetime import timedelta as td

    from django_tasks_db.models import DBTaskResult

    from cupure.sources.tasks import prune_finished_tasks, refresh_feed_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    old, fresh, pending = (refresh_feed_task.enqueue(n) for n in (1, 2, 3))
    DBTaskResult.objects.filter(id__in=[old.id, fresh.id]).update(status="SUCCESSFUL", finished_at=timezone.now())
    DBTaskResult.objects.filter(id=old.id).update(finished_at=timezone.now() - td(days=2))
    assert prune_finished_tasks() == 1
    assert {str(i) for i in DBTaskResult.objects.values_list("id", flat=True)} == {fresh.id, pending.id}
