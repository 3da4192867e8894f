"""Checks of a running site, each with what to do about it: for /readyz, the operator page and `cupure doctor`."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cupure.lib.redis_server import location
from cupure.sources.models import Feed

from .models import WorkerBeat


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    advice: str = ""
    serious: bool = True  # False: worth saying, not a reason to refuse traffic


def database() -> Check:
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        return Check("database", True, f"{connection.vendor} answers")
    except DatabaseError as exc:
        return Check(
            "database",
            False,
            f"{connection.vendor}: {exc}",
            "Check CUPURE_DATABASE_URL, and that the database server runs and accepts this user.",
        )


def migrations() -> Check:
    try:
        loader = MigrationLoader(connection)
    except DatabaseError as exc:
        return Check("migrations", False, f"cannot read them: {exc}", "Fix the database first.")
    # Every migration the code has and the database has not recorded, in the order they would run: not only
    # what lies past each app's last applied one (an executor's plan), a gap below it too.
    applied = loader.applied_migrations
    plan = (key for leaf in loader.graph.leaf_nodes() for key in loader.graph.forwards_plan(leaf))
    pending = [key for key in dict.fromkeys(plan) if key not in applied]
    if pending:
        names = ", ".join(f"{app}.{name}" for app, name in pending[:5])
        return Check("migrations", False, f"{len(pending)} not applied ({names})", "Run `cupure migrate`.")
    return Check("migrations", True, "all applied")


def workers() -> Check:
    living = list(WorkerBeat.living())
    if not living:
        last = WorkerBeat.objects.first()
        seen = f"; the last beat was {timezone.now() - last.last_seen} ago from {last.name}" if last else ""
        return Check(
            "workers",
            False,
            f"no `cupure worker` has beaten in the last 2 minutes{seen}",
            "Start one: `cupure worker` (or `cupure run`, which starts the site and a worker).",
            serious=False,
        )
    runners = sum(w.runners for w in living)
    schedulers = sum(1 for w in living if w.scheduler)
    ok = runners > 0 and schedulers > 0
    return Check(
        "workers",
        ok,
        f"{len(living)} worker(s), {runners} task runner(s), {schedulers} scheduler(s)",
        "" if ok else "A worker runs but no task runner or no scheduler: check its options and logs.",
        serious=False,
    )


def queue_depth() -> int:
    """Tasks waiting to run. Raises when the queue (Redis) cannot be reached."""
    if settings.TASK_QUEUE == "redis":
        import django_rq  # an app of the Redis queue only (settings add it with CUPURE_REDIS_URL)

        return django_rq.get_queue("default").count
    return DBTaskResult.objects.filter(status="READY").count()


def queue() -> Check:
    try:
        depth = queue_depth()
    except Exception as exc:  # noqa: BLE001 - whatever the queue says, the operator needs to read it
        return Check(
            "queue",
            False,
            f"the task queue is unreachable ({location(settings.REDIS_URL)}: {exc})",
            "Start Redis or correct CUPURE_REDIS_URL. Due feeds wait meanwhile and nothing is lost.",
            serious=False,
        )
    return Check(
        "queue",
        depth < 1000,
        f"{depth} task(s) waiting",
        ""
        if depth < 1000
        else "The workers fall behind: run more (`cupure worker --processes N`, or workers on more machines).",
        serious=False,
    )


def feeds() -> Check:
    total = Feed.objects.filter(active=True).count()
    failing = Feed.objects.in_error()
    n = failing.count()
    if not n:
        return Check("feeds", True, f"{total} active, none in error", serious=False)
    worst = ", ".join(
        f"{f.url} ({f.last_error_kind or 'error'} x{f.error_count})" for f in failing.order_by("-error_count")[:3]
    )
    return Check(
        "feeds",
        n < max(1, total // 2),
        f"{n} of {total} in error, e.g. {worst}",
        "See /sources or the operator page for each feed's last error; pause or remove dead feeds in the admin.",
        serious=False,
    )


def configuration() -> list[Check]:
    out = []
    if settings.DEBUG:
        out.append(
            Check(
                "debug", False, "CUPURE_DEBUG is on", "Turn it off on a public site: it shows internals.", serious=False
            )
        )
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        out.append(
            Check(
                "email",
                True,
                "emails are printed to the console (no CUPURE_SMTP_HOST)",
                "Set CUPURE_SMTP_HOST for password resets and reply notifications to reach readers.",
                serious=False,
            )
        )
    if set(settings.ALLOWED_HOSTS) <= {"127.0.0.1", "localhost", "[::1]"}:
        out.append(
            Check(
                "hosts",
                True,
                "the site answers only to localhost names",
                "Behind a proxy or on a public name, set CUPURE_ALLOWED_HOSTS (and CUPURE_CSRF_TRUSTED_ORIGINS).",
                serious=False,
            )
        )
    return out


def readiness() -> list[Check]:
    """What a load balancer needs: the database answers and its schema is current."""
    checks = [database()]
    if checks[0].ok:
        checks.append(migrations())
    return checks


def everything() -> list[Check]:
    checks = readiness()
    if all(c.ok for c in checks):
        checks += [workers(), queue(), feeds()]
    return checks + configuration()
