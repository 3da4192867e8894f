"""A busy day of full-text news, imported and clustered as the site does, read back through its pages.

The day is BASIL (../shared/data/clustering/fulltext/basil.jsonl): 100 events, each told by the New York
Times, Fox News and HuffPost. Forty events keep all three tellings, thirty keep two, the rest one, so the
day has biggest stories to find. A reader must see one event per story page, the lead's headline on it, and
the three-source events at the top of the home page, each once.
"""

import io
import json
import re
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.html import escape

from cupure.news.models import Article, Story
from cupure.news.stories import assign_stories

from .conftest import SHARED

BASIL = SHARED / "data" / "clustering" / "fulltext"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not (BASIL / "basil.jsonl").exists(), reason=f"no clustering data at {BASIL}"),
]


@pytest.fixture
def busy_day(tmp_path):
    rows = [json.loads(line) for line in open(BASIL / "basil.jsonl", encoding="utf-8")]
    gold = {r["id"]: r["cluster"] for r in map(json.loads, open(BASIL / "basil-gold.jsonl", encoding="utf-8"))}
    events = sorted({gold[r["id"]] for r in rows})
    keep = {e: 3 if i < 40 else 2 if i < 70 else 1 for i, e in enumerate(events)}
    kept, label_of = [], {}
    for r in rows:
        event = gold[r["id"]]
        if keep[event] > 0:
            keep[event] -= 1
            kept.append(r)
    start = timezone.now() - timedelta(hours=20)
    lines = []
    for n, r in enumerate(kept):  # the stream's order, spread over the last 20 hours
        url = f"https://{r['source'].lower().replace(' ', '')}.example/{n}"
        label_of[url] = gold[r["id"]]
        lines.append(
            json.dumps(
                {
                    "url": url,
                    "title": r["title"],
                    "source": r["source"],
                    "text": r["text"],
                    "published": (start + timedelta(seconds=n * 200)).isoformat(),
                }
            )
        )
    path = tmp_path / "day.jsonl"
    path.write_text("\n".join(lines))
    call_command("import_articles", str(path), "--quiet", stdout=io.StringIO(), stderr=io.StringIO())
    while assign_stories(batch=100):  # batches, as the worker takes them
        pass
    sources_of = Counter(label_of.values())
    return label_of, sources_of


def test_each_story_page_holds_one_event_under_its_leads_headline(client, busy_day):
    label_of, _ = busy_day
    stories = list(Story.objects.filter(merged_into__isnull=True, article_count__gte=2))
    assert len(stories) >= 60  # the 70 events told more than once
    pure = 0
    for story in stories:
        page = client.get(story.get_absolute_url()).content.decode()
        members = list(Article.objects.filter(story=story).values_list("url", "title"))
        assert all(escape(title) in page for _, title in members)  # the page lists every article it holds
        labels = Counter(label_of[u] for u, _ in members)
        pure += len(labels) == 1
        lead = Article.objects.get(pk=story.lead_id)
        assert lead.story_id == story.pk and story.headline == lead.title
        assert re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1).strip() == escape(lead.title)
    assert pure >= 0.9 * len(stories), f"{len(stories) - pure} of {len(stories)} story pages mix events"


def test_home_page_puts_the_biggest_stories_first_each_once(client, busy_day):
    label_of, sources_of = busy_day
    home = client.get("/").content.decode()
    top = home[home.index("Top stories") : home.index('<h2 class="page-title">Latest</h2>')]
    ids = list(dict.fromkeys(int(i) for i in re.findall(r'href="/story/(\d+)/', top)))
    assert len(ids) == 20
    events = []
    for pk in ids:
        urls = Article.objects.filter(story_id=pk).values_list("url", flat=True)
        events.append(Counter(label_of[u] for u in urls).most_common(1)[0][0])
    assert len(set(events)) == len(events), "an event appears twice among the top stories"
    three = sum(sources_of[e] == 3 for e in events)
    assert three >= 18, f"only {three} of the top 20 are events all three outlets covered"


def test_article_page_links_to_full_coverage(client, busy_day):
    story = Story.objects.filter(merged_into__isnull=True, source_count=3).first()
    article = Article.objects.filter(story=story).exclude(pk=story.lead_id).first()
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{story.get_absolute_url()}"' in page and "Full coverage: 3 sources" in page
