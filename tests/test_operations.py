"""The operator's view: /healthz, /readyz, /metrics, the operator page, `cupure doctor`, `cupure backup`."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from cupure.ops.models import WorkerBeat
from cupure.sources.models import Feed, Source
from cupure.sources.refresh import refresh_feed

from .conftest import rss
from .personas import reader

pytestmark = pytest.mark.django_db


def doctor() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("doctor", stdout=out)
        return 0, out.getvalue()
    except SystemExit as exc:
        return exc.code, out.getvalue()


def test_health_and_readiness(client):
    assert client.get("/healthz").content == b"ok\n"
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["ready"] is True
    assert {c["name"] for c in ready.json()["checks"]} == {"database", "migrations"}


def test_readiness_fails_with_reasons_when_the_database_is_gone(client, monkeypatch):
    from django.db import DatabaseError

    from cupure.ops import health

    def broken(*a, **kw):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken)
    resp = client.get("/readyz")
    assert resp.status_code == 503 and "connection refused" in resp.json()["checks"][0]["detail"]
    assert "CUPURE_DATABASE_URL" in resp.json()["checks"][0]["advice"]


def test_metrics_count_fetches_errors_and_requests(client, web):
    web.add("/ok.xml", rss([{"title": "A", "link": web.url("/a"), "guid": "a"}]), content_type="application/rss+xml")
    src = Source.objects.create(name="Loop", slug="loop")
    good = Feed.objects.create(source=src, url=web.url("/ok.xml"))
    bad = Feed.objects.create(source=src, url=web.url("/missing.xml"))
    before = client.get("/metrics").content.decode()
    refresh_feed(good)
    refresh_feed(bad)
    client.get("/")
    text = client.get("/metrics").content.decode()

    def value(name, body):
        found = [line.split()[-1] for line in body.splitlines() if line.startswith(name)]
        return float(found[0]) if found else 0.0

    assert (
        value('cupure_feed_fetches_total{outcome="ok"}', text)
        == value('cupure_feed_fetches_total{outcome="ok"}', before) + 1
    )
    # A 404 is a fetch error.
    assert (
        value('cupure_feed_errors_total{kind="fetch"}', text)
        == value('cupure_feed_errors_total{kind="fetch"}', before) + 1
    )
    assert 'cupure_feeds{state="error"} 1.0' in text and "cupure_task_queue_depth 0.0" in text
    assert 'cupure_http_request_seconds_count{status="2xx",view="home"}' in text
    assert "cupure_extraction_seconds_count" in text


def test_metrics_only_for_allowed_addresses(client, settings):
    from django.test import Client

    assert Client(REMOTE_ADDR="203.0.113.9").get("/metrics").status_code == 403
    settings.METRICS_ALLOW = ["203.0.113.9"]
    assert Client(REMOTE_ADDR="203.0.113.9").get("/metrics").status_code == 200


def test_operator_page_is_for_staff(client):
    src = Source.objects.create(name="Loop", slug="loop")
    Feed.objects.create(
        source=src, url="https://dead.example/feed", error_count=4, last_error="404 Not Found", last_error_kind="http"
    )
    WorkerBeat.beat("box-1", runners=2, scheduler=True)
    assert client.get("/operator/").status_code == 302
    client.force_login(reader("mo", staff=True))
    html = client.get("/operator/").content.decode()
    assert "https://dead.example/feed" in html and "404 Not Found" in html and "box-1" in html


def test_doctor_says_what_to_do(web):
    code, out = doctor()
    assert code == 0 and "[ok ] database" in out and "no `cupure worker`" in out and "Start one" in out
    WorkerBeat.beat("box-1", runners=2, scheduler=True)
    src = Source.objects.create(name="Loop", slug="loop")
    Feed.objects.create(source=src, url="https://dead.example/feed", error_count=3, last_error_kind="dns")
    code, out = doctor()
    assert code == 0 and "1 worker(s), 2 task runner(s)" in out and "1 of 1 in error" in out
    WorkerBeat.objects.update(last_seen=timezone.now() - timedelta(minutes=10))
    assert "no `cupure worker` has beaten" in doctor()[1]


def test_doctor_fails_on_unapplied_migrations():
    """The database records a migration as not applied (as after an upgrade): doctor names it and says what
    to run. The record is taken back with the test's transaction."""
    from django.db.migrations.recorder import MigrationRecorder

    assert doctor()[0] == 0
    MigrationRecorder(connection).record_unapplied("sources", "0002_feed_last_entry_error")
    code, out = doctor()
    assert code == 1 and "sources.0002_feed_last_entry_error" in out and "Run `cupure migrate`" in out
    assert "serious problem" in out


# SQLite's backup of a running site (a real file, not the tests' in-memory database): tests/test_backup_live.py.
@pytest.mark.skipif(connection.vendor == "sqlite", reason="PostgreSQL's answer; SQLite's is test_backup_live.py")
def test_backup_on_postgresql_says_how():
    out = StringIO()
    call_command("backup", stdout=out)
    assert "pg_dump -Fc" in out.getvalue()
