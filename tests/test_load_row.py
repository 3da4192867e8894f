"""A row read past the ORM on every request (the signed-in reader, their visit to a story) has exactly the
values the ORM would give it: aware datetimes, real booleans, the right row or none."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict
from django.utils import timezone

from cupure.lib.db import load
from cupure.news.models import Story
from cupure.readers.models import StoryVisit

from .personas import reader

pytestmark = pytest.mark.django_db


def test_a_reader_loads_as_the_orm_loads_them():
    alice = reader("alice", staff=True)
    alice.last_login = timezone.now() - timedelta(hours=3)
    alice.save()
    reader("bob")
    User = get_user_model()
    loaded = load(User, pk=alice.pk)
    orm = User.objects.get(pk=alice.pk)
    assert model_to_dict(loaded) == model_to_dict(orm)
    assert loaded.is_staff is True and loaded.is_superuser is False
    assert loaded.last_login == orm.last_login and timezone.is_aware(loaded.last_login)
    assert loaded.check_password("correct horse battery staple")
    assert load(User, pk=10_000) is None


def test_a_visit_is_found_by_its_reader_and_story():
    alice, bob = reader("alice"), reader("bob")
    now = timezone.now()
    story = Story.objects.create(id=1, headline="Storm reaches the coast", first_seen=now, last_updated=now)
    seen = now - timedelta(days=2)
    StoryVisit.objects.create(user=alice, story=story, seen_at=seen)
    assert load(StoryVisit, user_id=alice.pk, story_id=story.pk).seen_at == seen
    assert load(StoryVisit, user_id=bob.pk, story_id=story.pk) is None
