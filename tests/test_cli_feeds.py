"""add-feed (with discovery), import-opml, export-opml, refresh from the command line."""

import io

import pytest
from django.core.management import CommandError, call_command

from cupure.news.models import Article
from cupure.sources.models import Feed, Source

from .conftest import LOREM, article_page, rss

pytestmark = pytest.mark.django_db


def cmd(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def serve_site(web):
    web.add("/s1.html", article_page("Story one", LOREM))
    web.add(
        "/feed.xml",
        rss(
            [{"title": "Story one", "link": web.url("/s1.html"), "guid": "1"}],
            title="Daily Planet - World",
            link=web.url("/"),
        ),
        content_type="application/rss+xml",
    )
    web.add(
        "/",
        '<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>'
        "<body>Front page</body></html>",
    )


def test_add_feed_discovers_the_feed_of_a_page(web):
    serve_site(web)
    out = cmd("add_feed", web.url("/"), "--section", "world")
    feed = Feed.objects.get()
    assert feed.url == web.url("/feed.xml") and feed.section.slug == "world"
    assert feed.source.name == "Daily Planet" and "subscribed" in out
    assert "1 new" in cmd("refresh", str(feed.pk))
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    "path,body,message",
    [
        ("/nofeed", "<html><body>No feeds here</body></html>", "advertises no feed"),
        ("/junk", "%%% not a feed %%%", "not a feed"),
        ("/404", None, "HTTP 404"),
    ],
)
def test_add_feed_refuses_what_is_not_a_feed(web, path, body, message):
    if body is not None:
        web.add(path, body, content_type="text/plain" if "%" in body else "text/html")
    with pytest.raises(CommandError, match=message):
        cmd("add_feed", web.url(path))
    assert Feed.objects.count() == 0


def test_add_feed_errors(web):
    serve_site(web)
    with pytest.raises(CommandError, match="unknown section"):
        cmd("add_feed", web.url("/feed.xml"), "--section", "astrology")
    with pytest.raises(CommandError, match="not an http"):
        cmd("add_feed", "file:///etc/passwd")
    cmd("add_feed", web.url("/feed.xml"))
    with pytest.raises(CommandError, match="already subscribed"):
        cmd("add_feed", web.url("/feed.xml"))


def test_opml_round_trip(tmp_path):
    opml = tmp_path / "in.opml"
    opml.write_text("""<?xml version="1.0"?><opml version="2.0"><head/><body>
      <outline text="Technology"><outline type="rss" text="Tech Daily" xmlUrl="https://tech.example/rss"/></outline>
      <outline type="rss" text="Sports Wire - Top" xmlUrl="https://sports.example/feed" category="sports"/>
      <outline type="rss" text="Plain" xmlUrl="https://plain.example/atom" htmlUrl="https://plain.example/"/>
      <outline type="rss" text="Bad" xmlUrl="javascript:alert(1)"/>
    </body></opml>""")
    out = cmd("import_opml", str(opml))
    assert "3 feeds added" in out and "1 skipped" in out
    assert "0 feeds added, 3 already subscribed" in cmd("import_opml", str(opml))
    sections = {f.url: (f.section.slug if f.section else None) for f in Feed.objects.all()}
    assert sections == {
        "https://tech.example/rss": "technology",
        "https://sports.example/feed": "sports",
        "https://plain.example/atom": None,
    }
    exported = cmd("export_opml")
    (tmp_path / "out.opml").write_text(exported)
    Feed.objects.all().delete()
    Source.objects.all().delete()
    cmd("import_opml", str(tmp_path / "out.opml"))
    again = {f.url: (f.section.slug if f.section else None) for f in Feed.objects.all()}
    assert again == sections


@pytest.mark.parametrize(
    "content,message",
    [
        ("<opml><body><outline", "not a valid OPML"),
        ("<html><body/></html>", "root element must be <opml>"),
        (
            '<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "' + "&a;" * 100 + '">]>'
            "<opml><body><outline text='&b;' xmlUrl='https://x.example/'/></body></opml>",
            "OPML",
        ),
    ],
)
def test_invalid_opml(tmp_path, content, message):
    path = tmp_path / "bad.opml"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        cmd("import_opml", str(path))
    assert Feed.objects.count() == 0
