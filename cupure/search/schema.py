"""The search index's tables and triggers, for SQLite and PostgreSQL.

Triggers, not application code, keep the index: an article written by the refresher, an import, the admin
or a raw UPDATE is indexed in the same transaction, and a near-duplicate copy (found through its original)
is never indexed. ``install`` is idempotent; it runs from migration news 0004 and again after every
``migrate``, because Django rebuilds a SQLite table to alter it and that drops the table's triggers.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, transaction

from .compile import CJK_GLOB

log = logging.getLogger(__name__)

_VISIBLE = "duplicate_of_id IS NULL"
_CJK_ROW = "(coalesce({r}.title, '') || ' ' || coalesce({r}.text, '')) GLOB '" + CJK_GLOB + "'"
_CHANGED = (
    "old.title IS NOT new.title OR old.text IS NOT new.text "
    "OR (old.duplicate_of_id IS NULL) <> (new.duplicate_of_id IS NULL)"
)
_MOVED = "old.source_id IS NOT new.source_id OR old.section_id IS NOT new.section_id"

# The filters the FTS5 index answers itself, as tokens in a third column: "zsrc12 zsec3" (zsec0: none).
_TAGS = "'zsrc' || {r}.source_id || ' zsec' || coalesce({r}.section_id, 0)"
_ROW = "{r}.id, {r}.title, {r}.text, " + _TAGS

SQLITE_TABLES = [
    # Contentless: the index keeps the words, the text stays in news_article only (and the index does not
    # name that table, so Django can rebuild it in a migration). Porter stems English; remove_diacritics 2
    # folds "Élysée" to "elysee" on both sides.
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_article USING fts5(title, text, tags, content='', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    # Chinese and Japanese have no spaces between words: a trigram index finds any substring of 3+
    # characters. It holds its own copy of the (few) articles in those scripts.
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_cjk USING fts5(title, text, tokenize='trigram')",
    # Date and topic filters join the matches to this narrow index instead of the article rows (kilobytes each).
    "CREATE INDEX IF NOT EXISTS article_search_filter ON news_article (id, section_id, source_id, published_at)",
]

# A contentless FTS5 table forgets a row only when told the values it indexed: hence 'delete' with the
# old row's values, and an update is a delete then an insert.
SQLITE_TRIGGERS = {
    "search_article_ai": f"""
        CREATE TRIGGER search_article_ai AFTER INSERT ON news_article WHEN new.{_VISIBLE} BEGIN
          INSERT INTO search_article(rowid, title, text, tags) VALUES ({_ROW.format(r="new")});
        END""",
    "search_article_ad": f"""
        CREATE TRIGGER search_article_ad AFTER DELETE ON news_article WHEN old.{_VISIBLE} BEGIN
          INSERT INTO search_article(search_article, rowid, title, text, tags)
          VALUES ('delete', {_ROW.format(r="old")});
        END""",
    "search_article_au": f"""
        CREATE TRIGGER search_article_au AFTER UPDATE OF title, text, duplicate_of_id, source_id, section_id
        ON news_article WHEN {_CHANGED} OR {_MOVED} BEGIN
          INSERT INTO search_article(search_article, rowid, title, text, tags)
            SELECT 'delete', {_ROW.format(r="old")} WHERE old.{_VISIBLE};
          INSERT INTO search_article(rowid, title, text, tags) SELECT {_ROW.format(r="new")} WHERE new.{_VISIBLE};
        END""",
    "search_cjk_ai": f"""
        CREATE TRIGGER search_cjk_ai AFTER INSERT ON news_article
        WHEN new.{_VISIBLE} AND {_CJK_ROW.format(r="new")} BEGIN
          INSERT INTO search_cjk(rowid, title, text) VALUES (new.id, new.title, new.text);
        END""",
    "search_cjk_ad": """
        CREATE TRIGGER search_cjk_ad AFTER DELETE ON news_article BEGIN
          DELETE FROM search_cjk WHERE rowid = old.id;
        END""",
    "search_cjk_au": f"""
        CREATE TRIGGER search_cjk_au AFTER UPDATE OF title, text, duplicate_of_id ON news_article
        WHEN {_CHANGED} BEGIN
          DELETE FROM search_cjk WHERE rowid = old.id;
          INSERT INTO search_cjk(rowid, title, text) SELECT new.id, new.title, new.text
            WHERE new.{_VISIBLE} AND {_CJK_ROW.format(r="new")};
        END""",
}

# PostgreSQL: a tsvector column kept by a BEFORE trigger, titles weighted A and text B, under a text
# search configuration "cupure": English stemming, with accents folded when the unaccent extension exists.
POSTGRES = [
    "ALTER TABLE news_article ADD COLUMN IF NOT EXISTS search_vector tsvector",
    """
    CREATE OR REPLACE FUNCTION news_article_search_vector() RETURNS trigger AS $$
    BEGIN
      IF NEW.duplicate_of_id IS NOT NULL THEN
        NEW.search_vector := NULL;
      ELSIF TG_OP = 'INSERT' OR OLD.search_vector IS NULL OR NEW.title IS DISTINCT FROM OLD.title
            OR NEW.text IS DISTINCT FROM OLD.text THEN
        -- A tsvector holds at most 1 MB; the first 200,000 characters of a text are plenty to find it.
        NEW.search_vector := setweight(to_tsvector('cupure', coalesce(NEW.title, '')), 'A')
                          || setweight(to_tsvector('cupure', left(coalesce(NEW.text, ''), 200000)), 'B');
      END IF;
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS news_article_search ON news_article",
    "CREATE TRIGGER news_article_search BEFORE INSERT OR UPDATE ON news_article "
    "FOR EACH ROW EXECUTE FUNCTION news_article_search_vector()",
    "CREATE INDEX IF NOT EXISTS news_article_search_vector ON news_article USING gin (search_vector)",
]


