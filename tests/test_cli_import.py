"""`cupure import`: JSON lines and WARC files; bad lines reported with their number, nothing else lost."""

import io
import json

import pytest
from django.core.management import call_command

from cupure.news.models import Article
from cupure.sources.models import Source

from .conftest import LOREM, article_page

pytestmark = pytest.mark.django_db


def do_import(path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", str(path), "--quiet", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_jsonl_with_bad_lines(tmp_path):
    good = {
        "url": "https://ex.org/a",
        "title": "Rates held",
        "source": "Example Times",
        "published": "2026-11-20T08:00:00Z",
        "text": "\n\n".join(LOREM),
        "section": "business",
    }
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({**good, "url": "ftp://x"}),
        json.dumps({**good, "url": "https://ex.org/b", "published": "yesterday"}),
        json.dumps({**good, "url": "https://ex.org/c", "section": "astrology"}),
        "",
        json.dumps(
            {
                "url": "https://ex.org/d",
                "title": "From html",
                "source": "Other",
                "published": "2026-11-21",
                "html": article_page("From html", LOREM[:2]),
            }
        ),
        json.dumps({**good, "url": "https://ex.org/a?utm_source=x"}),  # the same article again
        json.dumps([1, 2]),
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines))
    out, err = do_import(path)
    assert "2 imported" in out and "1 already stored" in out and "5 skipped" in out
    for n, why in ((2, "not valid JSON"), (3, "'url'"), (4, "ISO 8601"), (5, "unknown section"), (9, "JSON object")):
        assert f"line {n}: " in err and why in err
    a = Article.objects.get(url="https://ex.org/a")
    assert a.section.slug == "business" and a.source.name == "Example Times"
    assert a.text == "\n\n".join(LOREM)
    d = Article.objects.get(url="https://ex.org/d")
    assert d.text == "\n\n".join(LOREM[:2]) and d.published_at.isoformat().startswith("2026-11-21")


def test_imported_articles_join_the_publisher_a_feed_already_made(tmp_path):
    """A publisher is found by its host whether a subscription or an import met it first."""
    bbc = Source.objects.for_feed("https://feeds.bbc.co.uk/news/rss.xml", "BBC News - Home")
    item = {"title": "Rates held", "published": "2026-11-20T08:00:00Z", "text": "\n\n".join(LOREM)}
    lines = [
        {**item, "url": "https://www.bbc.co.uk/news/1", "source": "www.bbc.co.uk"},
        {**item, "url": "https://www.bbc.co.uk/news/2"},  # no source: its page's host
        {**item, "url": "https://ex.org/a", "source": "Example Times"},
        {**item, "url": "https://ex.org/b", "source": "Example Times"},
    ]
    for i, line in enumerate(lines):  # four articles, not copies of one
        line["title"], line["text"] = f"{line['title']} for the {i + 1}th time", f"Item {i}. {line['text']}"
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines))
    do_import(path)
    by_url = {a.url: a.source for a in Article.objects.select_related("source")}
    assert by_url["https://www.bbc.co.uk/news/1"] == by_url["https://www.bbc.co.uk/news/2"] == bbc
    assert bbc.name == "BBC News" and by_url["https://ex.org/a"] == by_url["https://ex.org/b"]
    assert Source.objects.count() == 2


def test_one_paragraph_per_line_texts(tmp_path):
    item = {
        "url": "https://ex.org/l",
        "title": "Lines",
        "source": "S",
        "published": "2026-11-20T08:00:00",
        "text": "\n".join(LOREM),
    }
    path = tmp_path / "lines.jsonl"
    path.write_text(json.dumps(item))
    do_import(path)
    assert Article.objects.get().text == "\n\n".join(LOREM)


def test_headline_repeated_as_first_paragraph_is_dropped(tmp_path):
    item = {
        "url": "https://ex.org/h",
        "title": "Rates held steady",
        "source": "S",
        "published": "2026-11-20",
        "text": "Rates held steady\n" + "\n".join(LOREM),
    }
    path = tmp_path / "h.jsonl"
    path.write_text(json.dumps(item))
    do_import(path)
    art = Article.objects.get()
    assert art.text == "\n\n".join(LOREM) and art.summary.startswith("The central bank")


def test_warc_of_news_pages(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "pages.warc.gz"
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for n, paras in enumerate(
            (
                LOREM,
                LOREM[2:]
                + [
                    "A different closing paragraph about the weather today, "
                    "which was unusually warm for the time of year."
                ],
            )
        ):
            body = article_page(f"Page {n}", paras if n == 0 else [p.upper() for p in paras]).encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    f"https://ex.org/p{n}", "response", payload=io.BytesIO(body), http_headers=headers
                )
            )
        headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://ex.org/i.png", "response", payload=io.BytesIO(b"\x89PNG"), http_headers=headers
            )
        )
    out, err = do_import(path)
    assert "2 imported" in out, (out, err)
    assert Article.objects.get(title="Page 0").text.count("\n\n") == 3


def test_not_a_warc(tmp_path):
    path = tmp_path / "x.warc"
    path.write_bytes(b"WARC/1.0\r\ngarbage\r\n\r\n")
    out, err = do_import(path)
    assert "0 imported" in out and "record 1" in err


def test_missing_file(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="cannot read"):
        do_import(tmp_path / "nope.jsonl")


def test_a_long_import_into_a_log_says_how_far_it_got(tmp_path, monkeypatch):
    from cupure.sources.management.commands import import_articles

    monkeypatch.setattr(import_articles, "PROGRESS_EVERY", 0.0)  # a line per item instead of one per 10 s
    path = tmp_path / "in.jsonl"
    rows = [
        {
            "url": f"https://ex.org/{n}",
            "title": f"Story {n}",
            "source": "Example Times",
            "text": LOREM[n % len(LOREM)],
            "published": "2026-11-20T08:00:00Z",
        }
        for n in range(3)
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", str(path), stdout=out, stderr=err)  # stderr is no terminal here
    assert "2 lines read in 0 s: 2 imported" in err.getvalue()
    assert "3 imported" in out.getvalue()
