"""Topics and the trending bar on the site."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cupure.news.models import Article, Topic
from cupure.news.stories import assign_stories
from cupure.news.topics import refresh_bar, tag_topics

from .personas import outlet
from .personas import publish as publish_article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def publish(n, title, hours_ago, text=""):
    """An article by Outlet ``n``."""
    return publish_article(outlet(f"Outlet {n}"), title, text, at=timezone.now() - timedelta(hours=hours_ago))


@pytest.fixture
def eruption_day():
    for day in range(1, 8):  # a week of weather from three outlets: usual, never trending
        for n in range(3):
            publish(n, f"Weather outlook brings rain to the valley, day {day}", 24 * day + 2)
    for n in range(6):  # today six outlets report one eruption
        publish(
            10 + n,
            f"Volcano eruption forces evacuation of island villages ({n})",
            1 + n / 10,
            text="Officials in Iceland said the Volcano erupted overnight.",
        )
    publish(1, "Weather outlook brings rain to the valley today", 1)
    assign_stories()
    while tag_topics():
        pass


def test_articles_get_named_topics(client, eruption_day):
    art = Article.objects.filter(title__startswith="Volcano").first()
    page = client.get(art.get_absolute_url()).content.decode()
    assert "Topics:" in page and "Iceland" in page
    topic = Topic.objects.get(key="iceland")
    topic_page = client.get(topic.get_absolute_url()).content.decode()
    assert "<svg" in topic_page and "<polyline" in topic_page and "Volcano eruption" in topic_page
    # The sparkline has its dates and counts: a caption, and a tooltip on each day with mentions.
    days = {timezone.localtime(a.published_at).date() for a in Article.objects.filter(title__startswith="Volcano")}
    shown = [f"{d.day} {d:%b}: " for d in days]
    assert all(label in topic_page for label in shown) and "mentions</title>" in topic_page
    assert "6 mentions" in topic_page and "Recent days:" in topic_page


def test_trending_bar_on_every_page(client, eruption_day):
    bar = refresh_bar(force=True)
    names = [b["name"].lower() for b in bar]
    assert names and names[0] in ("volcano", "eruption", "evacuation", "iceland", "villages")
    assert len(names) == len(set(names)) and not any("weather" in n for n in names)
    # A week of the site's history before today: the bar says what rose against it.
    assert bar[0]["why"] == "6 sources in 24 h; none in the 6 days before"  # 146 h of history before the 24 h
    for url in ("/", "/sources/", Article.objects.first().get_absolute_url()):
        page = client.get(url).content.decode()
        assert 'aria-label="Trending topics"' in page and bar[0]["name"] in page and bar[0]["why"] in page


def test_hidden_topics_never_trend(eruption_day):
    first = refresh_bar(force=True)[0]
    Topic.objects.filter(slug=first["slug"]).update(hidden=True)
    assert first["slug"] not in [b["slug"] for b in refresh_bar(force=True)]


def test_the_bar_costs_no_query_once_cached(client, eruption_day):
    refresh_bar(force=True)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/sources/")
    assert not any("news_jobstate" in q["sql"] for q in ctx.captured_queries)


def test_bar_recomputed_only_when_due(eruption_day):
    assert refresh_bar(force=True) is not None
    assert refresh_bar() is None  # younger than 5 minutes


def test_operator_merges_topics(client, eruption_day):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("olivia", "o@example.org", "pw"))
    volcano, iceland = Topic.objects.get(key="volcano"), Topic.objects.get(key="iceland")
    client.post("/admin/news/topic/", {"action": "merge_into_first", "_selected_action": [volcano.pk, iceland.pk]})
    # Both are mentioned by the same six articles: the older topic survives.
    keep, gone = sorted([volcano, iceland], key=lambda t: t.pk)
    gone.refresh_from_db()
    assert gone.merged_into_id == keep.pk
    assert client.get(gone.get_absolute_url()).status_code == 301
    assert keep.article_topics.count() == 6
    keep.refresh_from_db()
    assert keep.mentions == 6


def test_operators_add_aliases():
    from cupure.news.models import TopicAlias

    TopicAlias.objects.create(alias="Big Apple", name="New York City")
    publish(1, "Marathon day", 1, text="Runners filled the streets of the Big Apple on Sunday.")
    publish(2, "City budget", 1, text="The mayor of New York City presented the budget.")
    tag_topics()
    topic = Topic.objects.get(key="new york city")
    assert topic.article_topics.count() == 2 and topic.name == "New York City"


def test_topic_mentions_are_counted(eruption_day):
    volcano = Topic.objects.get(key="volcano")
    assert volcano.mentions == volcano.article_topics.count() == 6


def test_a_new_site_says_new_not_usually_zero(client):
    for n in range(6):
        publish(
            10 + n,
            f"Volcano eruption forces evacuation of island villages ({n})",
            1 + n / 10,
            text="Officials in Iceland said the Volcano erupted overnight.",
        )
    assign_stories()
    while tag_topics():
        pass
    bar = refresh_bar(force=True)
    assert bar and all(b["why"].startswith("6 sources in 24 h; new") for b in bar)
    assert "usually" not in client.get("/").content.decode()
