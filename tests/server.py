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

import httpx
import pytest

from .personas import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
CUPURE = [sys.executable, "-m", "cupure.cli"]
# Tests that run once, in the SQLite pass of .ci/run: live_site always serves SQLite, the fleets make
# PostgreSQL databases of their own, and some slow tests cannot depend on the suite's database at all.
sqlite_only = pytest.mark.skipif(bool(os.environ.get("CUPURE_DATABASE_URL")), reason="runs once, in the SQLite pass")


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

    def log_in(self, client: httpx.Client, username: str, password: str = PASSWORD) -> httpx.Response:
        """Log ``client`` in through the form, CSRF token and all; the site's answer (302: signed in)."""
        client.get("/accounts/login/")
        data = {"username": username, "password": password, "csrfmiddlewaretoken": client.cookies["csrftoken"]}
        return client.post("/accounts/login/", data=data)

    def log_in_page(self, page, username: str, password: str = PASSWORD) -> None:
        """Log a browser ``page`` (Playwright) in as ``username`` through the form, as whoever was signed in
        before is forgotten; the page ends on the home page."""
        page.context.clear_cookies()
        page.goto(self.url + "/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button:has-text('Log in')")
        page.wait_for_url(self.url + "/")

    def sign_up_page(self, page, username: str, password: str = PASSWORD) -> None:
        """Sign a new reader up in a browser ``page`` (Playwright) as a newcomer does: the page's own "Sign
        up" link, then the form."""
        page.click("text=Sign up")
        page.fill("#id_username", username)
        page.fill("#id_email", f"{username}@example.org")
        page.fill("#id_password1", password)
        page.fill("#id_password2", password)
        page.click("button:has-text('Create account')")

    @contextmanager
    def signed_in(self, username: str, timeout: float = 30):
        """A client signed in as ``username`` (a persona with the shared PASSWORD), closed with the block."""
        with httpx.Client(base_url=self.url, timeout=timeout, follow_redirects=False) as client:
            assert self.log_in(client, username).status_code == 302, f"{username} could not log in"
            yield client


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
