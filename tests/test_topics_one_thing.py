"""One topic per thing, and only things: a Title Case headline's name keeps its whole span ("Game of
Thrones", not "Thrones"), a common noun the articles write in lower case is no topic ("banana"), a name's
initials and its parts fold into it ("ISS", "Space Station", "Handler"), and one event takes one place on
the bar even when it is told as two stories ("Chelsea Lately" beside "Chelsea Handler")."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from cupure.analysis.topics import CaseBook, TopicNamer, item_topics, tag_batch, topic_key
from cupure.analysis.trending import TrendCounter
from cupure.news.models import Article, CaseCount, Topic
from cupure.news.stories import assign_stories
from cupure.news.topics import refresh_bar, tag_topics

from .personas import outlet, publish


def tags_of(article) -> set[str]:
    return {t.name for t in Topic.objects.filter(article_topics__article=article)}


@pytest.fixture
def thrones_week(db):
    cache.clear()
    now = timezone.now()
    # Sentence-case reports write the show's name as one, and "banana" as a common noun.
    for n in range(4):
        publish(
            outlet(f"Outlet {n}"),
            f"Fans wait for the new season of Game of Thrones ({n})",
            "The final season of Game of Thrones airs in April, HBO said; its premiere had a cameo. Viewers bought a "
            "banana bread recipe.",
            at=now - timedelta(hours=30 + n),
        )
    # Today's Title Case headlines say nothing by their capitals.
    headlines = (
        "Game Of Thrones Premiere Breaks Record With Banana Cameo",
        "Game Of Thrones Season Opener Draws Record Crowd",
        "Fans Cheer As Game Of Thrones Returns To HBO",
    )
    for n in range(6):
        publish(outlet(f"Wire {n}"), f"{headlines[n % 3]}, Part {n}", at=now - timedelta(hours=2 + n / 10))
    assign_stories()
    while tag_topics():
        pass


def test_title_case_headlines_name_the_whole_work_and_no_common_noun(client, thrones_week):
    headline = Article.objects.filter(title__startswith="Game Of Thrones").first()
    names = tags_of(headline)
    assert "Game of Thrones" in names
    assert not {"Thrones", "Game", "Banana", "Premiere", "Cameo", "Record"} & names
    page = client.get(headline.get_absolute_url()).content.decode()
    assert ">Game of Thrones<" in page and ">Banana<" not in page
    # The evidence is kept for the next batches and for other workers.
    assert CaseCount.objects.get(key="banana").lowercase >= 4
    assert CaseCount.objects.get(key="game of throne").capitalised >= 4


def test_the_bar_says_the_whole_name(thrones_week):
    bar = refresh_bar(force=True)
    assert [b["name"] for b in bar][:1] == ["Game of Thrones"]


def test_initials_and_parts_of_a_name_fold_into_it():
    text = (
        "The crew of the International Space Station (ISS) returned on Friday. The Space Station had been "
        "their home for a year, said Chelsea Handler, who hosted the broadcast. Handler thanked NASA."
    )
    keys = tag_batch([item_topics("Crew returns to Earth", text)], Counter(), 0)[0]
    assert "international space station" in keys and "chelsea handler" in keys
    assert not {"iss", "space station", "handler"} & set(keys)
    # Punctuation ends a name: no "International Space Station ISS", no "Julian Assange Sweden".
    glued = item_topics("Assange appeal", "Lawyers for Julian Assange, Sweden and Ecuador met on Monday.")
    assert {"julian assange", "sweden", "ecuador"} <= set(glued.names)


def test_a_possessive_ends_a_name_that_another_follows():
    names = set(
        item_topics(
            "Interview",
            "Speaking to CNN's Jake Tapper on Sunday, a spokesman for the Cook County Medical Examiner's Office said "
            "the envoy of the People's Republic of China had left Netanyahu's Likud Party rally.",
        ).names
    )
    assert {"cnn", "jake tapper", "likud party", "cook county medical examiner office"} <= names
    assert {"people republic of china"} <= names
    assert not {"cnn jake tapper", "netanyahu likud party", "cook county medical examiner"} & names


def test_case_evidence_decides_once_seen_enough():
    book = CaseBook()
    lower = item_topics("The price of a banana rose", "He sold a banana. Then another banana.")
    tag_batch([lower], Counter(), 0, book=book)
    assert book.lowercase("banana") is True
    caps = item_topics(
        "Crisis talks on Ukraine", "Talks on Ukraine went on. Leaders met in Ukraine. They said Ukraine won."
    )
    tag_batch([caps], Counter(), 0, book=book)
    assert book.lowercase("ukraine") is False
    keys = tag_batch([item_topics("Banana Prices Soar As Ukraine Talks Stall")], Counter(), 0, book=book)[0]
    assert "ukraine" in keys and "banana" not in keys
    # Months and weekdays are capitalised and still no topic.
    assert "sunday" not in tag_batch([item_topics("Sunday Talks End", "Talks on Sunday ended.")], Counter(), 0)[0]


def test_one_event_told_as_two_stories_takes_one_place_on_the_bar():
    counter = TrendCounter(min_sources=2)
    for n in range(6):  # the show's end, most of its articles naming the host too
        counter.add("d", f"s{n}", f"a{n}", {"chelsea lately", "chelsea handler"} if n else {"chelsea lately"}, story=1)
    for n in range(4):
        counter.add("d", f"t{n}", f"b{n}", {"chelsea handler", "e"}, story=2)
    assert [t.key for t in counter.story_bar("d", [])] == ["chelsea lately"]


def test_the_longer_name_that_names_the_story_wins():
    counter = TrendCounter(min_sources=2)
    for n in range(5):
        counter.add("d", f"s{n}", f"a{n}", {"lena", "lena dunham"} if n < 3 else {"lena"}, story=1)
    assert [t.key for t in counter.story_bar("d", [])] == ["lena dunham"]


def test_an_established_phrase_is_a_topic_once_the_stream_writes_it_so():
    book = CaseBook()
    reports = [
        item_topics(f"UN report warns on climate change, part {n}", "Scientists said climate change is speeding up.")
        for n in range(12)
    ]
    tag_batch(reports, Counter(), 0, book=book)
    keys = tag_batch([item_topics("Climate Change Threatens Food Supply")], Counter(), 0, book=book)[0]
    assert "climate change" in keys and "climate" not in keys
    # Two words that each go with many others are no phrase, however often they meet.
    markets = [
        item_topics(
            "Shares fall on weak data",
            "Traders saw weak exports, weak demand, weak sales and weak prices; they read data on trade, data on "
            "jobs, data on wages and data from China.",
        )
        for _ in range(25)
    ]
    tag_batch(markets, Counter(), 0, book=book)
    assert not book.phrase("weak data")


def test_an_ampersand_stays_inside_a_name():
    names = set(item_topics("Box office", "The film Mr. Peabody & Sherman beat shares of Procter & Gamble.").names)
    assert {topic_key("Peabody & Sherman"), "procter gamble"} <= names
    assert not {"peabody", "sherman", "procter", "gamble"} & names


def test_a_headline_run_names_its_topic_over_two_of_its_words_paired():
    namer = TopicNamer()
    namer.see(item_topics("Fast & Furious 7 Tops the Box Office"))
    assert namer.name(topic_key("Fast & Furious")) == "Fast & Furious"


def test_an_agency_named_with_and_is_one_topic_when_its_initials_say_so():
    text = (
        "The Centers for Disease Control and Prevention (CDC) and the Food and Drug Administration met. The FDA "
        "said Obama and Putin had spoken."
    )
    keys = tag_batch([item_topics("Agencies meet", text)], Counter(), 0)[0]
    assert {topic_key("Centers for Disease Control and Prevention"), topic_key("Food and Drug Administration")} <= set(
        keys
    )
    assert {"obama", "putin"} <= set(keys)
    assert not {"prevention", "drug administration", "cdc", "fda", "obama and putin"} & set(keys)
    # Where an article does not write the initials, the stream's other articles have named it.
    book = CaseBook()
    tag_batch([item_topics("Agencies meet", text)] * 2, Counter(), 0, book=book)
    alone = item_topics("Masks", "A report by the Centers for Disease Control and Prevention said Obama and Putin met.")
    keys = tag_batch([alone], Counter(), 0, book=book)[0]
    assert topic_key("Centers for Disease Control and Prevention") in keys
    assert not {"prevention", "center for disease control", "obama and putin"} & set(keys)


def test_initials_and_their_expansion_are_one_topic_on_the_bar():
    counter = TrendCounter(min_sources=2)
    # A recall told as "GM" by a third of its reports and "General Motors" by another third: neither alone
    # names half of the story, the two together do.
    for n in range(9):
        keys = [{"gm"}, {"general motors"}, set()][n % 3] | {f"car{n}"}
        counter.add("d", f"s{n}", f"a{n}", keys, story=1)
    # The space station, by its whole name in one story and by its initials in another: one place on the bar.
    for n in range(6):
        counter.add("d", f"t{n}", f"b{n}", {"international space station"}, story=2)
    for n in range(5):
        counter.add("d", f"u{n}", f"c{n}", {"iss"}, story=3)
    keys = [t.key for t in counter.story_bar("d", [])]
    assert len({"gm", "general motors"} & set(keys)) == 1
    assert len({"iss", "international space station"} & set(keys)) == 1
