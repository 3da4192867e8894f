"""Prometheus metrics. Counters and histograms are recorded where things happen, in whichever process
(web workers, task runners); prometheus_client keeps them in files in PROMETHEUS_MULTIPROC_DIR
(settings.py points it at a folder in /dev/shm, off the data directory's disk, or CUPURE_METRICS_DIR;
`cupure run` empties it when the site starts), and /metrics adds them up. Gauges that describe the database
(queue depth, feeds in error) are read at scrape time.
"""

from __future__ import annotations

import os
import time

from django.db.models import Count
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

from cupure.sources.models import Feed

from .health import queue_depth
from .models import WorkerBeat

# Each metric below opens its file in the folder as it is made: the folder must exist first. Made here, by
# the first process that records anything, so that reading the settings writes nothing anywhere.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

FETCHES = Counter("cupure_feed_fetches_total", "Feed refreshes, by outcome.", ["outcome"])
FETCH_ERRORS = Counter("cupure_feed_errors_total", "Feed refreshes that failed, by kind of error.", ["kind"])
ARTICLES = Counter("cupure_articles_stored_total", "Articles stored, by how.", ["status"])
EXTRACTION = Histogram(
    "cupure_extraction_seconds",
    "Time to extract one article page.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
REQUESTS = Histogram(
    "cupure_http_request_seconds",
    "Time to answer a request, by view and status class.",
    ["view", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10),
)


class DatabaseCollector:
    """Gauges read from the database when Prometheus scrapes."""

    def collect(self):
        try:
            waiting = queue_depth()
        except Exception:  # noqa: BLE001 - Redis away: no reading (an absent series), not a 500
            waiting = None
        if waiting is not None:
            depth = GaugeMetricFamily("cupure_task_queue_depth", "Tasks waiting to run.")
            depth.add_metric([], waiting)
            yield depth
        feeds = GaugeMetricFamily("cupure_feeds", "Feeds by state.", labels=["state"])
        by_state = {
            "active": Feed.objects.filter(active=True).count(),
            "paused": Feed.objects.filter(active=False).count(),
            "error": Feed.objects.in_error().count(),
        }
        for state, n in by_state.items():
            feeds.add_metric([state], n)
        yield feeds
        kinds = GaugeMetricFamily("cupure_feeds_in_error", "Feeds whose last refresh failed, by kind.", labels=["kind"])
        for row in Feed.objects.in_error().values("last_error_kind").annotate(n=Count("id")):
            kinds.add_metric([row["last_error_kind"] or "unknown"], row["n"])
        yield kinds
        workers = GaugeMetricFamily("cupure_workers_alive", "`cupure worker` processes that beat recently.")
        workers.add_metric([], WorkerBeat.living().count())
        yield workers


def exposition() -> bytes:
    """The text Prometheus scrapes: every process's counters and histograms, then the database gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    database = CollectorRegistry()
    database.register(DatabaseCollector())
    return generate_latest(processes) + generate_latest(database)


class RequestTimingMiddleware:
    """Request latency by view name (not path: ids would make a series per article)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or "other") if match else "unmatched"
        REQUESTS.labels(view=view[:60], status=f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started
        )
        return response
