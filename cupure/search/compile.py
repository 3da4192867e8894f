"""A parsed Query as each engine's match expression. Pure: strings and parameters, no connection."""

from __future__ import annotations

from .query import Query, Term

# Chinese, Japanese and Korean runs; the SQLite trigger and the PostgreSQL partial index use the same classes.
CJK_GLOB = "*[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]*"
CJK_REGEX = "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
TRIGRAM = 3  # the trigram index finds substrings of at least this many characters


def fts5(query: Query, trigram: bool = False) -> str:
    """An FTS5 MATCH string. Every word is a quoted string, so no FTS5 syntax can come from the reader.

    ``trigram``: for the trigram table, where a term is a substring (CJK text has no spaces).
    """

    def term(t: Term) -> str:
        text = "".join(t.words) if trigram and t.cjk else " ".join(t.words)
        return f'"{text}"' + (" *" if t.prefix and not trigram else "")

    def group(g: list[Term]) -> str:
        return term(g[0]) if len(g) == 1 else "(" + " OR ".join(term(t) for t in g) + ")"

    expr = " AND ".join(group(g) for g in query.groups)
    for t in query.excluded:
        expr = f"({expr}) NOT {term(t)}"
    return expr


def trigram_ready(query: Query) -> bool:
    """Whether every term is long enough for the trigram index (shorter ones need a scan)."""
    return all(len("".join(t.words)) >= TRIGRAM for t in query.terms + query.excluded)


def like_pattern(t: Term) -> str:
    text = "".join(t.words) if t.cjk else " ".join(t.words)
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def boolean_sql(query: Query, term_sql) -> tuple[str, list]:
    """AND of ORs, less the excluded terms, from ``term_sql(term) -> (sql, params)``."""
    parts, params = [], []
    for g in query.groups:
        sqls = []
        for t in g:
            s, p = term_sql(t)
            sqls.append(s)
            params += p
        parts.append("(" + " OR ".join(sqls) + ")")
    for t in query.excluded:
        s, p = term_sql(t)
        parts.append(f"NOT ({s})")
        params += p
    return " AND ".join(parts), params


def tsquery_sql(t: Term, config: str = "cupure") -> tuple[str, list]:
    """One term as a PostgreSQL tsquery expression; the words go in as parameters, parsed by PostgreSQL."""
    if not t.prefix:
        fn = "phraseto_tsquery" if len(t.words) > 1 else "plainto_tsquery"
        return f"{fn}('{config}', %s)", [t.text]
    last = f"to_tsquery('{config}', %s)"
    if len(t.words) == 1:
        return last, [f"{t.words[0]}:*"]
    return (f"tsquery_phrase(phraseto_tsquery('{config}', %s), {last})", [" ".join(t.words[:-1]), f"{t.words[-1]}:*"])
