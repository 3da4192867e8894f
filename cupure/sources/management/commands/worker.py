"""`cupure worker`: the scheduler plus N task-runner processes, stopped cleanly by SIGTERM."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from cupure.news.sectioning import classify_sections
from cupure.news.stories import BATCH, assign_stories
from cupure.news.topics import TAG_BATCH, refresh_bar, tag_topics
from cupure.ops import pagecache
from cupure.ops.models import WorkerBeat
from cupure.sources.tasks import enqueue_due_feeds, prune_finished_tasks


ANALYSIS_EVERY = 15.0  # seconds between runs of the story, section, topic and trending jobs


class Command(BaseCommand):
    help = "Run the background worker: the feed scheduler and task-runner processes."

    def add_arguments(self, parser):
        parser.add_argument("--processes", type=int, default=settings.WORKER_PROCESSES,
                            help="task-runner processes (default CUPURE_WORKER_PROCESSES, else the CPU count)")
        parser.add_argument("--no-scheduler", action="store_true", help="run tasks only; another machine schedules")
        parser.add_argument("--scheduler-only", action="store_true", help="enqueue due feeds; run no tasks")

    def handle(self, *args, processes, no_scheduler, scheduler_only, **opts):
        stop = threading.Event()
        children: list[subprocess.Popen] = []

        def terminate(signum, frame):
            stop.set()
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, terminate)
        signal.signal(signal.SIGINT, terminate)
        def runner(n: int) -> subprocess.Popen:
            return subprocess.Popen([
                sys.executable, "-m", "cupure.cli", "db_worker", "--no-reload", "--interval", "0.5",
                "--queue-name", "default", "--no-startup-delay", "--worker-id", f"{_hostname()}-{n}-{_rand()}",
                "--verbosity", "0"])

        if not scheduler_only:
            children.extend(runner(n) for n in range(max(1, processes)))
        self.stdout.write(f"worker: {len(children)} task runner(s), scheduler {'off' if no_scheduler else 'on'}")
        self.stdout.flush()
        last_prune = 0.0
        last_analysis = 0.0
        beat_name = f"{_hostname()}-{os.getpid()}"
        while not stop.is_set():
            try:
                # The operator page, /metrics and `cupure doctor` tell live workers by this beat.
                WorkerBeat.beat(beat_name, runners=sum(1 for c in children if c.poll() is None),
                                scheduler=not no_scheduler)
            except Exception as exc:  # noqa: BLE001 - a database hiccup must not kill the worker
                self.stderr.write(f"worker: heartbeat failed: {exc}")
            if not no_scheduler:
                try:
                    enqueue_due_feeds()
                    if time.monotonic() - last_analysis >= ANALYSIS_EVERY:
                        # At most every ANALYSIS_EVERY: the analysis jobs catch up in batches without taking
                        # the cores from ingestion on every scheduler tick.
                        last_analysis = time.monotonic()
                        # One ordered stream: assign_stories takes a database lease, so with schedulers on
                        # several machines only one assigns at a time.
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
                    if time.monotonic() - last_prune > 3600:
                        last_prune = time.monotonic()
                        prune_finished_tasks()
                except Exception as exc:  # noqa: BLE001 - a database hiccup must not kill the scheduler
                    self.stderr.write(f"scheduler: {exc}")
                finally:
                    close_old_connections()
            for n, child in enumerate(children):
                if child.poll() is not None and not stop.is_set():
                    # A crashed runner is replaced; its task's feed lease expires and the feed is retried.
                    self.stderr.write(f"worker: task runner {n} exited with status {child.returncode}; restarting")
                    children[n] = runner(n)
            stop.wait(settings.SCHEDULER_INTERVAL)
        for child in children:
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
        WorkerBeat.objects.filter(name=beat_name).delete()  # a clean stop is not a dead worker
        self.stdout.write("worker: stopped")


def _hostname() -> str:
    import socket

    return socket.gethostname()[:30]


def _rand() -> str:
    import secrets

    return secrets.token_hex(4)
