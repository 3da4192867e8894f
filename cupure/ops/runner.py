"""Task runners for `cupure worker`: one process each, on the queue CUPURE_TASK_QUEUE names.

A runner outlives its database and its Redis. When either goes away it says so once per outage, waits
(1, 2, 4 ... up to 30 seconds) and reconnects; the task it was running when the database went away
is not lost: its feed's lease runs out and the scheduler enqueues the feed again.
"""

from __future__ import annotations

import importlib
import logging
import os
import signal
import time

import rq
from django.conf import settings
from django.db import DatabaseError, InterfaceError, connections
from django_tasks_db.management.commands.db_worker import Worker

from cupure.ingest import fetch
from cupure.lib import redis_server
from cupure.lib.logs import kv

log = logging.getLogger("cupure.worker")

MAX_WAIT = 30.0


class Backoff:
    """Waits of 1, 2, 4 ... seconds up to MAX_WAIT between attempts at something that keeps failing."""

    def __init__(self):
        self.wait = 0.0

    def after_failure(self, started: float) -> float:
        """The wait after an attempt begun at ``started`` (time.monotonic()) failed. One that had run for
        longer than MAX_WAIT worked a while: a new outage, so the waits start again at 1 second."""
        if time.monotonic() - started > MAX_WAIT:
            self.wait = 0.0
        self.wait = min(MAX_WAIT, self.wait * 2 or 1.0)
        return self.wait


def run(worker_id: str, interval: float = 0.5) -> None:
    """Run tasks until SIGTERM. Never returns on a lost connection: waits and reconnects."""
    # Import the refresh pipeline (trafilatura, lxml, numpy) once, here: RQ forks a process per job,
    # and each fork inherits what its parent imported instead of importing it again.
    importlib.import_module("cupure.sources.tasks")

    if settings.TASK_QUEUE == "redis":
        _run_redis(worker_id)
    else:
        _run_database(worker_id, interval)


def _stop_fetches_on_signals() -> None:
    """On SIGTERM or SIGINT, the task in hand stops fetching within seconds (its feed is refreshed again
    later) rather than waiting out a slow server to the fetch deadline; then the queue's own handler runs."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        previous = signal.getsignal(signum)

        def handler(sig, frame, previous=previous):
            fetch.stop_soon()
            if callable(previous):
                previous(sig, frame)

        signal.signal(signum, handler)


def _run_database(worker_id: str, interval: float) -> None:
    worker = Worker(
        queue_names=["default"],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    worker.configure_signals()  # SIGTERM: finish the task in hand, then exit
    _stop_fetches_on_signals()
    backoff = Backoff()
    while worker.running:
        started = time.monotonic()
        try:
            worker.run()
        except (DatabaseError, InterfaceError) as exc:
            wait = backoff.after_failure(started)
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            log.warning("task runner lost the database", extra=kv(worker_id=worker_id, error=reason, retry_in=wait))
            # Drop every broken connection (and pooled ones): the next query opens a fresh one.
            connections.close_all()
            time.sleep(wait)


class StoppingWorker(rq.Worker):
    """RQ's worker, whose job in hand stops fetching within seconds on a warm shutdown (SIGTERM), as the
    database queue's does: RQ waits for the job's forked process (its "horse") to finish, and that process
    sits in its own session, so the signal reaches it only as RQ's HerokuWorker passes it, as SIGRTMIN."""

    def _install_signal_handlers(self):
        super()._install_signal_handlers()
        # Ignored until the horse handles it: a horse forked just before the stop would otherwise be killed by
        # SIGRTMIN's default action before it installs its handler (an ignored signal stays ignored across fork).
        signal.signal(signal.SIGRTMIN, signal.SIG_IGN)

    def setup_work_horse_signals(self):
        super().setup_work_horse_signals()
        signal.signal(signal.SIGRTMIN, lambda sig, frame: fetch.stop_soon())

    def handle_warm_shutdown_request(self):
        super().handle_warm_shutdown_request()
        if self.horse_pid:
            try:
                os.kill(self.horse_pid, signal.SIGRTMIN)
            except ProcessLookupError:  # the job has just finished
                pass


def _run_redis(worker_id: str) -> None:
    import django_rq  # an app of the Redis queue only (settings add it with CUPURE_REDIS_URL)

    backoff = Backoff()
    while True:
        started = time.monotonic()
        try:
            # Connections are opened in each job's forked process; the runner itself holds none.
            connections.close_all()
            worker = django_rq.get_worker(
                "default", job_class="django_tasks_rq.backend.Job", worker_class=StoppingWorker, name=worker_id
            )
            # RQ itself rides out Redis outages once running (it retries its dequeue); it gives up only when
            # Redis is away at start-up, which is what the loop below covers.
            worker.work(with_scheduler=False, logging_level=settings.LOG_LEVEL)
            return
        except redis_server.UNREACHABLE as exc:
            wait = backoff.after_failure(started)
            log.warning(
                "task runner cannot reach Redis",
                extra=kv(worker_id=worker_id, url=redis_server.location(settings.REDIS_URL), error=exc, retry_in=wait),
            )
            time.sleep(wait)
