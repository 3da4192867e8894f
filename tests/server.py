"""A real cupure site for tests that need one: its own SQLite file, gunicorn as `cupure serve` runs it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CUPURE = [sys.executable, "-m", "cupure.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveSite:
    url: str
    db: Path
    log: Path
    env: dict

    def manage(self, *args: str, code: str | None = None) -> str:
        """Run a cupure command (or, with ``code``, Python in `cupure shell`) against this site's database."""
        argv = CUPURE + (["shell", "-c", code] if code is not None else list(args))
        return subprocess.run(argv, env=self.env, cwd=ROOT, check=True, capture_output=True, text=True).stdout


@contextmanager
def live_site(tmp_path: Path, **settings: str):
    """Migrated, empty, on SQLite (whatever CUPURE_DATABASE_URL says), serving until the block ends."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CUPURE_")}
    env.update(
        {
            "CUPURE_DATA_DIR": str(tmp_path / "site"),
            "CUPURE_STARTER_SOURCES": "off",
            "CUPURE_PORT": str(port),
            "CUPURE_LOG_LEVEL": "WARNING",
            **settings,
        }
    )
    site = LiveSite(f"http://127.0.0.1:{port}", tmp_path / "site" / "cupure.sqlite3", tmp_path / "server.log", env)
    subprocess.run(CUPURE + ["migrate", "-v0"], env=env, cwd=ROOT, check=True, capture_output=True)
    with open(site.log, "wb") as log:
        proc = subprocess.Popen(
            CUPURE + ["serve"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(site.url + "/sources/", timeout=2).read()
                    break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise RuntimeError(f"the site did not start: {site.log.read_text()[-2000:]}") from None
                    time.sleep(0.2)
            yield site
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