def install(connection) -> bool:
    """Create what is missing and fill the index if it was. Returns whether anything was created."""
    if connection.vendor == "sqlite":
        return _install_sqlite(connection)
    if connection.vendor == "postgresql":
        return _install_postgres(connection)
    return False


def _install_sqlite(connection) -> bool:
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {name for (name,) in cur.fetchall()}
        if "news_article" not in present:
            return False
        missing = [name for name in SQLITE_TRIGGERS if name not in present]
        if "search_article" in present and not missing:
            return False
        for stmt in SQLITE_TABLES:
            cur.execute(stmt)
        for name in missing:
            cur.execute(SQLITE_TRIGGERS[name])
        # Whatever was written while the triggers were missing: index everything again.
        cur.execute("INSERT INTO search_article(search_article) VALUES ('delete-all')")
        cur.execute(
            f"INSERT INTO search_article(rowid, title, text, tags) SELECT {_ROW.format(r='a')} "
            f"FROM news_article a WHERE a.{_VISIBLE}"
        )
        cur.execute("DELETE FROM search_cjk")
        cur.execute(
            f"INSERT INTO search_cjk(rowid, title, text) SELECT id, title, text FROM news_article a "
            f"WHERE a.{_VISIBLE} AND {_CJK_ROW.format(r='a')}"
        )
    log.info("search index installed on SQLite (%d triggers were missing)", len(missing))
    return True


def _install_postgres(connection) -> bool:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT to_regclass('news_article'), to_regclass('news_article_search_vector'), "
            "EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'news_article_search')"
        )
        table, index, trigger = cur.fetchone()
        if table is None or (index is not None and trigger):
            return False
        cur.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'cupure'")
        if cur.fetchone() is None:
            cur.execute("CREATE TEXT SEARCH CONFIGURATION cupure (COPY = english)")
            if _unaccent(connection):
                cur.execute(
                    "ALTER TEXT SEARCH CONFIGURATION cupure ALTER MAPPING FOR hword, hword_part, word "
                    "WITH unaccent, english_stem"
                )
            else:
                log.warning("the unaccent extension is not available: PostgreSQL search will not fold accents")
        for stmt in POSTGRES:
            cur.execute(stmt)
        cur.execute("UPDATE news_article SET search_vector = NULL WHERE search_vector IS NOT NULL")
        cur.execute("UPDATE news_article SET title = title WHERE duplicate_of_id IS NULL")
    log.info("search index installed on PostgreSQL")
    return True


def _unaccent(connection) -> bool:
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cur:
            cur.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        return True
    except DatabaseError:
        return False


def uninstall(connection) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cur.execute(f"DROP TRIGGER IF EXISTS {name}")
            for name in ("search_article", "search_cjk"):
                cur.execute(f"DROP TABLE IF EXISTS {name}")
            cur.execute("DROP INDEX IF EXISTS article_search_filter")
        elif connection.vendor == "postgresql":
            cur.execute("DROP TRIGGER IF EXISTS news_article_search ON news_article")
            cur.execute("DROP FUNCTION IF EXISTS news_article_search_vector()")
            cur.execute("ALTER TABLE news_article DROP COLUMN IF EXISTS search_vector")
            cur.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS cupure")
