"""`cupure serve`: the site under gunicorn (a production server, not runserver)."""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


def gunicorn_argv(host: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "cupure.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(settings.WEB_WORKERS),
        "--threads",
        str(settings.WEB_THREADS),
        "--worker-class",
        "gthread",
        "--graceful-timeout",
        "20",
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        "127.0.0.1",
        # gunicorn's control socket defaults to one path per user (~/.gunicorn/gunicorn.ctl), which every
        # site on the machine would share, and a data directory's path can be too long for a Unix socket.
        # cupure is run by signals (SIGTERM, SIGHUP), not through that socket: none is opened.
        "--no-control-socket",
    ]


def add_listen_arguments(parser) -> None:
    parser.add_argument("--host", default=settings.HOST, help="address to listen on (CUPURE_HOST)")
    parser.add_argument("--port", type=int, default=settings.PORT, help="port to listen on (CUPURE_PORT)")


class Command(BaseCommand):
    help = "Serve the site with gunicorn on CUPURE_HOST:CUPURE_PORT (default 127.0.0.1:8000)."

    def add_arguments(self, parser):
        add_listen_arguments(parser)

    def handle(self, *args, host, port, **opts):
        argv = gunicorn_argv(host, port)
        self.stdout.write(f"serving on http://{host}:{port}/")
        self.stdout.flush()
        # exec: gunicorn becomes this process, so SIGTERM reaches its arbiter directly.
        os.execv(argv[0], argv)
