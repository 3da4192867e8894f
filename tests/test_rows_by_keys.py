"""Rows asked for by more keys than one query may carry (SQLite: 32,766 parameters) come back whole."""

import pytest

from cupure.lib import db
from cupure.news.models import Topic

pytestmark = pytest.mark.django_db


def test_every_row_comes_back_across_slices(monkeypatch):
    for n in range(7):
        Topic.objects.create(key=f"topic {n}", name=f"Topic {n}", slug=f"topic-{n}", mentions=n)
    monkeypatch.setattr(db, "KEYS_PER_QUERY", 3)
    keys = {f"topic {n}" for n in range(7)} | {"nothing"}
    assert dict(db.rows_by_keys(Topic.objects, "key", keys, "key", "mentions")) == {f"topic {n}": n for n in range(7)}
