"""The analysis jobs, in their order: stories, sections, topics, the trending bar. The worker's scheduler runs
them every few seconds (cupure.ops.management.commands.worker); each takes what is new since its last run."""

from __future__ import annotations

from cupure.ops import pagecache

from .sectioning import classify_sections
from .stories import BATCH, assign_stories
from .topics import TAG_BATCH, refresh_bar, tag_topics


def run_analysis() -> None:
    """Stories, sections, topics and the trending bar, each caught up in batches."""
    # One ordered stream: assign_stories takes a database lease, so with schedulers on several machines
    # only one assigns at a time.
    changed = 0
    while (n := assign_stories()) == BATCH:
        changed += n
    changed += n + classify_sections()
    while (n := tag_topics()) == TAG_BATCH:
        changed += n
    changed += n + (refresh_bar() is not None)
    if changed:
        # Stories, sections, topics and the bar change in bulk: retire cached pages once.
        pagecache.bump()
