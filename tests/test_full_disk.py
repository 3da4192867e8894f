"""A full disk: readers' pages and /healthz keep answering, posting is refused with a clear message, and
nothing acknowledged before is lost. The data directory is a small tmpfs filled to the last byte."""

import os
import re
import sqlite3
import subprocess
import time

import httpx
import pytest

from .personas import PASSWORD
from .server import live_site

SEED = f"""
from django.contrib.auth import get_user_model
from django.utils import timezone
from cupure.news.models import Article
from cupure.sources.models import Source
s = Source.objects.create(name="City Times", slug="city-times")
for n in range(1, 4):
    Article.objects.create(source=s, url=f"https://city.example/{{n}}", canonical_url=f"https://city.example/{{n}}",
                           title=f"Council approves tram line {{n}}", text="The council voted.",
                           published_at=timezone.now())
get_user_model().objects.create_user("ada", "ada@example.org", {PASSWORD!r})
"""


@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs to fill (needs root): {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk) -> None:
    with open(disk / "filler", "wb") as f:
        try:
            while True:
                f.write(b"\0" * (1 << 20))
                f.flush()
        except OSError:
            pass
    # The last few blocks too: nothing more fits anywhere on this disk.
    n = 0
    while True:
        try:
            (disk / f"crumb{n}").write_bytes(b"\0" * 512)
            n += 1
        except OSError:
            break


def post(c: httpx.Client, body: str) -> httpx.Response:
    page = c.get("/article/1/")
    nonce = re.search(r'name="nonce" value="([0-9a-f]+)"', page.text).group(1)
    return c.post(
        "/comments/post/article/1/", data={"body": body, "nonce": nonce, "csrfmiddlewaretoken": c.cookies["csrftoken"]}
    )


@pytest.mark.skipif(bool(os.environ.get("CUPURE_DATABASE_URL")), reason="a SQLite test: the database is on the disk")
def test_a_full_disk_keeps_pages_up_and_refuses_posts_clearly(small_disk, tmp_path):
    data = small_disk / "site"
    with live_site(tmp_path, CUPURE_DATA_DIR=str(data)) as site:
        site.manage(code=SEED)
        with site.signed_in("ada") as c:
            before = post(c, "Posted while the disk had room.")
            assert before.status_code == 302

            fill(small_disk)
            statuses = []
            until = time.monotonic() + 8
            while time.monotonic() < until:
                for path in ("/", "/article/2/", "/healthz", "/search/?q=council", "/sources/"):
                    statuses.append((path, c.get(path).status_code))
            assert all(code == 200 for _, code in statuses), [s for s in statuses if s[1] != 200][:5]

            refused = post(c, "Posted on a full disk.")
            assert refused.status_code == 503
            assert "could not be saved" in refused.text and "disk" in refused.text

            os.unlink(small_disk / "filler")
            after = post(c, "Posted once there was room again.")
            assert after.status_code == 302
        log = site.log.read_text()
    assert "Bus error" not in log and "SIGBUS" not in log and "signal 7" not in log
    with sqlite3.connect(data / "cupure.sqlite3") as db:
        bodies = [b for (b,) in db.execute("SELECT body FROM comments_comment ORDER BY id")]
    assert bodies == ["Posted while the disk had room.", "Posted once there was room again."]
