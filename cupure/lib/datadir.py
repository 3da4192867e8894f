"""The data directory (CUPURE_DATA_DIR) and the secret key kept in it.

Importing the settings only reads: the key file is made by the `cupure` command before Django starts
(``prepare``), so a process that merely imports the settings (a test, a script) never writes to disk, and
one that finds no key says how to get one.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
MIN_SECRET_KEY = 32  # characters; Django's own check wants 50, generated keys have 67


class SecretKeyProblem(Exception):
    """The secret key is missing, too short, or cannot be written; the message says what to do."""


def data_dir() -> Path:
    """CUPURE_DATA_DIR, or ./var beside the code."""
    return Path(os.environ.get("CUPURE_DATA_DIR", "").strip() or ROOT / "var").resolve()


def secret_key(directory: Path) -> str:
    """CUPURE_SECRET_KEY, or the key kept in ``directory``; raises SecretKeyProblem saying what to do."""
    key = os.environ.get("CUPURE_SECRET_KEY", "").strip()
    if key:
        if len(key) < MIN_SECRET_KEY:
            raise SecretKeyProblem(
                f"CUPURE_SECRET_KEY is {len(key)} characters long: use at least {MIN_SECRET_KEY} random ones "
                f"(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
            )
        return key
    path = directory / "secret_key"
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        raise SecretKeyProblem(
            f"no secret key: {path} does not exist. Any `cupure` command (`cupure run`, `cupure migrate`) makes "
            f"one on first use; or set CUPURE_SECRET_KEY."
        ) from None
    if len(key) < MIN_SECRET_KEY:
        raise SecretKeyProblem(
            f"the secret key in {path} is {'empty' if not key else 'too short'}: every signed-in session and "
            f"form would break. Delete the file to have a new one made (readers will have to log in again), "
            f"or set CUPURE_SECRET_KEY."
        )
    return key


def prepare(directory: Path) -> None:
    """Make the data directory, its static folder and, unless CUPURE_SECRET_KEY is set, its secret key.

    The key is written atomically: into a temporary file first, which is then linked into place only if no
    other process did it first (link, unlike rename, never replaces). Processes that start together all end
    up with the one key that won; a full disk leaves no file behind, never an empty one."""
    try:
        (directory / "static").mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SecretKeyProblem(f"could not make the data directory {directory}: {exc}") from exc
    path = directory / "secret_key"
    if os.environ.get("CUPURE_SECRET_KEY", "").strip() or path.exists():
        return
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".secret_key.")  # mode 0600
    try:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process made it first: theirs is the key
    except OSError as exc:
        raise SecretKeyProblem(
            f"could not write a new secret key to {path}: {exc}. Free some space in {directory} or set "
            f"CUPURE_SECRET_KEY."
        ) from exc
    finally:
        os.unlink(tmp)
