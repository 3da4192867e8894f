"""Sections: URL hints, and the classifier trained on labelled articles (`cupure sections`)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from cupure.analysis.sections import SectionModel, section_from_url

SPORT = [
    "Striker scores twice as United beat City in derby",
    "Coach praises defence after cup final win",
    "Tennis champion reaches semi-final at open",
    "Goalkeeper saves penalty to win league match",
    "Olympic sprinter sets new world record in final",
    "Captain injured ahead of cup tie against rivals",
]
MONEY = [
    "Shares fall as central bank raises interest rates",
    "Oil prices climb on supply fears, markets rally",
    "Company profits beat forecasts as sales grow",
    "Inflation slows, easing pressure on rates and shares",
    "Bank reports record profit on higher lending",
    "Stock market slides as investors fear recession",
]


def test_url_path_hints():
    assert section_from_url("https://www.bbc.co.uk/sport/football/123") == "sports"
    assert section_from_url("https://ex.org/world/europe/story") == "world"
    assert section_from_url("https://ex.org/2026/11/some-story") == ""


def test_model_learns_sections_with_confidence():
    model = SectionModel().fit(
        [(t, "") for t in SPORT + MONEY] * 2, ["sports"] * 6 + ["business"] * 6 + ["sports"] * 6 + ["business"] * 6
    )
    (s1, c1), (s2, c2) = model.predict(
        [("Striker injured before the cup final", ""), ("Shares rally as profits beat forecasts", "")]
    )
    assert (s1, s2) == ("sports", "business") and 0.5 < c1 <= 1 and 0.5 < c2 <= 1


def test_one_section_is_not_enough():
    with pytest.raises(ValueError, match="two sections"):
        SectionModel().fit([("a", ""), ("b", "")], ["sports", "sports"])


def test_sections_command(tmp_path, capsys):
    train = tmp_path / "train.jsonl"
    train.write_text(
        "\n".join(
            [json.dumps({"id": i, "title": t, "section": "sports"}) for i, t in enumerate(SPORT * 2)]
            + [json.dumps({"id": 100 + i, "title": t, "section": "business"}) for i, t in enumerate(MONEY * 2)]
            + ["{broken", json.dumps({"id": 7, "title": "no section"})]
        )
    )
    inp = tmp_path / "in.jsonl"
    inp.write_text(
        "\n".join(
            [
                json.dumps({"id": "a", "title": "Derby win for United as striker scores", "text": "The coach said"}),
                json.dumps({"id": "b", "title": "Markets fall as bank raises rates"}),
                "[]",
            ]
        )
    )
    err = io.StringIO()
    call_command("sections", str(inp), train=str(train), stderr=err)
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(o["id"], o["section"]) for o in out] == [("a", "sports"), ("b", "business")]
    assert all(0 < o["confidence"] <= 1 for o in out)
    assert "line 25: not valid JSON" in err.getvalue() and "line 26: 'section' is missing" in err.getvalue()
    assert "in.jsonl: line 3" in err.getvalue()
    with pytest.raises(CommandError, match="cannot read"):
        call_command("sections", str(inp), train=str(tmp_path / "missing.jsonl"))


@pytest.mark.django_db
def test_unfiled_articles_get_a_section_from_the_sites_own_labels():
    from datetime import timedelta

    from django.utils import timezone

    from cupure.news.models import Section
    from cupure.news.sectioning import classify_sections
    from cupure.sources.models import Source

    from .personas import publish

    src = Source.objects.create(name="S", slug="s")
    sports, business = Section.objects.get(slug="sports"), Section.objects.get(slug="business")
    minutes = iter(range(1, 1000))

    def art(title, **kw):
        return publish(src, title, at=timezone.now() - timedelta(minutes=next(minutes)), **kw)

    assert classify_sections() == 0  # no labels yet: nothing is guessed
    for t in SPORT * 4:
        art(t, section=sports, section_origin="feed")
    for t in MONEY * 4:
        art(t, section=business, section_origin="url")
    match = art("Striker scores in cup final as United win derby")
    money = art("Shares slide as bank raises interest rates")
    unsure = art("Weather forecast for the weekend")
    assert classify_sections() == 3
    match.refresh_from_db()
    money.refresh_from_db()
    unsure.refresh_from_db()
    assert (match.section, match.section_origin) == (sports, "model") and match.section_confidence >= 0.6
    assert money.section == business
    assert unsure.section is None and unsure.section_origin == "model"  # too unsure to file
    assert classify_sections() == 0  # each article is examined once
