"""A first start that gets nothing (no internet) says so on the home page, with a way to the failing feeds;
an operator subscribes to an OPML file from /sources."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cupure.sources.models import Feed, Source

from .personas import reader

pytestmark = pytest.mark.django_db

OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>
<outline text="World"><outline type="rss" text="Planet" xmlUrl="https://planet.example/feed.xml"/>
<outline type="rss" text="Gazette" xmlUrl="https://gazette.example/rss"/></outline></body></opml>"""


def test_an_empty_site_whose_feeds_all_fail_says_why(client):
    src = Source.objects.create(name="Planet", slug="planet")
    for n in range(3):
        Feed.objects.create(
            source=src, url=f"https://p{n}.example/feed", error_count=2, last_error="could not resolve p0.example"
        )
    page = client.get("/").content.decode()
    assert "All 3 feeds failed at their last poll (for example: could not resolve p0.example)" in page
    assert 'href="/sources/?state=error"' in page and 'href="/sources/"' in page


def test_an_empty_site_still_polling_says_only_that(client):
    Feed.objects.create(source=Source.objects.create(name="Planet", slug="planet"), url="https://p.example/feed")
    page = client.get("/").content.decode()
    assert "No articles yet" in page and "failed at their last poll" not in page


def test_staff_import_an_opml_file_from_the_sources_page(client):
    client.force_login(reader("op", staff=True))
    assert "Import an OPML file" in client.get("/sources/").content.decode()
    resp = client.post("/sources/import/", {"opml": SimpleUploadedFile("mine.opml", OPML)}, follow=True)
    assert "mine.opml: 2 feeds added, 0 already subscribed" in resp.content.decode()
    assert Feed.objects.count() == 2
    resp = client.post("/sources/import/", {"opml": SimpleUploadedFile("bad.opml", b"<html>no</html>")}, follow=True)
    assert "bad.opml: not an OPML file" in resp.content.decode() and Feed.objects.count() == 2


def test_readers_cannot_import(client):
    client.force_login(reader("ana"))
    assert "Import an OPML file" not in client.get("/sources/").content.decode()
    resp = client.post("/sources/import/", {"opml": SimpleUploadedFile("mine.opml", OPML)})
    assert resp.status_code == 302 and "/admin/login/" in resp["Location"] and not Feed.objects.exists()
