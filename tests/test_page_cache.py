"""Anonymous readers get cached pages; any change readers would see retires them; signed-in readers get pages of
their own around shared fragments."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cupure.comments import actions
from cupure.news.models import Article
from cupure.ops import pagecache
from cupure.readers.models import Mute

from .personas import outlet, publish, reader

# Transactional: pages are retired when a change commits (pagecache.bump waits for the commit).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True


def publish_now(title):
    return publish(outlet("City Times", slug="city"), title)


def test_a_cached_page_costs_one_query():
    publish_now("Tram approved")
    anon = Client()
    first = anon.get("/").content
    with CaptureQueriesContext(connection) as queries:
        again = anon.get("/").content
    assert again == first and len(queries) == 1  # the content generation, nothing else


def test_new_content_retires_the_cache():
    art = publish_now("Tram approved")
    anon = Client()
    assert "Tram approved" in anon.get("/").content.decode()
    publish_now("Bridge closed")
    assert "Bridge closed" in anon.get("/").content.decode()
    art.title = "Tram approved, at last"
    art.save()
    assert "Tram approved, at last" in anon.get(f"/article/{art.pk}/").content.decode()


def test_comments_and_likes_retire_the_cache():
    art = publish_now("Tram approved")
    anon = Client()
    assert "No comments yet" in anon.get(f"/article/{art.pk}/").content.decode()
    ann, bob = reader("ann"), reader("bob")
    comment, _, _ = actions.post(user=ann, target=art, body="Good.", nonce="1", address="127.0.0.1")
    assert "Good." in anon.get(f"/article/{art.pk}/").content.decode()
    actions.like(comment, bob)
    assert "1 like" in anon.get(f"/article/{art.pk}/").content.decode()
    actions.remove(comment, bob, "test")
    assert "Good." not in anon.get(f"/article/{art.pk}/").content.decode()


def test_signed_in_readers_share_the_costly_middle_but_get_their_own_page():
    """A signed-in reader's page is rendered for them (their name, their buttons, their CSRF token); the lists
    in its middle are rendered once per content generation for every reader with the same mutes."""
    art = publish_now("Tram approved")
    ann, bob = Client(), Client()
    ann.force_login(reader("ann"))
    bob.force_login(reader("bob"))
    first = ann.get("/").content.decode()
    assert "Tram approved" in first and ">ann</a>" in first
    Article.objects.filter(pk=art.pk).update(title="Changed without a signal")  # nothing bumps the generation
    page = bob.get("/").content.decode()
    assert ">bob</a>" in page and ">ann</a>" not in page
    assert "Tram approved" in page  # the shared middle, until the content changes
    pagecache.bump()
    assert "Changed without a signal" in ann.get("/").content.decode()
    assert "Changed without a signal" in Client().get("/").content.decode()
    Mute.objects.create(user=User.objects.get(username="bob"), phrase="signal")
    assert "Changed without a signal" not in bob.get("/").content.decode()  # bob's mutes: a middle of his own
    assert "Changed without a signal" in ann.get("/").content.decode()


def test_per_reader_pages_are_never_cached():
    """Search pages and forms are rendered for each request: a search reads what was typed (and would fill the
    cache with every query ever typed), a form carries its reader's CSRF token."""
    publish_now("Tram approved")
    anon = Client()
    anon.get("/search/?q=tram")
    with CaptureQueriesContext(connection) as queries:
        anon.get("/search/?q=tram")
    assert len(queries) > 1  # searched again, not served from the cache
    first, second = Client(), Client()
    token = [c.get("/accounts/login/").cookies["csrftoken"].value for c in (first, second)]
    assert token[0] != token[1]
