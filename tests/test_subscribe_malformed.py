"""Malformed URLs and OPML files get a clear refusal from every way in (API, command line), never a 500
or a traceback, and nothing is stored."""

import io
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from cupure.accounts.models import ApiToken
from cupure.sources.models import Feed
from cupure.sources.subscribe import SubscribeError, import_opml

from .conftest import MALFORMED_URLS
from .personas import reader

pytestmark = pytest.mark.django_db

MALFORMED = MALFORMED_URLS + ["mailto:desk@example.com", "javascript:alert(1)", "http://", "feed://example.com/rss"]


@pytest.mark.parametrize("url", MALFORMED)
def test_the_api_refuses_malformed_urls_with_a_400(url):
    _, token = ApiToken.issue(reader("mo", staff=True), "test")
    resp = Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
        "/api/v1/feeds", {"url": url}, content_type="application/json"
    )
    assert resp.status_code in (400, 422), resp.content
    assert resp.json()["message"]
    assert not Feed.objects.exists()


def test_the_command_line_says_why_without_a_traceback():
    for url in MALFORMED[:6]:
        with pytest.raises(CommandError):
            call_command("add_feed", url, stderr=io.StringIO())
    assert not Feed.objects.exists()


def test_add_feed_prints_one_line_not_a_traceback(tmp_path):
    env = {"CUPURE_DATA_DIR": str(tmp_path), "CUPURE_STARTER_SOURCES": "off", "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-m", "cupure.cli", "migrate", "-v0"], env=env, check=True)
    result = subprocess.run(
        [sys.executable, "-m", "cupure.cli", "add-feed", "http://[::1/feed"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "not a valid URL" in result.stderr


def opml(body: str, encoding="utf-8", doctype="") -> bytes:
    text = f'<?xml version="1.0" encoding="{encoding}"?>{doctype}<opml version="2.0"><body>{body}</body></opml>'
    return text.encode(encoding)


def test_a_dtd_is_refused_in_any_encoding():
    bomb = '<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    for encoding in ("utf-8", "utf-16", "utf-16-le"):
        with pytest.raises(SubscribeError, match="DTD"):
            import_opml(opml('<outline xmlUrl="https://example.com/feed" text="&b;"/>', encoding, bomb))
    assert not Feed.objects.exists()


def test_five_thousand_nested_folders_import_without_a_crash():
    depth = 5000
    body = (
        '<outline text="folder">' * depth
        + '<outline xmlUrl="https://deep.example/feed" text="Deep"/>'
        + "</outline>" * depth
        + '<outline xmlUrl="https://flat.example/feed" text="Flat"/>'
        + '<outline xmlUrl="http://[::1/feed" text="Broken"/>'
    )
    report = import_opml(opml(body))
    assert (report.added, report.skipped) == (2, 1)
    assert set(Feed.objects.values_list("url", flat=True)) == {"https://deep.example/feed", "https://flat.example/feed"}
