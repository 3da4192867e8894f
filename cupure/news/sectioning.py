"""The section job: files articles from general feeds with a model trained on the site's own labels.

Labels are the sections the site already knows for sure: a feed's default
section, the URL path, imports and operators' choices. The model (cupure.analysis.sections) is
retrained in the background once there are MIN_LABELLED labelled articles, again when they have grown by a
fifth or after RETRAIN_AFTER, and saved with the job's lease row. An unfiled article gets the predicted
section when the confidence reaches MIN_CONFIDENCE; below it, the article stays unfiled (a general feed
has no section to fall back to), and its confidence is kept for the operator.
"""

from __future__ import annotations

import logging
import pickle
from datetime import timedelta

from django.utils import timezone

from cupure.analysis.sections import SectionModel
from cupure.lib.logs import kv

from .models import Article, JobState, Section, SectionOrigin

log = logging.getLogger("cupure.sections")

JOB = "sections"
LEASE = timedelta(minutes=30)
MIN_LABELLED = 40
TRAIN_LIMIT = 20_000  # the newest labelled articles: recent vocabulary matters most
RETRAIN_AFTER = timedelta(hours=6)
MIN_CONFIDENCE = 0.6
LABEL_ORIGINS = (SectionOrigin.FEED, SectionOrigin.URL, SectionOrigin.IMPORT, SectionOrigin.MANUAL)


def classify_sections(batch: int = 1000) -> int:
    """Train if due, then file up to ``batch`` unfiled articles; returns how many were examined."""
    with JobState.lease(JOB, LEASE) as job:
        if job is None:
            return 0
        now = timezone.now()
        # Our own pickle, from our own database row: not outside input.
        state = pickle.loads(bytes(job.state)) if job.state else {}
        state = _retrain_if_due(state, now)
        if state.get("model") is not None:
            job.state = pickle.dumps(state)
            job.updated_at = now
            job.save(update_fields=["state", "updated_at"])
        return _file(state.get("model"), batch)


def _retrain_if_due(state: dict, now) -> dict:
    labelled = Article.objects.visible().filter(section__isnull=False, section_origin__in=LABEL_ORIGINS)
    count = labelled.count()
    due = (
        state.get("model") is None
        or count >= 1.2 * state.get("trained_on", 0)
        or now - state.get("trained_at", now) >= RETRAIN_AFTER
    )
    if count < MIN_LABELLED or not due:
        return state
    rows = list(labelled.order_by("-published_at").values_list("title", "text", "section__slug")[:TRAIN_LIMIT])
    if len({r[2] for r in rows}) < 2:
        return state
    model = SectionModel().fit([(t, x) for t, x, _ in rows], [s for *_, s in rows])
    log.info("section model trained", extra=kv(articles=len(rows)))
    return {"model": model, "trained_on": count, "trained_at": now}


def _file(model: SectionModel | None, batch: int) -> int:
    if model is None:
        return 0
    todo = list(Article.objects.filter(section__isnull=True, section_origin="").only("id", "title", "text")[:batch])
    if not todo:
        return 0
    sections = {s.slug: s for s in Section.objects.all()}
    for article, (slug, confidence) in zip(todo, model.predict([(a.title, a.text) for a in todo])):
        section = sections.get(slug) if confidence >= MIN_CONFIDENCE else None
        Article.objects.filter(pk=article.pk).update(
            section=section, section_origin=SectionOrigin.MODEL, section_confidence=round(confidence, 4)
        )
    return len(todo)
