"""`cupure doctor`: check the configuration, database, migrations, workers and feeds, and say what to do."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cupure.ops import health


class Command(BaseCommand):
    help = "Check this site and say what to do about each problem. Exits 1 when something serious is wrong."

    def handle(self, *args, **opts):
        checks = health.everything()
        width = max(len(c.name) for c in checks)
        for c in checks:
            mark = "ok " if c.ok else ("ERR" if c.serious else "!! ")
            self.stdout.write(f"[{mark}] {c.name:<{width}}  {c.detail}")
            if c.advice and not c.ok:
                self.stdout.write(f"      {'':<{width}}  -> {c.advice}")
            elif c.advice and c.name in ("email", "hosts"):
                self.stdout.write(f"      {'':<{width}}  note: {c.advice}")
        serious = [c for c in checks if not c.ok and c.serious]
        problems = [c for c in checks if not c.ok]
        if serious:
            self.stdout.write(f"{len(serious)} serious problem(s): the site cannot work until they are fixed.")
            raise SystemExit(1)
        self.stdout.write("All well." if not problems else f"{len(problems)} thing(s) to look at, none blocking.")
