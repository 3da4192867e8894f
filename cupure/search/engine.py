"""Search over the articles, on SQLite FTS5 or PostgreSQL full text, behind one function: ``search``.

How a search runs, on either engine:

1. The query is parsed (cupure.search.query) and its filters resolved to rows (a section, sources, a topic).
2. Candidates: the newest matches, newest stored first, up to CANDIDATES of them passing the filters,
   each with its engine's relevance score (bm25 with titles weighted TITLE_WEIGHT times the body on
   SQLite; ts_rank with titles weight A on PostgreSQL). Ranking every one of 500,000 matches of a common
   word would take a second; ranking the newest thousand takes milliseconds and is what a reader of
   news wants. Fewer matches than that: all of them are ranked.
3. Sorted by relevance (ties: the newer first) or by date; counted (exactly up to COUNT_CAP); faceted by
   section and source; the page's articles loaded and highlighted (cupure.search.highlight).

The index itself is kept by database triggers (migration news 0004), so it changes in the same
transaction as the articles, whoever writes them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db import connection
from django.utils.safestring import mark_safe

from cupure.news import filters
from cupure.news.models import Article, Section
from cupure.sources.models import Source

from . import compile as sql
from .highlight import Marker, snippet, title
from .query import Query, parse

CANDIDATES = 1000
COUNT_CAP = 10_000
WINDOW = 5000  # matches read per step while filters thin them out
MAX_WINDOWS = 8
TITLE_WEIGHT = 10.0
PER_PAGE = 20
SORTS = ("relevance", "date")


@dataclass
class Hit:
    article: Article
    title_html: str
    snippet_html: str
    more: int = 0  # with by_story: the story's other matching articles, folded under this one


@dataclass
class Results:
    query: Query
    text: str
    sort: str = "relevance"
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    ranked: int = 0  # how many of the total were ranked (the candidates); pages and facets cover these
    total_is_lower_bound: bool = False
    page: int = 1
    pages: int = 0
    sections: list[tuple[Section, int]] = field(default_factory=list)
    sources: list[tuple[Source, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def messages(self) -> list[str]:
        return self.query.notices + self.problems


@dataclass
class _Candidate:
    id: int
    score: float
    published: object
    section_id: int | None
    source_id: int


class _Filters(filters.ArticleFilter):
    """The article filters as this engine asks them: section and source ids (answered by the SQLite index's
    tag tokens, or as SQL), topics and the time range as SQL over news_article ``a``."""

    def rest(self) -> tuple[list[str], list]:
        """The conditions tags cannot answer (topics, time range), and their parameters."""
        where, params = [], []
        for ids, negate in ((self.topics, False), (self.not_topics, True)):
            for topic in ids:
                where.append(
                    f"a.id {'NOT ' if negate else ''}IN (SELECT article_id FROM news_articletopic WHERE topic_id = %s)"
                )
                params.append(topic)
        adapt = connection.ops.adapt_datetimefield_value
        for bound, clause in ((self.since, "a.published_at >= %s"), (self.before, "a.published_at < %s")):
            if bound:
                where.append(clause)
                params.append(adapt(bound))
        return where, params

    def sql(self, ids_too: bool = True) -> tuple[str, list]:
        """A WHERE condition and its parameters; ``ids_too``: with the section and source ids."""
        where, params = self.rest()
        if ids_too:
            for ids, column, negate in (
                (self.sections, "section_id", False),
                (self.not_sections, "section_id", True),
                (self.sources, "source_id", False),
                (self.not_sources, "source_id", True),
            ):
                if ids:
                    marks = ", ".join(["%s"] * len(ids))
                    clause = f"a.{column} {'NOT ' if negate else ''}IN ({marks})"
                    where.append(f"(a.{column} IS NULL OR {clause})" if negate else clause)
                    params += ids
        return " AND ".join(where) or "1=1", params

    def tags(self) -> tuple[str, str]:
        """FTS5 expressions over the tags column: what must be there, what must not."""

        def one_of(prefix, ids):
            return "{tags}: (" + " OR ".join(f'"{prefix}{i}"' for i in ids) + ")"

        need = [one_of("zsec", self.sections)] if self.sections else []
        need += [one_of("zsrc", self.sources)] if self.sources else []
        avoid = [one_of("zsec", self.not_sections)] if self.not_sections else []
        avoid += [one_of("zsrc", self.not_sources)] if self.not_sources else []
        return " AND ".join(need), " OR ".join(avoid)


def search(
    text: str, *, sort: str = "relevance", page: int = 1, per_page: int = PER_PAGE, by_story: bool = False
) -> Results:
    """Search the visible articles (near-duplicate copies are found through their original).

    ``by_story``: one hit per story, its best-ranked article, with how many more of the story's articles
    match (a big event's 110 reports read as one result, not five pages of the same headline).

    Never raises on what a reader typed: what was ignored or cannot match is in ``Results.messages``.
    """
    query = parse(text)
    res = Results(query=query, text=text or "", sort=sort if sort in SORTS else "relevance")
    if query.empty:
        return res
    filters = _resolve_filters(query, res.problems)
    if filters is None:
        return res
    if query.groups:
        engine = _postgres if connection.vendor == "postgresql" else _sqlite
        cands, total, more = engine(query, filters)
    else:
        cands, total, more = _filters_only(filters)
    if res.sort == "date":
        cands.sort(key=lambda c: (c.published, c.id), reverse=True)
    else:
        cands.sort(key=lambda c: (c.published, c.id), reverse=True)
        cands.sort(key=lambda c: c.score)  # stable: equal scores stay newest first
    res.total, res.total_is_lower_bound, res.ranked = total, more, len(cands)
    shown, folded = _one_per_story(cands) if by_story else (cands, {})
    res.pages = max(1, math.ceil(len(shown) / per_page)) if shown else 0
    res.page = min(max(1, page), res.pages or 1)
    chosen = shown[(res.page - 1) * per_page : res.page * per_page]
    res.hits = _hits(chosen, query, folded)
    res.sections, res.sources = _facets(cands)
    return res


def _resolve_filters(query: Query, problems: list[str]) -> _Filters | None:
    """The query's filters (cupure.news.filters, as the API reads them) as SQL over news_article ``a``; None
    (with a problem said) when one names nothing."""
    resolved, said = filters.resolve(
        section=query.section,
        source=query.source,
        topic=query.topic,
        since=query.since,
        until=query.until,
        not_section=query.not_section,
        not_source=query.not_source,
        not_topic=query.not_topic,
    )
    problems.extend(said)
    if resolved is None:
        return None
    return _Filters(**vars(resolved))


def _rows(sql_text: str, params: list) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(sql_text, params)
        return cur.fetchall()


def _sqlite(query: Query, f: _Filters) -> tuple[list[_Candidate], int, bool]:
    if query.cjk:
        return _sqlite_cjk(query, f)
    # The reader's words search the title and text columns; sections and sources are tag tokens.
    match = "{title text}: (" + sql.fts5(query) + ")"
    need, avoid = f.tags()
    if need:
        match = f"({match}) AND ({need})"
    if avoid:
        match = f"({match}) NOT ({avoid})"
    bm25 = f"bm25(search_article, {TITLE_WEIGHT}, 1.0, 0.0)"
    rest, _ = f.rest()
    extra, extra_params = f.sql(ids_too=False)
    if not rest:
        rows = _rows(
            f"SELECT m.id, m.r, a.published_at, a.section_id, a.source_id FROM "
            f"(SELECT rowid AS id, {bm25} AS r FROM search_article WHERE search_article MATCH %s "
            f"ORDER BY rowid DESC LIMIT %s) m JOIN news_article a ON a.id = m.id",
            [match, CANDIDATES],
        )
        cands = [_Candidate(*r) for r in rows]
        if len(cands) < CANDIDATES:
            return cands, len(cands), False
        (total,) = _rows(
            "SELECT count(*) FROM (SELECT 1 FROM search_article WHERE search_article MATCH %s LIMIT %s)",
            [match, COUNT_CAP + 1],
        )[0]
        return cands, min(total, COUNT_CAP), total > COUNT_CAP
    # Dates and topics: read the matches newest first, a window at a time, until enough pass. The join
    # goes through a narrow covering index: the article rows themselves are kilobytes of text each.
    cands, below = [], None
    for _ in range(MAX_WINDOWS):
        bound = "AND rowid < %s " if below is not None else ""
        rows = _rows(
            f"SELECT m.id, m.r, a.published_at, a.section_id, a.source_id, ({extra}) FROM "
            f"(SELECT rowid AS id, {bm25} AS r FROM search_article WHERE search_article MATCH %s {bound}"
            f"ORDER BY rowid DESC LIMIT %s) m JOIN news_article a INDEXED BY article_search_filter ON a.id = m.id",
            extra_params + [match] + ([below] if below is not None else []) + [WINDOW],
        )
        cands += [_Candidate(*r[:5]) for r in rows if r[5]]
        if len(rows) < WINDOW:
            return cands[:CANDIDATES], min(len(cands), CANDIDATES), len(cands) > CANDIDATES
        if len(cands) >= CANDIDATES:
            break
        below = rows[-1][0]
    return cands[:CANDIDATES], len(cands[:CANDIDATES]), True


def _sqlite_cjk(query: Query, f: _Filters) -> tuple[list[_Candidate], int, bool]:
    """Chinese, Japanese, Korean: the trigram table, which holds only articles written in those scripts."""
    if sql.trigram_ready(query):
        inner = (
            "SELECT rowid AS id, bm25(search_cjk, %s, 1.0) AS r FROM search_cjk WHERE search_cjk MATCH %s",
            [TITLE_WEIGHT, sql.fts5(query, trigram=True)],
        )
    else:
        # Terms under three characters: a scan, by instr (the trigram index cannot answer them).
        cond, params = sql.boolean_sql(
            query,
            lambda t: (
                "(instr(lower(title), lower(%s)) > 0 OR instr(lower(text), lower(%s)) > 0)",
                ["".join(t.words) if t.cjk else t.text] * 2,
            ),
        )
        inner = (f"SELECT rowid AS id, 0.0 AS r FROM search_cjk WHERE {cond}", params)
    where, params = f.sql()
    rows = _rows(
        f"SELECT m.id, m.r, a.published_at, a.section_id, a.source_id FROM ({inner[0]}) m "
        f"JOIN news_article a ON a.id = m.id WHERE {where} ORDER BY m.id DESC LIMIT %s",
        inner[1] + params + [CANDIDATES + 1],
    )
    cands = [_Candidate(*r) for r in rows]
    return cands[:CANDIDATES], min(len(cands), CANDIDATES), len(cands) > CANDIDATES


def _postgres(query: Query, f: _Filters) -> tuple[list[_Candidate], int, bool]:
    def term(t):
        if t.cjk:  # the text search parser does not split CJK text into words
            pattern = sql.like_pattern(t)
            return (
                f"((a.title || ' ' || a.text) ~ '{sql.CJK_REGEX}' AND (a.title ILIKE %s OR a.text ILIKE %s))",
                [pattern, pattern],
            )
        tsq, params = sql.tsquery_sql(t)
        return f"a.search_vector @@ {tsq}", params

    cond, params = sql.boolean_sql(query, term)
    ranked = [sql.tsquery_sql(t) for t in query.terms if not t.cjk]
    if ranked:
        rank = "-ts_rank(a.search_vector, " + " || ".join(s for s, _ in ranked) + ")"
        rank_params = [p for _, ps in ranked for p in ps]
    else:
        rank, rank_params = "0.0", []
    fsql, fparams = f.sql()
    where = f"a.duplicate_of_id IS NULL AND {cond} AND {fsql}"
    rows = _rows(
        f"SELECT a.id, {rank}, a.published_at, a.section_id, a.source_id FROM news_article a "
        f"WHERE {where} ORDER BY a.id DESC LIMIT %s",
        rank_params + params + fparams + [CANDIDATES],
    )
    cands = [_Candidate(*r) for r in rows]
    if len(cands) < CANDIDATES:
        return cands, len(cands), False
    (total,) = _rows(
        f"SELECT count(*) FROM (SELECT 1 FROM news_article a WHERE {where} LIMIT %s) x",
        params + fparams + [COUNT_CAP + 1],
    )[0]
    return cands, min(total, COUNT_CAP), total > COUNT_CAP


def _filters_only(f: _Filters) -> tuple[list[_Candidate], int, bool]:
    """No words, only filters: the newest articles that pass them."""
    where, params = f.sql()
    rows = _rows(
        f"SELECT a.id, 0.0, a.published_at, a.section_id, a.source_id FROM news_article a "
        f"WHERE a.duplicate_of_id IS NULL AND {where} ORDER BY a.published_at DESC, a.id DESC LIMIT %s",
        params + [CANDIDATES],
    )
    cands = [_Candidate(*r) for r in rows]
    if len(cands) < CANDIDATES:
        return cands, len(cands), False
    (total,) = _rows(
        f"SELECT count(*) FROM (SELECT 1 FROM news_article a WHERE a.duplicate_of_id IS NULL AND {where} LIMIT %s) x",
        params + [COUNT_CAP + 1],
    )[0]
    return cands, min(total, COUNT_CAP), total > COUNT_CAP


def _one_per_story(cands: list[_Candidate]) -> tuple[list[_Candidate], dict[int, int]]:
    """The ranked candidates with each story's first one only, and for it how many of its story's follow.
    The story of each candidate is read by primary key here: in the engines' queries it would take the
    article rows out of their covering index."""
    story_of = dict(Article.objects.filter(id__in=[c.id for c in cands]).values_list("id", "story_id"))
    kept: list[_Candidate] = []
    first: dict[int, int] = {}  # story -> the candidate shown for it
    folded: dict[int, int] = {}
    for c in cands:
        story = story_of.get(c.id)
        if story is None:
            kept.append(c)
        elif story in first:
            folded[first[story]] = folded.get(first[story], 0) + 1
        else:
            first[story] = c.id
            kept.append(c)
    return kept, folded


def _hits(chosen: list[_Candidate], query: Query, folded: dict[int, int]) -> list[Hit]:
    """Hits for ``chosen``; ``folded``: candidate id -> how many of its story's matches it stands for."""
    articles = Article.objects.select_related("source", "section").in_bulk([c.id for c in chosen])
    marker = Marker(query.terms)
    hits = []
    for c in chosen:
        a = articles.get(c.id)
        if a is None:  # deleted since the candidates were read
            continue
        body = a.text or a.summary
        hits.append(Hit(a, mark_safe(title(a.title, marker)), mark_safe(snippet(body, marker)), folded.get(c.id, 0)))
    return hits


def _facets(cands: list[_Candidate]) -> tuple[list[tuple[Section, int]], list[tuple[Source, int]]]:
    by_section: dict[int, int] = {}
    by_source: dict[int, int] = {}
    for c in cands:
        if c.section_id:
            by_section[c.section_id] = by_section.get(c.section_id, 0) + 1
        by_source[c.source_id] = by_source.get(c.source_id, 0) + 1
    top_sources = sorted(by_source.items(), key=lambda kv: -kv[1])[:10]
    sections = Section.objects.in_bulk(list(by_section))
    sources = Source.objects.in_bulk([k for k, _ in top_sources])
    return (
        [(sections[k], n) for k, n in sorted(by_section.items(), key=lambda kv: -kv[1]) if k in sections],
        [(sources[k], n) for k, n in top_sources if k in sources],
    )
