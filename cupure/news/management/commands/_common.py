"""What the measuring commands (cluster, topics, trending, sections) share: opening input, reporting lines."""

from __future__ import annotations

from django.core.management.base import CommandError

from cupure.lib.jsonlines import open_lines


def open_input(path: str):
    try:
        return open_lines(path)
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc


def line_reporter(command, path: str):
    """on_error(n, message) that reports a skipped line on the command's stderr."""

    def on_error(n, message):
        command.stderr.write(f"{path}: line {n}: {message} (skipped)")

    return on_error
