"""Database helpers shared by the apps."""
from __future__ import annotations

import threading
from contextlib import contextmanager

from django.db import connection, transaction

_sqlite_writer = threading.Lock()


@contextmanager
def writing():
    """A write transaction for a request that writes on every call (posting a comment, say).

    SQLite lets one writer in at a time; the others poll on their busy timeout with sleeps of up to
    100 ms, which is what makes the slowest requests slow under load. Threads of one process queue
    here instead and are handed the turn at once; only processes still meet at SQLite's lock.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        with transaction.atomic():
            yield
        return
    with _sqlite_writer, transaction.atomic():
        yield
