"""Personal feeds: For you and Read later as RSS, Atom and JSON Feed at a secret address that can be reset."""

import pytest

from cupure.accounts.models import Profile
from cupure.news.models import Topic
from cupure.readers.models import Follow, Mute, Saved

from .personas import news_day, reader

pytestmark = pytest.mark.django_db


def test_for_you_and_saved_feeds_at_a_secret_address(client):
    outlets, stories = news_day()
    ana = reader("ana")
    Follow.objects.create(user=ana, topic=Topic.objects.get(name="Peaches Geldof"))
    Saved.objects.create(user=ana, article=stories["turkey"].lead)
    Mute.objects.create(user=ana, phrase="crypto")
    client.force_login(ana)
    settings_page = client.get("/accounts/settings/").content.decode()
    key = Profile.objects.get(user=ana).feed_key
    assert len(key) >= 20 and f"/you/{key}/for-you/rss/" in settings_page
    client.logout()  # a feed reader app has no session

    rss = client.get(f"/you/{key}/for-you/rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert stories["geldof"].headline in body and "You follow Peaches Geldof" in body and "Crypto" not in body
    feed = client.get(f"/you/{key}/saved/json/").json()
    assert [i["title"] for i in feed["items"]] == [stories["turkey"].lead.title]
    assert client.get(f"/you/{key}/saved/atom/").status_code == 200

    client.force_login(ana)
    client.post("/you/feed-key/")
    client.logout()
    assert client.get(f"/you/{key}/for-you/rss/").status_code == 404
    assert client.get(f"/you/{'x' * 32}/for-you/rss/").status_code == 404
    new_key = Profile.objects.get(user=ana).feed_key
    assert new_key != key and client.get(f"/you/{new_key}/for-you/rss/").status_code == 200
