"""Shared fixtures: a loopback web server for feeds and pages, the evaluation data, settings for tests."""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .fleet import prose

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
AEB = SHARED / "data" / "extraction" / "aeb"


@dataclass
class Response:
    body: bytes | str = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    # Send the body in pieces, sleeping between them (a slow drip).
    drip: float = 0.0


class Site:
    """Routes for the loopback server. A route is a Response or a callable(handler) -> Response."""

    def __init__(self, port: int):
        self.port = port
        self.routes: dict[str, Response | Callable] = {}
        self.hits: dict[str, int] = {}
        self.requests: list[dict] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, body: bytes | str | Response | Callable = b"", **kw) -> str:
        self.routes[path] = body if isinstance(body, Response) or callable(body) else Response(body, **kw)
        return self.url(path)


class _Handler(BaseHTTPRequestHandler):
    site: Site
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        site = self.server.site  # type: ignore[attr-defined]
        path = self.path
        site.hits[path] = site.hits.get(path, 0) + 1
        site.requests.append({"path": path, "headers": {k.lower(): v for k, v in self.headers.items()}})
        route = site.routes.get(path) or site.routes.get(path.split("?")[0])
        if route is None:
            return self._send(Response(b"not found", status=404, content_type="text/plain"))
        resp = route(self) if callable(route) else route
        if resp is None:
            return
        self._send(resp)

    def _send(self, resp: Response):
        body = resp.body.encode() if isinstance(resp.body, str) else resp.body
        self.send_response(resp.status)
        headers = {"Content-Type": resp.content_type, **resp.headers}
        if "Content-Length" not in headers and "Transfer-Encoding" not in headers:
            headers["Content-Length"] = str(len(body))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if not resp.drip:
            self.wfile.write(body)
            return
        try:
            for i in range(0, len(body), 8):
                self.wfile.write(body[i : i + 8])
                self.wfile.flush()
                time.sleep(resp.drip)
        except (BrokenPipeError, ConnectionResetError):
            pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # clients that hang up on purpose (size caps, timeouts) are what the tests provoke


@pytest.fixture
def web():
    """A loopback HTTP server; add routes with ``web.add(path, body, ...)``."""
    server = _QuietServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    site = Site(server.server_address[1])
    server.site = site  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture
def fleet_database():
    """A fresh PostgreSQL database (URL) on CUPURE_TEST_DATABASE_URL's server, for worker fleets; skips
    with the reason when that server is not there."""
    from .fleet import database_server_url, fresh_postgres_database, reachable_postgres

    why = reachable_postgres(database_server_url())
    if why:
        pytest.skip(why)
    with fresh_postgres_database(database_server_url()) as url:
        yield url


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Tests fetch from the loopback server: allow it, except where a test turns it off again.
    settings.ALLOW_PRIVATE_NETWORKS = True
    settings.FETCH_TIMEOUT = 2.0
    settings.FETCH_DEADLINE = 4.0
    settings.STARTER_SOURCES = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Pages are not cached in tests, except in tests/test_page_cache.py, which turns it on to test it.
    settings.PAGE_CACHE = False
    # Each test starts with an empty per-process cache (the trending bar, rankings, rendered threads).
    from django.core.cache import cache

    from cupure.accounts import backends
    from cupure.ops import pagecache
    from cupure.readers import state

    cache.clear()
    pagecache._recent.clear()  # and this process's copies of pages (the generation starts over in each test)
    state.clear()  # and of readers' accounts, follows, saves and mutes (as their ids and generations)
    backends.forget()


def aeb_pages(n: int | None = None) -> list[tuple[str, bytes, str]]:
    """(id, html bytes, body text) of the extraction benchmark's pages; skips when the data is absent."""
    truth_file = AEB / "ground-truth.json"
    if not truth_file.exists():
        pytest.skip(f"evaluation data not found at {AEB} (it lives in ../shared/data beside the checkout)")
    truth = json.loads(truth_file.read_text())
    keys = sorted(truth)[: n or None]
    return [(k, gzip.decompress((AEB / "html" / f"{k}.html.gz").read_bytes()), truth[k]["articleBody"]) for k in keys]


def rss(items: list[dict], title: str = "Test feed", link: str = "http://127.0.0.1/", extra: str = "") -> str:
    """A small RSS 2.0 document. Item keys: title, link, guid, id (a guid that is no link), pubDate,
    description, content."""
    out = [
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        f'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>{title}</title>'
        f"<link>{link}</link>{extra}"
    ]
    for it in items:
        out.append("<item>")
        for key in ("title", "link", "guid", "pubDate", "description"):
            if key in it:
                out.append(f"<{key}>{it[key]}</{key}>")
        if "id" in it:  # a guid that is not a link (RSS 2.0: isPermaLink="false")
            out.append(f'<guid isPermaLink="false">{it["id"]}</guid>')
        if "content" in it:
            out.append(f"<content:encoded><![CDATA[{it['content']}]]></content:encoded>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "".join(out)


def article_page(title: str, paragraphs: list[str], canonical: str = "") -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{link}</head>'
        f"<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>{title}</h1>{body}"
        f"</article><footer>Copyright footer text</footer></body></html>"
    )


