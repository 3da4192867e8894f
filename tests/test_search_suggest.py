"""A search that finds nothing because of a typo suggests the spelling the site knows from its topics."""

import pytest

from cupure.news.models import Topic

from .personas import outlet, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    publish(outlet("City Times"), "Maya Angelou dies at 86", "The poet Maya Angelou died at home.")
    publish(outlet("City Times"), "Childhood obesity rates fall", "Obesity fell among children.")
    Topic.objects.create(key="maya angelou", name="Maya Angelou", slug="maya-angelou", mentions=110)
    Topic.objects.create(key="childhood obesity", name="childhood obesity", slug="childhood-obesity", mentions=12)


def test_a_misspelt_name_suggests_the_topic(client, known):
    page = client.get("/search/?q=mya+angelo").content.decode()
    assert "No articles match" in page
    assert 'Did you mean <a href="?q=Maya+Angelou"><strong>Maya Angelou</strong></a>?' in page
    assert "Maya Angelou dies" in client.get("/search/?q=Maya+Angelou").content.decode().replace("<mark>", "").replace(
        "</mark>", ""
    )


def test_a_misspelt_word_is_respelt(client, known):
    page = client.get("/search/?q=obsity+rates").content.decode()
    assert "Did you mean" in page and "<strong>obesity rates</strong>" in page


def test_no_suggestion_when_nothing_is_close_or_something_was_found(client, known):
    assert "Did you mean" not in client.get("/search/?q=zzyzx+qwerty").content.decode()
    assert "Did you mean" not in client.get("/search/?q=obesity").content.decode()
