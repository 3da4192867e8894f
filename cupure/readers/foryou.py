"""For you: the stories from what a reader follows, newest first, then the top stories; each with why it is
there and how many of its articles arrived since the reader last looked. The page, the reader's personal
feed and the digest all read it from here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from cupure.news.models import Article, ArticleTopic, Story
from cupure.news.stories import top_stories, with_coverage

from . import screen
from .models import Follow, StoryVisit
from .mutes import MuteRules

WINDOW = timedelta(days=7)
MAX_MATCHED = 1000  # followed articles read per page: the newest, which is what the page shows
MAX_ENTRIES = 30


@dataclass
class Entry:
    """One card: a story (with its other coverage), or an article that belongs to no story yet."""

    story: Story | None = None
    article: Article | None = None
    story_id: int | None = None
    article_id: int | None = None
    others: list = field(default_factory=list)
    why: list[str] = field(default_factory=list)
    new: int = 0
    latest: datetime | None = None

    @property
    def key(self) -> tuple[str, int]:
        return ("story", self.story.pk) if self.story else ("article", self.article.pk)


def follows_of(user) -> list[Follow]:
    return list(Follow.objects.filter(user=user).select_related("topic", "source", "section", "story"))


def _names(follows: list[Follow]) -> dict[str, dict[int, str]]:
    out: dict[str, dict[int, str]] = {"topic": {}, "source": {}, "section": {}, "story": {}}
    for f in follows:
        target = f.target
        # A followed story is the card itself: "You follow this story", not its headline twice.
        out[f.kind][target.pk] = "this story" if f.kind == "story" else target.name
    return out


def followed(
    user,
    rules: MuteRules,
    *,
    since: datetime | None,
    now: datetime | None = None,
    start: datetime | None = None,
    hidden: screen.Hidden | None = None,
    limit: int = MAX_ENTRIES,
    follows: list[Follow] | None = None,
) -> list[Entry]:
    """The newest stories (and story-less articles) from what ``user`` follows, published from ``start``
    (default: a week before ``now``) to ``now``, muted ones left out. ``since``: articles stored after it
    count as new (None: nothing is new, a first visit). ``follows``: the reader's, if the caller has them."""
    now = now or timezone.now()
    names = _names(follows_of(user) if follows is None else follows)
    if not any(names.values()):
        return []
    start = start or now - WINDOW
    match = Q(source_id__in=list(names["source"])) | Q(section_id__in=list(names["section"]))
    match |= Q(story_id__in=list(names["story"]))
    if names["topic"]:
        match |= Q(
            id__in=ArticleTopic.objects.filter(topic_id__in=list(names["topic"]), published_at__gte=start).values(
                "article_id"
            )
        )
    rows = list(
        Article.objects.visible()
        .filter(match, published_at__gte=start, published_at__lte=now)
        .order_by("-published_at", "-id")
        .values("id", "story_id", "source_id", "section_id", "published_at")[:MAX_MATCHED]
    )
    topics_of: dict[int, list[int]] = {}
    if names["topic"]:
        for article_id, topic_id in ArticleTopic.objects.filter(
            article_id__in=[r["id"] for r in rows], topic_id__in=list(names["topic"])
        ).values_list("article_id", "topic_id"):
            topics_of.setdefault(article_id, []).append(topic_id)

    entries: dict[tuple[str, int], Entry] = {}
    for r in rows:
        key = ("story", r["story_id"]) if r["story_id"] else ("article", r["id"])
        e = entries.get(key)
        if e is None:
            if len(entries) >= limit * 2:  # enough candidates for a page, even after mutes
                continue
            e = entries[key] = Entry(
                latest=r["published_at"], story_id=r["story_id"], article_id=None if r["story_id"] else r["id"]
            )
        reasons = [names["topic"][t] for t in topics_of.get(r["id"], [])]
        reasons += [
            names[kind][r[f"{kind}_id"]] for kind in ("story", "source", "section") if r[f"{kind}_id"] in names[kind]
        ]
        for name in reasons:
            if name not in e.why:
                e.why.append(name)
    return _materialise(list(entries.values()), rules, user, since, hidden)[:limit]


