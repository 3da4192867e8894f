"""`cupure backup [PATH]`: a consistent copy of a SQLite site while it runs; on PostgreSQL, how to pg_dump."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Back up the database: SQLite's online backup (safe while the site runs); pg_dump advice on PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="file to write (default: DATA_DIR/backups/cupure-<time>.sqlite3)")

    def handle(self, *args, path, **opts):
        db = settings.DATABASES["default"]
        if connection.vendor == "postgresql":
            host = f" -h {db['HOST']}" if db["HOST"] else ""
            port = f" -p {db['PORT']}" if db["PORT"] else ""
            user = f" -U {db['USER']}" if db["USER"] else ""
            self.stdout.write(
                "PostgreSQL is backed up with its own tools, consistent while the site runs:\n"
                f"  pg_dump -Fc{host}{port}{user} -f cupure.dump {db['NAME']}\n"
                f"Restore into an empty database with: pg_restore -d {db['NAME']} cupure.dump"
            )
            return
        source = Path(db["NAME"])
        target = (
            Path(path) if path else settings.DATA_DIR / "backups" / f"cupure-{time.strftime('%Y%m%d-%H%M%S')}.sqlite3"
        )
        if target.exists():
            raise CommandError(f"{target} exists already: choose another name, nothing was written")
        target.parent.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        # sqlite3's backup API copies page by page and restarts if a writer changes the database meanwhile:
        # the copy is consistent without stopping the site.
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst, pages=4096)
        with sqlite3.connect(target) as dst:
            verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
            articles = dst.execute("SELECT count(*) FROM news_article").fetchone()[0]
        if verdict != "ok":
            raise CommandError(f"the copy at {target} fails SQLite's integrity check: {verdict}")
        size = target.stat().st_size / 1e6
        self.stdout.write(
            f"backed up {articles:,} articles to {target} ({size:.1f} MB, "
            f"{time.monotonic() - started:.1f} s); restore by stopping the site and copying it to "
            f"{source}"
        )
