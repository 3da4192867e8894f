"""The `cupure` command: cupure's own subcommands plus every Django management command.

Subcommands are written with dashes (add-feed, import-opml); they map onto
management commands of the same name with underscores.
"""

from __future__ import annotations

import os
import sys

from cupure.lib.datadir import SecretKeyProblem, data_dir, prepare

ALIASES = {"import": "import_articles"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cupure.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "cupure"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = ALIASES.get(argv[1], argv[1].replace("-", "_"))
    from django.core.exceptions import ImproperlyConfigured

    try:
        prepare(data_dir())  # the data directory and its secret key, before the settings read them
    except SecretKeyProblem as exc:
        sys.stderr.write(f"cupure: configuration error: {exc}\n")
        raise SystemExit(2) from None
    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"cupure: configuration error: {exc}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
