"""`cupure run`: everything a one-machine site needs: migrate, seed, web server and worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from cupure.sources.setup import ensure_starter_sources

from .serve import add_listen_arguments, gunicorn_argv


class Command(BaseCommand):
    help = "Migrate, subscribe to the starter feeds on first start, then serve the site with its worker."

    def add_arguments(self, parser):
        add_listen_arguments(parser)

    def handle(self, *args, host, port, **opts):
        call_command("migrate", interactive=False, verbosity=0)
        # The whole site starts here: the counters of processes from an earlier run are stale.
        folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
        for stale in folder.glob("*.db"):
            stale.unlink(missing_ok=True)
        added = ensure_starter_sources()
        if added:
            self.stdout.write(f"subscribed to {added} starter feeds (CUPURE_STARTER_SOURCES=off to skip)")
        web = subprocess.Popen(gunicorn_argv(host, port))
        worker = subprocess.Popen([sys.executable, "-m", "cupure.cli", "worker"])
        children = [web, worker]
        self.stdout.write(f"cupure is running at http://{host}:{port}/ (data in {settings.DATA_DIR})")
        self.stdout.flush()

        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping and all(c.poll() is None for c in children):
            time.sleep(0.5)
        if not stopping:
            self.stderr.write("a cupure process exited; stopping the others")
            stop(signal.SIGTERM, None)
        for child in children:
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
        codes = [c.returncode for c in children]
        if any(code not in (0, -signal.SIGTERM) for code in codes) and not stopping:
            raise SystemExit(1)
