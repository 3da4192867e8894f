"""The picture job: fetches the pictures of new articles and stores them as cupure serves them.

Runs in the worker's scheduler under a database lease (one process at a time), newest articles first, a
batch per tick; downloads go through cupure.ingest.fetch (private addresses refused, size and time
bounded) on a few threads, and the CPU work (decoding, resizing) stays in this thread.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta

from django.conf import settings
from django.db import transaction

from cupure.ingest import fetch
from cupure.ingest.errors import IngestError, Stopping
from cupure.ingest.images import make_images
from cupure.lib.logs import kv
from cupure.ops import pagecache
from cupure.sources.refresh import fetch_policy

from .models import Article, ArticlePicture, JobState

log = logging.getLogger("cupure.pictures")

JOB = "pictures"
LEASE = timedelta(minutes=5)
BATCH = 40
MAX_BYTES = 8 * 1024 * 1024
ACCEPT = "image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.1"


def cache_pictures(batch: int = BATCH) -> int:
    """Fetch up to ``batch`` articles' pictures; returns how many articles were looked at (0: none left,
    or another process holds the job)."""
    with JobState.lease(JOB, LEASE) as job:
        return _cache(batch) if job else 0


def _cache(batch: int) -> int:
    todo = list(
        Article.objects.filter(picture__isnull=True, duplicate_of__isnull=True)
        .exclude(image_url="")
        .order_by("-published_at", "-id")
        .values_list("id", "image_url")[:batch]
    )
    if not todo:
        return 0
    policy = replace(fetch_policy(), max_bytes=MAX_BYTES)

    def download(url: str):
        try:
            return fetch.fetch(url, policy, accept=ACCEPT).content, ""
        except Stopping:
            return None, ""  # the worker is stopping: nothing is wrong with the picture, the next run fetches it
        except IngestError as exc:
            return b"", str(exc)

    stored = 0
    with ThreadPoolExecutor(max_workers=settings.FETCH_THREADS, thread_name_prefix="picture") as pool:
        for (article_id, url), (data, error) in zip(todo, pool.map(download, [u for _, u in todo])):
            if data is None:
                continue
            fields = {"thumb": b"", "lead": b"", "width": 0, "height": 0, "error": error[:300]}
            if not error:
                try:
                    images = make_images(data)
                    fields.update(thumb=images.thumb, lead=images.lead, width=images.width, height=images.height)
                except IngestError as exc:
                    fields["error"] = str(exc)[:300]
            with transaction.atomic():
                ArticlePicture.objects.update_or_create(article_id=article_id, defaults=fields)
                if not fields["error"]:
                    Article.objects.filter(pk=article_id).update(has_picture=True)
                    stored += 1
            if fields["error"]:
                log.info("no picture", extra=kv(article_id=article_id, url=url, error=fields["error"]))
    if stored:
        pagecache.bump()
    return len(todo)