def _materialise(entries: list[Entry], rules: MuteRules, user, since, hidden) -> list[Entry]:
    story_ids = [e.story_id for e in entries if e.story_id]
    stories = Story.objects.select_related("lead__source", "section").in_bulk(story_ids)
    for_cards = [stories[i] for i in story_ids if i in stories and not stories[i].merged_into_id]
    pairs = dict((s.pk, (s, others)) for s, others in screen.stories(rules, with_coverage(for_cards), hidden))
    loose = {
        a.pk: a for a in Article.objects.latest().in_bulk([e.article_id for e in entries if e.article_id]).values()
    }
    shown_loose = {a.pk for a in screen.articles(rules, loose.values(), hidden)}
    out = []
    for e in entries:
        if e.story_id:
            if e.story_id not in pairs:
                continue
            e.story, e.others = pairs[e.story_id]
        else:
            if e.article_id not in shown_loose:
                continue
            e.article = loose[e.article_id]
        out.append(e)
    count_new([e for e in out if e.story], user, since)
    return out


def count_new(entries: list[Entry], user, since: datetime | None) -> None:
    """Set each story entry's ``new``: its articles stored after the reader last opened the story, or else
    after ``since`` (their last look at For you). A story never looked at on a first visit has none new."""
    if not entries:
        return
    ids = [e.story.pk for e in entries]
    seen = dict(StoryVisit.objects.filter(user=user, story_id__in=ids).values_list("story_id", "seen_at"))
    marks = {i: seen.get(i, since) for i in ids}
    if all(m is None for m in marks.values()):
        return
    counts: dict[int, int] = {}
    # Read along the (story, published_at) index and compared here: filtered on fetched_at in SQL, SQLite
    # scans every article (48 ms on 100,000).
    rows = Article.objects.filter(story_id__in=ids).order_by("story_id", "published_at")
    for story_id, fetched, copy_of in rows.values_list("story_id", "fetched_at", "duplicate_of_id"):
        mark = marks[story_id]
        if copy_of is None and mark is not None and fetched > mark:
            counts[story_id] = counts.get(story_id, 0) + 1
    for e in entries:
        e.new = counts.get(e.story.pk, 0)


def top_up(entries: list[Entry], rules: MuteRules, hidden: screen.Hidden | None = None, n: int = 20) -> list[Entry]:
    """The top stories that ``entries`` does not already hold, as entries saying why they are there."""
    have = {e.key for e in entries}
    out = []
    for story, others in screen.stories(rules, with_coverage(top_stories(limit=n)), hidden):
        if ("story", story.pk) not in have:
            out.append(Entry(story=story, others=others, why=[], latest=story.last_updated))
    return out


def new_per_follow(follows: list[Follow], since: datetime | None, now: datetime | None = None) -> None:
    """Set each follow's ``new``: the articles about it published since ``since`` (the reader's last look at
    For you; nothing on a first visit), at most a week back. One grouped query per kind, each on its index."""
    for f in follows:
        f.new = 0
    if since is None or not follows:
        return
    since = max(since, (now or timezone.now()) - WINDOW)
    by_kind: dict[str, dict[int, Follow]] = {}
    for f in follows:
        by_kind.setdefault(f.kind, {})[f.target.pk] = f
    counts: list[tuple[str, int, int]] = []
    if "topic" in by_kind:
        rows = ArticleTopic.objects.filter(topic_id__in=list(by_kind["topic"]), published_at__gt=since)
        counts += [("topic", k, n) for k, n in rows.values_list("topic_id").annotate(n=Count("id")).order_by()]
    for kind in ("source", "section", "story"):
        if kind in by_kind:
            rows = Article.objects.visible().filter(published_at__gt=since, **{f"{kind}_id__in": list(by_kind[kind])})
            counts += [(kind, k, n) for k, n in rows.values_list(f"{kind}_id").annotate(n=Count("id")).order_by()]
    for kind, pk, n in counts:
        by_kind[kind][pk].new = n
