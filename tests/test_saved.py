"""Read later: save articles and stories from their pages, find them on /saved/, remove them, take them
away as JSON."""

import json

import pytest

from cupure.readers.models import Saved

from .personas import news_day, reader

pytestmark = pytest.mark.django_db


def test_save_list_remove_and_export(client):
    outlets, stories = news_day()
    ana = reader("ana")
    client.force_login(ana)
    story = stories["turkey"]
    art = story.lead
    assert "Read later</button>" in client.get(art.get_absolute_url()).content.decode()

    client.post("/you/save/", {"kind": "article", "id": art.pk, "next": art.get_absolute_url()})
    client.post("/you/save/", {"kind": "story", "id": story.pk})
    client.post("/you/save/", {"kind": "story", "id": story.pk})  # saved once
    assert "Saved ✓" in client.get(art.get_absolute_url()).content.decode()
    page = client.get("/saved/").content.decode()
    assert page.count(art.title) >= 1 and story.headline in page and f"Story · {story.source_count} sources" in page

    exported = json.loads(client.get("/saved/export.json").content)["saved"]
    assert {(i["kind"], i["id"]) for i in exported} == {("article", art.pk), ("story", story.pk)}
    assert all(i["url"].startswith("http://testserver/") for i in exported)

    client.post("/you/save/", {"kind": "article", "id": art.pk, "action": "unsave"})
    assert list(Saved.objects.filter(user=ana).values_list("story_id", flat=True)) == [story.pk]
    assert "Read later</button>" in client.get(art.get_absolute_url()).content.decode()


def test_saved_is_private(client):
    outlets, stories = news_day()
    ana, bo = reader("ana"), reader("bo")
    Saved.objects.create(user=ana, story=stories["geldof"])
    client.force_login(bo)
    assert stories["geldof"].headline not in client.get("/saved/").content.decode()
    assert json.loads(client.get("/saved/export.json").content) == {"saved": []}
    client.logout()
    assert client.get("/saved/").status_code == 302
