"""A quiet day (a Sunday hears from a fraction of a weekday's sources) still has a bar: each topic is expected
in proportion to how much news the day holds, so the day's biggest story rises even when fewer sources tell
it than told it each busy day before; a busy day expects no more than usual."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cupure.analysis.trending import TrendCounter
from cupure.news.models import Article
from cupure.news.topics import _volume, compute_bar, why

from .personas import outlet, publish


def weekdays_then_sunday(counter: TrendCounter, sunday_sources: int) -> list[str]:
    days = [f"2026-11-{n:02d}" for n in range(2, 10)]
    for i, d in enumerate(days[:-1]):  # 100 sources a day, 30 of them on the long-running search
        for s in range(100):
            keys = {"flight search"} if s < 30 else {f"other{i}-{s}"}
            counter.add(d, f"paper{s}", f"{d}-{s}", keys, story="search" if s < 30 else f"{d}-{s}")
    for s in range(sunday_sources):  # Sunday: 20 sources in all, 12 on the search
        keys = {"flight search"} if s < 12 else {f"sunday-{s}"}
        counter.add(days[-1], f"paper{s}", f"sun-{s}", keys, story="search-sunday" if s < 12 else f"sun-{s}")
    return days


def test_the_biggest_story_of_a_quiet_day_is_on_its_bar():
    counter = TrendCounter()
    days = weekdays_then_sunday(counter, sunday_sources=20)
    assert counter.volume(days[-1], days[:-1]) == pytest.approx(0.2)
    bar = counter.story_bar(days[-1], days[:-1])
    assert [t.key for t in bar] == ["flight search"]
    assert bar[0].sources == 12 and bar[0].usual == 30
    # and what its tooltip says, honestly: fewer sources than usual, many for the day.
    assert why(bar[0].sources, bar[0].usual, 7) == "12 sources in 24 h, many for a quiet day (30 on a usual day)"
    assert why(31, 2, 7) == "31 sources in 24 h, up from 2 a day"


def test_a_busy_day_expects_no_more_than_usual():
    counter = TrendCounter()
    days = [f"2026-11-{n:02d}" for n in range(2, 4)]
    for s in range(5):
        counter.add(days[0], f"paper{s}", f"a{s}", {"eruption"}, story="volcano")
    for s in range(50):  # ten times the sources, eight of them on the eruption: still a rise from five
        counter.add(days[1], f"paper{s}", f"b{s}", {"eruption"} if s < 8 else {f"b{s}"}, story="v2" if s < 8 else s)
    assert [t.key for t in counter.story_bar(days[1], days[:1])] == ["eruption"]


@pytest.mark.django_db
def test_the_site_weighs_the_window_against_a_usual_day():
    now = timezone.now()
    for n in range(10):  # ten sources a day, last week
        for back in range(2, 8):
            publish(outlet(f"Paper {n}"), f"Report {n} {back}", at=now - timedelta(days=back, hours=1))
    for n in range(3):  # three today
        publish(outlet(f"Paper {n}"), f"Today {n}", at=now - timedelta(hours=1))
    start = now - timedelta(days=8)
    # Six days of ten sources over the seven-day baseline: 60 / 7 a usual day; three today.
    assert _volume(now, start) == pytest.approx(3 / (60 / 7))
    Article.objects.all().delete()
    assert _volume(now, start) == 1.0  # no history: nothing to weigh against
    assert compute_bar(now) == []
