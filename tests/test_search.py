"""Search results, on whichever database the suite runs on (SQLite FTS5, or PostgreSQL with CUPURE_DATABASE_URL)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from cupure.news.models import Article, ArticleTopic, Section, Topic
from cupure.search.engine import search

from .personas import outlet, publish

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 1, 12, tzinfo=UTC)


def day(n: int) -> datetime:
    """``n`` days before NOW."""
    return NOW - timedelta(days=n)


def titles(q, **kw):
    return [h.article.title for h in search(q, **kw).hits]


@pytest.fixture
def archive():
    bbc, planet = outlet("BBC News", key="bbc.co.uk"), outlet("Daily Planet", key="dailyplanet.example")
    world, business = Section.objects.get(slug="world"), Section.objects.get(slug="business")
    arts = {
        "summit": publish(
            bbc,
            "Leaders meet at the Élysée for climate summit",
            "Presidents and prime ministers gathered in Paris. The climate summit opened with a "
            "call for elections to be postponed.",
            at=day(1),
            section=world,
        ),
        "markets": publish(
            planet,
            "Markets rally as inflation cools",
            "Shares rose after the central bank said inflation was easing. Analysts mentioned the climate of optimism.",
            at=day(2),
            section=business,
        ),
        "golf": publish(
            planet,
            "Summit golf tournament ends in a playoff",
            "The golf tournament at Summit Hills ended in a three-way playoff.",
            at=day(3),
        ),
        "old": publish(
            bbc,
            "Climate talks stall in Bonn",
            "Negotiators in Bonn failed to agree on climate funding.",
            at=day(400),
            section=world,
        ),
    }
    return bbc, planet, world, arts


def test_words_are_all_required_and_stems_and_accents_fold(archive):
    assert titles("climate summit") == ["Leaders meet at the Élysée for climate summit"]
    assert titles("elysee") == titles("ÉLYSÉE") == ["Leaders meet at the Élysée for climate summit"]
    assert "Leaders meet at the Élysée for climate summit" in titles("election")  # "elections" in its text


def test_title_matches_outrank_body_matches_and_recency_breaks_ties(archive):
    # "climate" is in three titles and one text only: the text-only match ranks last.
    found = titles("climate")
    assert found[-1] == "Markets rally as inflation cools"
    assert found.index("Leaders meet at the Élysée for climate summit") < found.index(
        "Markets rally as inflation cools"
    )
    assert titles("climate", sort="date") == [
        "Leaders meet at the Élysée for climate summit",
        "Markets rally as inflation cools",
        "Climate talks stall in Bonn",
    ]


def test_phrases_exclusions_or_and_prefixes(archive):
    assert titles('"climate summit"') == ["Leaders meet at the Élysée for climate summit"]
    assert titles('"summit climate"') == []
    assert titles("summit -golf") == ["Leaders meet at the Élysée for climate summit"]
    assert set(titles("bonn OR playoff")) == {"Climate talks stall in Bonn", "Summit golf tournament ends in a playoff"}
    assert set(titles("infla*")) == {"Markets rally as inflation cools"}
    assert titles("tourn*") == ["Summit golf tournament ends in a playoff"]


def test_filters(archive):
    bbc, planet, world, arts = archive
    assert set(titles("climate section:world")) == {
        "Leaders meet at the Élysée for climate summit",
        "Climate talks stall in Bonn",
    }
    assert titles("climate source:bbc since:2025-01-01") == ["Leaders meet at the Élysée for climate summit"]
    assert titles("climate until:2024-12-31") == ["Climate talks stall in Bonn"]
    assert titles("climate -source:bbc") == ["Markets rally as inflation cools"]
    assert titles("climate source:dailyplanet.example") == ["Markets rally as inflation cools"]
    topic = Topic.objects.create(key="palestinian state", name="Palestinian state", slug="palestinian-state")
    ArticleTopic.objects.create(
        article=arts["old"], topic=topic, published_at=arts["old"].published_at, source_id=bbc.pk
    )
    assert titles('climate topic:"Palestinian state"') == ["Climate talks stall in Bonn"]
    # Filters alone list the newest articles that pass them.
    assert titles("section:world") == ["Leaders meet at the Élysée for climate summit", "Climate talks stall in Bonn"]


def test_filters_that_name_nothing_say_so(archive):
    res = search("climate section:sport")
    assert res.hits == [] and "no section “sport”" in res.messages[0] and "world" in res.messages[0]
    assert "No source matches" in search("climate source:nowhere").messages[0]
    assert "No topic" in search("climate topic:atlantis").messages[0]


def test_counts_facets_pages(archive):
    bbc, planet, world, arts = archive
    for i in range(45):
        publish(planet, f"Flood update number {i}", "Rivers rose again.", at=day(i % 5))
    res = search("flood", per_page=20)
    assert res.total == 45 and not res.total_is_lower_bound and res.pages == 3
    assert [(s.name, n) for s, n in res.sources] == [("Daily Planet", 45)]
    last = search("flood", page=3, per_page=20)
    assert len(last.hits) == 5 and last.page == 3
    assert search("flood", page=99, per_page=20).page == 3  # past the end: the last page


def test_highlights_are_marked_and_escaped(archive):
    bbc, *_ = archive
    publish(bbc, "Why <script>alert(1)</script> inflation matters", "Inflation & <b>prices</b>: a primer.")
    hit = next(h for h in search("inflation").hits if "script" in h.article.title)
    assert "<mark>inflation</mark>" in hit.title_html and "&lt;script&gt;" in hit.title_html
    assert "<script>" not in hit.title_html and "&lt;b&gt;" in hit.snippet_html


def test_highlights_mark_the_words_the_engine_matched_by_stem(archive):
    bbc, *_ = archive
    publish(bbc, "Elected mayor calls new election", "The elections board and the electron microscope lab.")
    hit = next(h for h in search("elections").hits if "mayor" in h.article.title)
    assert hit.title_html == "<mark>Elected</mark> mayor calls new <mark>election</mark>"
    # Same first letters, another stem: the engine did not match "electron", so it is not marked.
    assert "<mark>elections</mark>" in hit.snippet_html and "<mark>electron" not in hit.snippet_html


def test_copies_are_found_through_their_original(archive):
    bbc, planet, world, arts = archive
    copy = publish(
        planet, "Leaders meet at the Élysée for climate summit", arts["summit"].text, duplicate_of=arts["summit"]
    )
    assert [h.article.pk for h in search("elysee").hits] == [arts["summit"].pk]
    # The original is deleted: its copy stands alone and becomes findable.
    copy.duplicate_of = None
    copy.save()
    assert {h.article.pk for h in search("elysee").hits} == {arts["summit"].pk, copy.pk}


def test_the_index_moves_with_the_articles_in_the_same_transaction(archive):
    bbc, planet, world, arts = archive
    with transaction.atomic():
        publish(bbc, "Volcano erupts near Reykjavik")
        assert titles("volcano") == ["Volcano erupts near Reykjavik"]
        transaction.set_rollback(True)
    assert titles("volcano") == []
    golf = arts["golf"]
    golf.title, golf.text = "Volcano ash grounds flights", "Flights were cancelled across the north."
    golf.save()
    assert titles("volcano") == ["Volcano ash grounds flights"] and titles("playoff") == []
    Article.objects.filter(pk=golf.pk).update(text="Airports in Iceland closed.")  # a raw UPDATE, no save()
    assert titles("iceland") == ["Volcano ash grounds flights"] and titles("tournament") == []
    golf.delete()
    assert titles("volcano") == [] and titles("iceland") == []


def test_chinese_japanese_korean(archive):
    bbc, *_ = archive
    publish(bbc, "中国经济增长放缓", "国家统计局周一公布的数据显示，第三季度经济增长放缓。")
    publish(bbc, "東京で地震", "東京都内で震度4の地震がありました。")
    publish(bbc, "서울 날씨", "서울은 오늘 맑겠습니다.")
    assert titles("经济增长") == ["中国经济增长放缓"]
    assert titles("经济") == ["中国经济增长放缓"]  # two characters: shorter than a trigram
    assert titles("地震") == ["東京で地震"]
    assert titles("서울") == ["서울 날씨"]
    assert titles("经济 -放缓") == []
    hit = search("经济").hits[0]
    assert "<mark>经济</mark>" in hit.title_html


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_any_input_gives_a_result_not_an_error(archive, text):
    res = search(text)
    assert res.total >= len(res.hits) and (res.total > 0) == bool(res.hits)


CLIMATE = {
    "Leaders meet at the Élysée for climate summit",
    "Markets rally as inflation cools",
    "Climate talks stall in Bonn",
}


@pytest.mark.parametrize(
    "text, found",
    [
        ("NEAR(climate summit, 2)", set()),
        ("title:climate", CLIMATE),
        ("^climate", CLIMATE),
        ("climate*", CLIMATE),
        ("*", set()),
        ('"', set()),
        ('""""', set()),
        ("-", set()),
        ("- -", set()),
        ("OR OR", set()),
        ("AND", None),
        ("NOT climate", set()),
        ("(climate", CLIMATE),
        ("climate)", CLIMATE),
        ("climate'", CLIMATE),
        ("{title}: climate", set()),
        ("climate:", CLIMATE),
        (":", set()),
        ("\x00\x01", set()),
        ("a" * 5000, set()),
        ("climate " * 300, CLIMATE),
        ("😀 climate", CLIMATE),
        ("🇫🇷", set()),
        ("ﷺ", set()),
        ("\u202eclimate", CLIMATE),
        ("climate\u0301", CLIMATE),
    ],
)
def test_hostile_queries(archive, text, found):
    """Whatever is typed, the search answers: the words it could read are searched, the rest is ignored
    ("AND" is a word like any other, found wherever a text has it)."""
    res = search(text)
    assert res.total >= len(res.hits) and (res.total > 0) == bool(res.hits)
    if found is not None:
        assert {h.article.title for h in res.hits} == found


def test_index_comes_back_after_a_migration_drops_its_triggers(archive):
    """Django rebuilds a SQLite table to alter it, dropping its triggers; post_migrate puts them back."""
    from django.db import connection

    from cupure.search.schema import SQLITE_TRIGGERS, install

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL alters tables in place")
    with connection.cursor() as cur:
        for name in SQLITE_TRIGGERS:
            cur.execute(f"DROP TRIGGER {name}")
    bbc, *_ = archive
    publish(bbc, "Written while the triggers were gone")
    assert titles("gone") == []
    assert install(connection) is True
    assert titles("gone") == ["Written while the triggers were gone"]
    assert titles("elysee") == ["Leaders meet at the Élysée for climate summit"]
    assert install(connection) is False  # nothing missing: nothing done
