"""The `cupure` command: cupure's own subcommands plus every Django management command.

Subcommands are written with dashes (add-feed, import-opml); they map onto
management commands of the same name with underscores.
"""

from __future__ import annotations

import os
import sys

import django
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import execute_from_command_line

from cupure.lib.datadir import SecretKeyProblem, data_dir, prepare

ALIASES = {"import": "import_articles"}
# Commands that read and write the site's tables: on a database that was never migrated they would answer
# every page with "no such table" or die in a traceback. `run` migrates by itself.
NEEDS_SCHEMA = {"serve", "worker", "run_tasks", "add_feed", "export_opml", "import_articles", "import_opml", "refresh"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cupure.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "cupure"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = ALIASES.get(argv[1], argv[1].replace("-", "_"))
    try:
        prepare(data_dir())  # the data directory and its secret key, before the settings read them
    except SecretKeyProblem as exc:
        sys.stderr.write(f"cupure: configuration error: {exc}\n")
        raise SystemExit(2) from None
    try:
        if len(argv) > 1 and argv[1] in NEEDS_SCHEMA and "-h" not in argv and "--help" not in argv:
            _require_schema()
        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"cupure: configuration error: {exc}\n")
        raise SystemExit(2) from None


def _require_schema() -> None:
    django.setup()
    from cupure.ops.health import migrations  # models load only once django.setup() has run

    check = migrations()
    if not check.ok:
        where = settings.DATABASES["default"]["NAME"]
        sys.stderr.write(
            f"cupure: the database ({where}) is not ready: migrations {check.detail}.\n"
            "Run `cupure migrate` first (`cupure run` migrates by itself).\n"
        )
        raise SystemExit(2)


if __name__ == "__main__":
    main()
