"""Search results are grouped by story: a big event's many reports are one result with "N more matching
articles in this story", so the other stories that match are not pushed pages away."""

import pytest

from cupure.news.stories import assign_stories
from cupure.search.engine import search

from .headlines import EVENT_A
from .personas import outlet, publish

pytestmark = pytest.mark.django_db


def test_one_result_per_story(client):
    for n, title in enumerate(EVENT_A * 3):
        publish(outlet(f"Outlet {n}"), title, f"{title}. Twitter users in Turkey found ways around the ban.")
    publish(outlet("Quiet Times"), "Twitter shares rise after results", "Twitter shares rose 8% on Friday.")
    assign_stories()
    flat = search("twitter")
    grouped = search("twitter", by_story=True)
    assert len(flat.hits) == 13
    stories = {h.article.story_id for h in flat.hits}
    assert len(grouped.hits) == len(stories) < 13
    assert sum(h.more + 1 for h in grouped.hits) == 13  # every match is counted under its story
    page = client.get("/search/?q=twitter").content.decode()
    assert "shares rise after results" in page and "more matching articles in this story" in page
    big = max(grouped.hits, key=lambda h: h.more)
    assert f'href="/story/{big.article.story_id}/"' in page
