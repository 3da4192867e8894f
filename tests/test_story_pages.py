"""Stories on the site: one entry per event, its coverage by source, a stable and redirecting URL."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cupure.news.models import Article, JobState, Story
from cupure.news.stories import assign_stories, choose_lead

from .headlines import EVENT_A
from .personas import outlet
from .personas import publish as publish_article

pytestmark = pytest.mark.django_db


def publish(source, title, minutes_ago, words=200, origin="page"):
    return publish_article(
        source,
        title,
        at=timezone.now() - timedelta(minutes=minutes_ago),
        word_count=words,
        content_origin=origin,
        summary=f"Summary of {title}",
    )


@pytest.fixture
def coverage():
    """Four outlets on the Turkey Twitter ban, one on something else."""
    outlets = [outlet(n) for n in ("Daily Planet", "Gotham Gazette", "Metropolis Post", "Star City Sun")]
    arts = [publish(o, t, 60 - 10 * i, words=40 if i == 0 else 300) for i, (o, t) in enumerate(zip(outlets, EVENT_A))]
    other = publish(outlet("Quiet Times"), "Local bakery wins national bread award", 5)
    return outlets, arts, other


def test_coverage_of_one_event_becomes_one_story(coverage):
    outlets, arts, other = coverage
    assert assign_stories() == 5
    story_ids = {a.story_id for a in Article.objects.filter(pk__in=[a.pk for a in arts])}
    assert len(story_ids) == 1
    story = Story.objects.get(pk=story_ids.pop())
    assert story.source_count == 4 and story.article_count == 4
    # The earliest article is a 40-word teaser: the lead is a full report, and the headline is the lead's.
    assert story.lead_id in {a.pk for a in arts[1:]}
    assert story.headline == Article.objects.get(pk=story.lead_id).title
    assert Article.objects.get(pk=other.pk).story_id != story.pk
    assert assign_stories() == 0  # nothing left to assign


def test_story_page_and_home(client, coverage):
    outlets, arts, other = coverage
    assign_stories()
    story = Story.objects.get(pk=Article.objects.get(pk=arts[0].pk).story_id)
    page = client.get(story.get_absolute_url()).content.decode()
    assert "4 sources" in page and "Coverage" in page and "Timeline" in page
    for o in outlets:
        assert o.name in page
    assert page.index(EVENT_A[0]) < page.rindex(EVENT_A[3])  # timeline runs from first report to latest
    home = client.get("/").content.decode()
    assert "Top stories" in home and story.get_absolute_url() in home and "4 sources" in home
    assert "Local bakery wins national bread award" in home  # single-source articles still appear
    others = home[home.index("Top stories") : home.index('<h2 class="page-title">Latest</h2>')]
    assert sum(o.name in others for o in outlets) >= 3  # the card names other sources' headlines


def test_one_job_at_a_time(coverage):
    JobState.objects.create(name="stories", locked_until=timezone.now() + timedelta(minutes=5))
    assert assign_stories() == 0
    assert not Article.objects.filter(story__isnull=False).exists()


def test_restart_continues_the_same_stories(coverage):
    outlets, arts, other = coverage
    assign_stories()
    first = Article.objects.get(pk=arts[0].pk).story_id
    late = publish(outlet("Coast City Courier"), "Turkey Twitter ban: Erdogan defends block before elections", 1)
    assign_stories()  # a fresh clusterer, loaded from the saved state
    assert Article.objects.get(pk=late.pk).story_id == first
    assert Story.objects.get(pk=first).source_count == 5


def test_merged_story_url_redirects(client, coverage):
    outlets, arts, other = coverage
    assign_stories()
    keep = Story.objects.get(pk=Article.objects.get(pk=arts[0].pk).story_id)
    gone = Story.objects.create(
        id=keep.pk + 1000, headline="Old", first_seen=timezone.now(), last_updated=timezone.now(), merged_into=keep
    )
    response = client.get(gone.get_absolute_url())
    assert response.status_code == 301 and response["Location"] == keep.get_absolute_url()


def test_lead_rule_falls_back_to_the_earliest():
    src = outlet("Only Teasers")
    a, b = publish(src, "Teaser one", 30, words=20, origin="feed"), publish(src, "Teaser two", 10, words=30)
    assert choose_lead([b, a]) == a


def test_section_page_lists_its_stories(client, coverage):
    from cupure.news.models import Section

    outlets, arts, other = coverage
    world = Section.objects.get(slug="world")
    Article.objects.filter(pk__in=[a.pk for a in arts]).update(section=world)
    assign_stories()
    page = client.get("/section/world/").content.decode()
    assert "Top stories" in page and "4 sources" in page
    assert "Top stories" not in client.get("/section/sports/").content.decode()