LOREM = [
    "The central bank held its main interest rate steady on Tuesday, saying inflation had eased but remained "
    "above its target, and signalled that it was in no hurry to cut borrowing costs this year.",
    "Why it matters: mortgage holders and businesses had hoped for relief after two years of rising costs, and "
    "the decision pushes the first expected cut into the spring at the earliest, analysts said.",
    "The governor told reporters that wage growth was still too strong for comfort and that the committee "
    "would watch the labour market closely over the coming months before changing course.",
    "Markets had largely expected the decision. The currency rose slightly against the dollar after the "
    "announcement, while government bond yields were little changed in afternoon trading.",
]


# http(s) URLs that look like addresses and are not: a line separator in the host, a bracket left open, an
# empty punycode label, a label over 63 characters, an octal address, a port past 65535, a path past any limit.
MALFORMED_URLS = [
    "http://exa\u2028mple/x",
    "http://[::1/x",
    "http://xn--/x",
    "http://" + "a" * 70 + ".example/x",
    "http://0177.0.0.1/x",
    "http://example.com:99999/x",
    "http://example.com/" + "p" * 3000,
]


# Feeds served by the loopback server (the `web` fixture), with article pages behind their items.
def make_feed(web, path="/feed.xml", items=(), section=None, name="Daily Planet", **kw):
    from cupure.sources.models import Feed, Source  # the models load once Django is set up, after this file

    url = web.add(path, rss(list(items), link=web.url("/")), content_type="application/rss+xml", **kw)
    source, _ = Source.objects.get_or_create(name=name, defaults={"slug": name.lower().replace(" ", "-")})
    return Feed.objects.create(url=url, source=source, section=section)


def item(web, n, paragraphs=LOREM, title=None, path=None, **extra):
    path = path or f"/story-{n}.html"
    web.add(path, article_page(title or f"Story {n}", paragraphs))
    return {
        "title": title or f"Story {n}",
        "link": web.url(path) + "?utm_source=rss",
        "guid": f"guid-{n}",
        "pubDate": f"Wed, 25 Nov 2026 0{n % 10}:00:00 GMT",
        **extra,
    }


def distinct_item(web, n):
    """An item whose page shares no text with the others' (not a near-duplicate of them)."""
    rng = random.Random(n)
    return item(web, n, paragraphs=[prose(rng, 3), prose(rng, 3)])


# The browser tests drive Debian's Chromium through Playwright; their screenshots are kept for a person to look at.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture
def browser():
    """A Chromium browser, closed after the test; the test is skipped where Chromium is not installed."""
    if not CHROMIUM:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium; `make test` installs it as root)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


# The slow tests: live servers and their processes, load, fleets of workers, schema fuzzing, data quality. They
# run when CUPURE_SLOW_TESTS=1, as `.ci/run` sets it; without it they are skipped (marked "slow"), so the
# suite a developer runs between changes stays fast.
SLOW_MODULES = {
    "test_backup_live", "test_browser", "test_browser_admin", "test_browser_checks", "test_browser_yours",
    "test_browser_phone", "test_browser_tour", "test_comments_load", "test_deploy", "test_full_disk",
    "test_limits_concurrent", "test_migrate_to", "test_run_command", "test_worker_faults", "test_workers_many",
}  # fmt: skip
SLOW_TESTS = {
    "test_every_operation_conforms",  # Schemathesis over every API operation
    "test_processes_starting_together_share_one_key",  # 12 `cupure` commands and 64 bare processes
    "test_one_cupure_subscribes_to_another",  # two live sites
    "test_quality_on_the_news_benchmark",  # extraction quality on 181 pages
}


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}


def pytest_addoption(parser):
    parser.addoption(
        "--second-pass",
        action="store_true",
        help="the suite's second run, on another database (make test): skip the tests that open no database",
    )


def pytest_collection_modifyitems(config, items):
    run_slow = os.environ.get("CUPURE_SLOW_TESTS", "") == "1"
    skip = pytest.mark.skip(reason="slow: set CUPURE_SLOW_TESTS=1 to run it (.ci/run does)")
    # The second pass runs the suite on another database: a test that never opens the database (pure
    # stages, the HTTP module, command-line parsing) would only repeat the first pass.
    second_pass = config.getoption("--second-pass")
    no_database = pytest.mark.skip(reason="opens no database: ran in the first pass")
    for item in items:
        if second_pass and not item.get_closest_marker("django_db") and not DATABASE_FIXTURES & set(item.fixturenames):
            item.add_marker(no_database)
        if item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES or item.originalname in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
            if not run_slow:
                item.add_marker(skip)
