"""Database helpers shared by the apps."""

from __future__ import annotations

import fcntl
import os
import threading
from contextlib import contextmanager

from django.db import connection, transaction
from django.urls import reverse
from django.utils.text import slugify

_thread_lock = threading.Lock()
_lock_file: tuple[int, int] | None = None  # (pid, fd): a forked child must open its own


def _writer_fd() -> int:
    global _lock_file
    if _lock_file is None or _lock_file[0] != os.getpid():
        path = f"{connection.settings_dict['NAME']}-writer.lock"
        _lock_file = (os.getpid(), os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    return _lock_file[1]


@contextmanager
def writing():
    """A write transaction for a request that writes on every call (posting a comment, say).

    SQLite lets one writer in at a time, and a writer that finds the lock taken polls for it, sleeping
    up to 100 ms between tries: under load from several web processes that polling, not the work, makes
    the slowest requests slow. Here writers queue instead, threads on a lock of this process and
    processes on an flock(2) of a file beside the database, and each is woken the moment its turn
    comes. Writers elsewhere (the worker) still meet them at SQLite's own lock, as before.
    """
    if (
        connection.vendor != "sqlite"
        or connection.in_atomic_block
        or connection.settings_dict["NAME"] in ("", ":memory:")
        or "mode=memory" in str(connection.settings_dict["NAME"])
    ):
        with transaction.atomic():
            yield
        return
    with _thread_lock:
        fd = _writer_fd()
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            with transaction.atomic():
                yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)


# SQLite refuses a query with more than 32,766 parameters; a tagging batch asks for tens of thousands of keys.
KEYS_PER_QUERY = 5000


def fetch(sql: str, params=()) -> list[tuple]:
    """The rows of a plain SELECT, past the ORM: for the few small queries every request makes, where
    building the query through the ORM costs several times running it (about 150-300 µs against 20-50)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _loader(model, where: tuple[str, ...]) -> tuple[str, list[str], list[tuple]]:
    """The SELECT of ``model``'s rows whose fields ``where`` equal the values given, its fields' names
    and, per column, what the ORM does to the value the driver returns (SQLite's text datetimes, its 0/1
    booleans): built once per connection, as the converters are the connection's own (each thread has its
    own connection)."""
    loaders = getattr(connection, "_cupure_loaders", None)
    if loaders is None:
        loaders = connection._cupure_loaders = {}
    if (model, where) in loaders:
        return loaders[model, where]
    meta = model._meta
    fields = meta.concrete_fields
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(meta.db_table)} "
        f"WHERE {' AND '.join(f'{quote(meta.get_field(name).column)} = %s' for name in where)}"
    )
    columns = []
    for f in fields:
        col = f.get_col(meta.db_table)
        columns.append((col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)))
    loaders[model, where] = sql, [f.attname for f in fields], columns
    return loaders[model, where]


def load(model, **where):
    """The ``model`` instance whose fields equal ``where`` (``pk=`` for the primary key), or None: what
    ``model.objects.filter(**where).first()`` gives, for a row read on every request (the signed-in
    reader: 51 µs against 120 µs through a raw queryset here). ``where`` names fields that make a row unique."""
    row = load_row(model, **where)
    return None if row is None else model.from_db(connection.alias, *row)


def load_row(model, **where) -> tuple[list[str], tuple] | None:
    """What ``load`` makes its instance of: the fields' names and their values, as the ORM converts them;
    ``model.from_db(alias, *row)`` gives a new instance each time, for a row kept across requests."""
    names = tuple(model._meta.pk.name if name == "pk" else name for name in where)
    sql, attnames, columns = _loader(model, names)
    rows = fetch(sql, list(where.values()))
    if not rows:
        return None
    values = list(rows[0])
    for i, (col, converters) in enumerate(columns):
        for convert in converters:
            values[i] = convert(values[i], col, connection)
    return attnames, tuple(values)


def rows_by_keys(queryset, field: str, keys, *values: str) -> list[tuple]:
    """``queryset.filter(<field>__in=keys).values_list(*values)``, read in slices of KEYS_PER_QUERY keys."""
    keys = sorted(keys)
    rows: list[tuple] = []
    for i in range(0, len(keys), KEYS_PER_QUERY):
        rows += queryset.filter(**{f"{field}__in": keys[i : i + KEYS_PER_QUERY]}).values_list(*values)
    return rows


def unique_slug(queryset, text: str, fallback: str, max_length: int = 180) -> str:
    """A slug of ``text`` that no row of ``queryset`` has yet: "name", then "name-2", "name-3"..."""

    base = slugify(text)[:max_length] or fallback
    slug, n = base, 2
    while queryset.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class NamedPage:
    """A model mixin: a row that is a page of its own, found by its slug at the URL named ``url_name`` and
    shown by its ``name`` (a section, a topic, a source)."""

    url_name: str

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(self.url_name, args=[self.slug])
