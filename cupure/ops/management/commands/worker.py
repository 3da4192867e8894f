"""`cupure worker`: the scheduler plus N task-runner processes, stopped cleanly by SIGTERM."""

from __future__ import annotations

import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from cupure.lib.logs import kv
from cupure.news.jobs import run_analysis
from cupure.news.pictures import cache_pictures
from cupure.ops.models import WorkerBeat
from cupure.ops.runner import Backoff
from cupure.readers.digest import send_due_digests
from cupure.sources.tasks import QueueUnavailable, enqueue_due_feeds, prune_finished_tasks

log = logging.getLogger("cupure.worker")


ANALYSIS_EVERY = 15.0  # seconds between runs of the story, section, topic and trending jobs
DIGESTS_EVERY = 300.0  # seconds between looks for readers whose digest email is due


class Command(BaseCommand):
    help = "Run the background worker: the feed scheduler and task-runner processes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--processes",
            type=int,
            default=settings.WORKER_PROCESSES,
            help="task-runner processes (default CUPURE_WORKER_PROCESSES, else the CPU count)",
        )
        parser.add_argument("--no-scheduler", action="store_true", help="run tasks only; another machine schedules")
        parser.add_argument("--scheduler-only", action="store_true", help="enqueue due feeds; run no tasks")

    def handle(self, *args, processes, no_scheduler, scheduler_only, **opts):
        stop = threading.Event()
        children: list[subprocess.Popen] = []

        def terminate(signum, frame):
            # Forwarded once: the same SIGTERM may also come from a parent forwarding it and from a signal to
            # the whole group (`timeout`, a terminal), and a runner told twice abandons its task.
            if stop.is_set():
                return
            stop.set()
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, terminate)
        signal.signal(signal.SIGINT, terminate)

        def runner(n: int) -> subprocess.Popen:
            # In a session of its own: a Ctrl+C in the terminal (or a signal to the group) reaches this
            # process alone, which then asks each runner once (see terminate) to finish its task and stop.
            return subprocess.Popen(
                [sys.executable, "-m", "cupure.cli", "run_tasks", "--id", f"{_hostname()}-{n}-{_rand()}"],
                start_new_session=True,
            )

        if not scheduler_only:
            children.extend(runner(n) for n in range(max(1, processes)))
        self.stdout.write(f"worker: {len(children)} task runner(s), scheduler {'off' if no_scheduler else 'on'}")
        self.stdout.flush()
        started = [time.monotonic()] * len(children)
        restart_at = [0.0] * len(children)
        backoffs = [Backoff() for _ in children]
        last_prune = 0.0
        last_analysis = 0.0
        last_digests = 0.0
        beat_name = f"{_hostname()}-{os.getpid()}"
        while not stop.is_set():
            try:
                # The operator page, /metrics and `cupure doctor` tell live workers by this beat.
                WorkerBeat.beat(
                    beat_name, runners=sum(1 for c in children if c.poll() is None), scheduler=not no_scheduler
                )
            except Exception as exc:  # noqa: BLE001 - a database hiccup must not kill the worker
                log.warning("heartbeat failed", extra=kv(worker_id=beat_name, error=exc))
                close_old_connections()  # drop the broken connection: the next beat opens a fresh one
            if not no_scheduler:
                # Each job on its own: a queue that is down (Redis stopped) must not stop the analysis jobs,
                # and a database hiccup in one must not kill the scheduler.
                self._guarded("scheduler", enqueue_due_feeds)
                if time.monotonic() - last_analysis >= ANALYSIS_EVERY:
                    # At most every ANALYSIS_EVERY: the analysis jobs catch up in batches without taking
                    # the cores from ingestion on every scheduler tick.
                    last_analysis = time.monotonic()
                    self._guarded("analysis", run_analysis)
                    self._guarded("pictures", cache_pictures)
                if time.monotonic() - last_digests >= DIGESTS_EVERY:
                    last_digests = time.monotonic()
                    self._guarded("digests", send_due_digests)
                if time.monotonic() - last_prune > 3600:
                    last_prune = time.monotonic()
                    self._guarded("prune", prune_finished_tasks)
            for n, child in enumerate(children):
                if child.poll() is not None and not stop.is_set() and time.monotonic() >= restart_at[n]:
                    # A crashed runner is replaced (after a pause that grows while it keeps crashing); its
                    # task's feed lease expires and the feed is retried.
                    log.warning("task runner exited", extra=kv(runner=n, status=child.returncode))
                    restart_at[n] = time.monotonic() + backoffs[n].after_failure(started[n])
                    started[n] = time.monotonic()
                    children[n] = runner(n)
            stop.wait(settings.SCHEDULER_INTERVAL)
        for child in children:
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
        try:
            WorkerBeat.objects.filter(name=beat_name).delete()  # a clean stop is not a dead worker
        except Exception as exc:  # noqa: BLE001 - stopping while the database is away
            log.warning("could not remove the heartbeat", extra=kv(worker_id=beat_name, error=exc))
        self.stdout.write("worker: stopped")

    def _guarded(self, what: str, job) -> None:
        try:
            job()
        except QueueUnavailable as exc:
            log.error(
                "task queue unreachable: due feeds wait until it is back",
                extra=kv(job=what, url=exc.url, error=exc.error, enqueued=exc.enqueued),
            )
        except Exception as exc:  # noqa: BLE001 - a database hiccup must not kill the scheduler
            log.error("job failed", extra=kv(job=what, error=exc))
        finally:
            close_old_connections()


def _hostname() -> str:
    return socket.gethostname()[:30]


def _rand() -> str:
    return secrets.token_hex(4)
