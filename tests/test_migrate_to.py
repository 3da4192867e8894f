"""`cupure migrate-to`: a SQLite site copied into PostgreSQL with nothing lost, verified by counts and samples."""

import os
import subprocess

import pytest

from .server import CUPURE, ROOT

ADMIN_URL = os.environ.get("CUPURE_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
SCRATCH = "cupure_migrate_to_test"

SEED = """
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from cupure.accounts.models import ApiToken, Profile
from cupure.comments.models import Comment
from cupure.comments.render import render
from cupure.news.models import Article, ArticleTopic, Section, Story, Topic
from cupure.sources.models import Feed, Source
world = Section.objects.get(slug="world")
src = Source.objects.create(name="Gazette du Nord", slug="gazette", key="gazette.example")
feed = Feed.objects.create(source=src, url="https://gazette.example/rss", section=world, error_count=2,
                           last_error="timeout", last_error_kind="fetch")
now = timezone.now()
arts = [Article.objects.create(source=src, feed=feed, section=world, url=f"https://gazette.example/{i}",
        canonical_url=f"https://gazette.example/{i}", title=f"Élysée talks, day {i}", text="Paragraph one.\\n\\nTwo.",
        content_html="<p>Paragraph one.</p><p>Two.</p>", published_at=now - timedelta(hours=i), minhash=bytes([i] * 8))
        for i in range(40)]
copy = Article.objects.create(source=src, url="https://gazette.example/copy", canonical_url="https://gazette.example/copy",
                              title="Élysée talks, day 0", published_at=now, duplicate_of=arts[0])
s1 = Story.objects.create(id=1, headline="Talks", lead=arts[0], section=world, first_seen=now, last_updated=now,
                          article_count=40, source_count=1)
Story.objects.create(id=2, headline="Old", first_seen=now, last_updated=now, merged_into=s1)
Article.objects.filter(pk__in=[a.pk for a in arts]).update(story=s1)
topic = Topic.objects.create(key="elysee", name="Élysée", slug="elysee", mentions=40)
ArticleTopic.objects.bulk_create([ArticleTopic(article=a, topic=topic, published_at=a.published_at, source_id=src.pk)
                                  for a in arts])
ann = get_user_model().objects.create_user("ann", "ann@example.org", "correct horse battery staple")
Profile.objects.create(user=ann, notify_replies=True)
ApiToken.issue(ann, "app")
top = Comment.objects.create(article=arts[0], author=ann, body="*Bien*", html=render("*Bien*"), nonce="a")
Comment.objects.create(article=arts[0], author=ann, body="reply", html=render("reply"), nonce="b", parent=top, depth=2)
"""


def _admin():
    psycopg = pytest.importorskip("psycopg")
    try:
        return psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"no PostgreSQL at {ADMIN_URL}: {exc}")


@pytest.mark.skipif(bool(os.environ.get("CUPURE_DATABASE_URL")), reason="copies a SQLite site: runs in the SQLite pass")
def test_sqlite_site_moves_to_postgresql(tmp_path):
    admin = _admin()
    admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")
    admin.execute(f"CREATE DATABASE {SCRATCH}")
    target = ADMIN_URL.rsplit("/", 1)[0] + "/" + SCRATCH
    env = {k: v for k, v in os.environ.items() if not k.startswith("CUPURE_")}
    env.update(CUPURE_DATA_DIR=str(tmp_path / "site"), CUPURE_STARTER_SOURCES="off", CUPURE_LOG_LEVEL="WARNING")
    try:
        subprocess.run(CUPURE + ["migrate", "-v0"], env=env, cwd=ROOT, check=True, capture_output=True)
        subprocess.run(CUPURE + ["shell", "-c", SEED], env=env, cwd=ROOT, check=True, capture_output=True)
        result = subprocess.run(CUPURE + ["migrate-to", target], env=env, cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "done: every table has the same rows" in result.stdout
        assert "news.Article: 41 rows" in result.stdout
        # The copied site works on PostgreSQL: search (indexed by the trigger), pages, new rows.
        pg_env = {**env, "CUPURE_DATABASE_URL": target}
        check = subprocess.run(
            CUPURE
            + [
                "shell",
                "-c",
                """
from cupure.search.engine import search
from cupure.news.models import Article, Story
from cupure.comments.models import Comment
from cupure.accounts.models import ApiToken
from django.test import Client
print("hits", search("elysee").total)
print("copy", Article.objects.get(canonical_url="https://gazette.example/copy").duplicate_of.title)
print("merged", Story.objects.get(pk=2).merged_into_id)
print("reply", Comment.objects.get(body="reply").parent.body)
print("status", Client(HTTP_HOST="127.0.0.1").get("/story/1/").status_code)
from django.utils import timezone
a = Article.objects.create(source_id=1, url="https://gazette.example/new", canonical_url="https://gazette.example/new",
                           title="After the move", published_at=timezone.now())
print("new id", a.pk > 41)
""",
            ],
            env=pg_env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stderr
        out = check.stdout
        assert "hits 40" in out and "copy Élysée talks, day 0" in out and "merged 1" in out
        assert "reply *Bien*" in out and "status 200" in out and "new id True" in out
        again = subprocess.run(CUPURE + ["migrate-to", target], env=env, cwd=ROOT, capture_output=True, text=True)
        assert again.returncode != 0 and "already holds articles" in again.stderr
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
