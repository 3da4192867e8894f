"""A page is rendered once for every reader with the same mutes; each reader's own parts (their name, their
buttons, their messages, the comment form with their CSRF token) are filled in for them at each request."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cupure.comments import actions
from cupure.readers.models import Saved

from .personas import outlet, publish, reader

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_readers_share_the_page_but_each_gets_their_own_parts():
    art = publish(outlet("City Times", slug="city"), "Tram approved")
    ann, bob = reader("ann"), reader("bob", staff=True)
    Saved.objects.create(user=ann, article=art)
    as_ann, as_bob = signed_in(ann), signed_in(bob)
    page = as_ann.get(f"/article/{art.pk}/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        other = as_bob.get(f"/article/{art.pk}/").content.decode()
    # Bob's page came from the one ann's request made: the article itself was not read again.
    assert not any("news_article" in q["sql"] for q in queries.captured_queries)
    assert ">ann</a>" in page and ">bob</a>" not in page and "Moderation" not in page
    assert ">bob</a>" in other and ">ann</a>" not in other and "Moderation" in other
    assert "Saved ✓" in page and "Saved ✓" not in other and "Read later</button>" in other
    assert "Tram approved" in page and "Tram approved" in other
    for html in (page, other):
        assert "<!--hole:" not in html  # no marker reaches a reader
    # Each reader's forms carry their own token, and it works.
    answer = as_bob.post("/you/save/", {"kind": "article", "id": art.pk, "csrfmiddlewaretoken": token(other)})
    assert answer.status_code == 302
    assert Saved.objects.filter(user=bob, article=art).exists()
    refused = as_bob.post("/you/save/", {"kind": "article", "id": art.pk, "csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403


def test_a_message_is_for_its_reader_once():
    art = publish(outlet("City Times", slug="city"), "Tram approved")
    ann, bob = signed_in(reader("ann")), signed_in(reader("bob"))
    page = ann.get(f"/article/{art.pk}/").content.decode()
    ann.post("/you/save/", {"kind": "article", "id": art.pk, "csrfmiddlewaretoken": token(page)})
    assert "Saved to Read later." in ann.get(f"/article/{art.pk}/").content.decode()
    assert "Saved to Read later." not in bob.get(f"/article/{art.pk}/").content.decode()
    assert "Saved to Read later." not in ann.get(f"/article/{art.pk}/").content.decode()


def test_each_comment_form_is_new_and_posts():
    art = publish(outlet("City Times", slug="city"), "Tram approved")
    ann = signed_in(reader("ann"))
    nonce = r'name="nonce" value="([0-9a-f]{32})"'
    first, second = (ann.get(f"/article/{art.pk}/").content.decode() for _ in range(2))
    assert re.search(nonce, first).group(1) != re.search(nonce, second).group(1)
    form = {"body": "Good news.", "nonce": re.search(nonce, second).group(1), "csrfmiddlewaretoken": token(second)}
    assert ann.post(f"/comments/post/article/{art.pk}/", form).status_code == 302
    assert "Good news." in ann.get(f"/article/{art.pk}/").content.decode()


def test_a_thread_is_each_readers_own():
    art = publish(outlet("City Times", slug="city"), "Tram approved")
    ann, bob = reader("ann"), reader("bob")
    actions.post(user=ann, target=art, body="First!", nonce="1", address="127.0.0.1")
    mine, theirs = (signed_in(u).get(f"/article/{art.pk}/").content.decode() for u in (ann, bob))
    assert "First!" in mine and "First!" in theirs
    assert "Delete</button>" in mine and "Delete</button>" not in theirs  # ann's own comment
    assert "Like</button>" in theirs and "Like</button>" not in mine
