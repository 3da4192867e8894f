"""The one place a reader's mutes are applied to what a page, a feed or the API is about to show.

Every surface passes its items through ``articles`` or ``stories`` with the reader's rules (``rules_for``):
the rules are the reader's state (cupure.readers.state), whose generation is read from the database at each
request, so a new mute holds on the very next page, for everything already stored. What is left out is
counted, so the page can say so ("2 stories hidden (muted: 'crypto')") and offer to show them
(``?muted=show``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from . import state
from .mutes import MuteRules

SHOW_PARAM = "muted"


@dataclass
class Hidden:
    """What a page left out, and why."""

    counts: Counter = field(default_factory=Counter)  # noun -> how many
    reasons: Counter = field(default_factory=Counter)
    showing: bool = False  # the reader asked to see muted items on this page
    any_rules: bool = False

    def add(self, noun: str, reason: str) -> None:
        self.counts[noun] += 1
        self.reasons[reason] += 1

    def __bool__(self) -> bool:
        return bool(self.counts)

    @property
    def message(self) -> str:
        parts = [f"{n} {noun}{'' if n == 1 else 's'}" for noun, n in self.counts.items()]
        verb = "is" if sum(self.counts.values()) == 1 else "are"
        why = "; ".join(r for r, _ in self.reasons.most_common(3))
        more = len(self.reasons) - 3
        return f"{' and '.join(parts)} {verb} hidden ({why}{f'; {more} more' if more > 0 else ''})."


def reader_rules(request) -> MuteRules:
    """The signed-in reader's rules, read once per request (none for readers not signed in), whatever the
    page was asked to show."""
    return state.of(request).rules


def rules_for(request) -> MuteRules:
    """The rules a page applies: the reader's, and none when the page was asked to show muted items."""
    rules = reader_rules(request)
    return MuteRules() if request.GET.get(SHOW_PARAM) == "show" else rules


def fingerprint(request) -> str:
    """What the reader's mutes make of a page, as a cache key part: "" for a page as everybody sees it."""
    rules = reader_rules(request)
    if request.GET.get(SHOW_PARAM) == "show":
        return "show" if rules else ""
    return rules.fingerprint


def hidden_for(request) -> Hidden:
    """An empty tally for one page of ``request``."""
    return Hidden(showing=request.GET.get(SHOW_PARAM) == "show", any_rules=bool(reader_rules(request)))


def _summary(a) -> str:
    # A list that shows titles only (a story's other coverage) loads no summary: judge what is shown,
    # without a query per article.
    return "" if "summary" in a.get_deferred_fields() else a.summary


def articles(rules: MuteRules, items, hidden: Hidden | None = None, noun: str = "article") -> list:
    """``items`` (articles, with ``source`` or ``source_id``) less those the rules hide."""
    if not rules:
        return list(items)
    kept = []
    for a in items:
        why = rules.reason(a.title, _summary(a), a.source_id)
        if why is None:
            kept.append(a)
        elif hidden is not None:
            hidden.add(noun, why)
    return kept


def stories(rules: MuteRules, pairs, hidden: Hidden | None = None) -> list:
    """``(story, other_coverage)`` pairs less the stories the rules hide.

    A story whose headline (or its lead's summary) is muted is hidden. Coverage from a hidden source is left
    out; when the lead itself comes from a hidden source, the first other visible article leads the card
    in its place, and only a story with nothing else to show is hidden."""
    if not rules:
        return list(pairs)
    kept = []
    for story, others in pairs:
        lead = story.lead
        why = rules.phrase_reason(f"{story.headline}\n{_summary(lead) if lead else ''}")
        others = articles(rules, others)
        if why is None and lead is not None and lead.source_id in rules.sources:
            if others:
                story.lead, others = others[0], others[1:]
                story.headline = story.lead.title
            else:
                why = rules.reason("", "", lead.source_id)
        if why is None:
            kept.append((story, others))
        elif hidden is not None:
            hidden.add("story", why)
    return kept
