"""`cupure backup` copies a real SQLite site while it serves and is written to."""

import sqlite3
import subprocess
import sys

from .server import ROOT, live_site, sqlite_only


@sqlite_only
def test_backup_while_serving(tmp_path):
    with live_site(tmp_path) as site:
        site.manage(
            code="from django.utils import timezone\nfrom cupure.news.models import Article\n"
            "from cupure.sources.models import Source\ns = Source.objects.create(name='A', slug='a')\n"
            "[Article.objects.create(source=s, url=f'https://a.example/{i}', canonical_url=f'https://a.example/{i}',"
            " title=f'T{i}', published_at=timezone.now()) for i in range(30)]"
        )
        target = tmp_path / "copy.sqlite3"
        out = site.manage("backup", str(target))
        assert "backed up 30 articles" in out
        again = subprocess.run(
            [sys.executable, "-m", "cupure.cli", "backup", str(target)],
            env=site.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert again.returncode != 0 and "exists already" in again.stderr
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT count(*) FROM news_article").fetchone()[0] == 30
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
