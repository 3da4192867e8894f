"""`cupure extract`: one JSON line per input, text with a blank line between paragraphs."""

import gzip
import json

from django.core.management import call_command

from .conftest import LOREM, aeb_pages, article_page


def run(capsys, *args):
    code = 0
    try:
        call_command("extract", *args)
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines() if line.strip()]


def test_local_files_plain_and_gzipped(tmp_path, capsys):
    page = article_page("Rates held", LOREM, canonical="https://news.example/rates")
    (tmp_path / "a.html").write_text(page)
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(page.encode()))
    code, lines = run(capsys, str(tmp_path / "a.html"), str(tmp_path / "b.html.gz"))
    assert code == 0 and len(lines) == 2
    first = lines[0]
    assert set(first) == {"input", "url", "title", "author", "published", "language", "text", "html"}
    assert first["input"].endswith("a.html") and first["url"] == "https://news.example/rates"
    assert first["title"] == "Rates held" and first["language"] == "en"
    assert "this year.\n\nWhy it matters:" in first["text"]
    assert lines[1]["text"] == first["text"]


def test_url_input_through_the_guarded_client(web, capsys, settings):
    url = web.add("/p.html", article_page("From the web", LOREM))
    code, lines = run(capsys, url)
    assert code == 0 and lines[0]["url"] == url and lines[0]["title"] == "From the web"
    settings.ALLOW_PRIVATE_NETWORKS = False
    code, lines = run(capsys, url)
    assert code == 1 and "blocked" in lines[0]["error"]


def test_failures_are_reported_per_input(tmp_path, capsys):
    (tmp_path / "empty.html").write_text("<html><body></body></html>")
    (tmp_path / "bad.html.gz").write_bytes(b"\x1f\x8bnot really gzip")
    good = tmp_path / "good.html"
    good.write_text(article_page("Fine", LOREM))
    code, lines = run(
        capsys, str(tmp_path / "missing.html"), str(tmp_path / "empty.html"), str(tmp_path / "bad.html.gz"), str(good)
    )
    assert code == 1
    assert [("error" in line) for line in lines] == [True, True, True, False]
    assert "cannot read" in lines[0]["error"] and "no article text" in lines[1]["error"]


def test_real_benchmark_page(capsys, tmp_path):
    key, raw, truth = aeb_pages(1)[0]
    path = tmp_path / f"{key}.html.gz"
    path.write_bytes(gzip.compress(raw))
    code, (line,) = run(capsys, str(path))
    assert code == 0 and line["title"] and line["text"].split("\n\n")[0][:40] == truth.split("\n")[0][:40]
    assert line["html"].startswith("<p>")
