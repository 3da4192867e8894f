"""The digest: daily or weekly by email, of the biggest stories on what the reader follows since the last
one, muted things never, each story once; sent by the worker at most once per period; one-click signed
unsubscribe; plain text and HTML."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from cupure.accounts.models import Profile
from cupure.news.models import Topic
from cupure.readers.digest import send_due_digests, unsubscribe_token
from cupure.readers.models import Follow, Mute

from .personas import news_day, reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscriber():
    outlets, stories = news_day()
    ana = reader("ana")
    Profile.objects.filter(user=ana).update(digest=Profile.Digest.DAILY)
    for name in ("Peaches Geldof", "Twitter"):
        Follow.objects.create(user=ana, topic=Topic.objects.get(name=name))
    Follow.objects.create(user=ana, story=stories["geldof"])
    return ana, stories


def test_daily_digest_of_followed_stories_biggest_first(subscriber, settings):
    ana, stories = subscriber
    settings.SITE_URL = "https://news.example.org"
    assert send_due_digests() == 1
    (msg,) = mail.outbox
    assert msg.to == ["ana@example.org"] and msg.subject.startswith("Your cupure day: ")
    text = msg.body
    assert text.count(stories["geldof"].headline) == 1  # followed twice over, listed once
    assert text.index(stories["turkey"].headline) < text.index("Turkish users dodge")  # 3 sources before 1
    assert "https://news.example.org" + stories["geldof"].get_absolute_url() in text
    html, kind = msg.alternatives[0]
    assert kind == "text/html" and stories["geldof"].headline in html
    assert msg.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/you/unsubscribe/" in msg.extra_headers["List-Unsubscribe"]


def test_at_most_once_a_period_and_again_the_next(subscriber):
    ana, stories = subscriber
    now = timezone.now()
    assert send_due_digests(now) == 1
    assert send_due_digests(now + timedelta(hours=6)) == 0
    assert send_due_digests(now + timedelta(hours=23, minutes=50)) == 0  # nothing new since: no empty email
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)  # the senders' own connections must see the reader
def test_two_senders_at_once_send_one_digest(subscriber, settings):
    if connection.vendor == "sqlite":
        pytest.skip("needs concurrent connections: PostgreSQL (CUPURE_TEST_DATABASE_URL) runs it")
    results = []

    def run():
        results.append(send_due_digests())
        connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == 1 and len(mail.outbox) == 1


def test_muted_never_and_nothing_followed_no_email(subscriber):
    ana, stories = subscriber
    Mute.objects.create(user=ana, phrase="geldof")
    send_due_digests()
    (msg,) = mail.outbox
    assert "Geldof" not in msg.body and stories["turkey"].headline in msg.body
    bo = reader("bo")
    Profile.objects.filter(user=bo).update(digest=Profile.Digest.WEEKLY)
    mail.outbox.clear()
    assert send_due_digests() == 0 and not mail.outbox


def test_unsubscribe_link_and_one_click_post(client, subscriber):
    ana, stories = subscriber
    page = client.get(f"/you/unsubscribe/{unsubscribe_token(ana)}/")
    assert page.status_code == 200 and "no more digest emails" in page.content.decode()
    assert Profile.of(ana).digest == Profile.Digest.OFF
    Profile.objects.filter(user=ana).update(digest=Profile.Digest.WEEKLY)
    assert client.post(f"/you/unsubscribe/{unsubscribe_token(ana)}/").status_code == 200
    assert Profile.objects.get(user=ana).digest == Profile.Digest.OFF
    bad = client.get(f"/you/unsubscribe/{unsubscribe_token(ana)}x/")
    assert bad.status_code == 404 and "does not work" in bad.content.decode()


def test_digest_is_chosen_in_settings(client, subscriber):
    ana, stories = subscriber
    client.force_login(ana)
    page = client.get("/accounts/settings/").content.decode()
    assert 'name="digest"' in page and "Weekly" in page
    client.post("/accounts/settings/", {"about": "", "email": "ana@example.org", "digest": "weekly"})
    assert Profile.objects.get(user=ana).digest == "weekly"
