"""`cupure run-tasks`: one task-runner process (`cupure worker` starts and supervises these)."""

from __future__ import annotations

import ctypes
import os
import signal
import socket

from django.core.management.base import BaseCommand

from cupure.ops import runner


class Command(BaseCommand):
    help = "Run background tasks from the queue CUPURE_TASK_QUEUE names, until SIGTERM."

    def add_arguments(self, parser):
        parser.add_argument("--id", default="", help="this runner's name in the queue (unique; default host-pid)")
        parser.add_argument(
            "--interval", type=float, default=0.5, help="seconds between looks at an empty database queue (default 0.5)"
        )

    def handle(self, *args, id, interval, **opts):
        _stop_with_parent()
        runner.run(id or f"{socket.gethostname()[:30]}-{os.getpid()}", interval)


def _stop_with_parent() -> None:
    """Linux: ask for SIGTERM when the `cupure worker` that started this runner dies, however it died,
    so no runner outlives its supervisor (it finishes its task, then stops)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the supervisor's own SIGTERM is what stops runners
        pass
