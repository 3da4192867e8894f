"""Load-test plumbing shared by the benchmarks: servers in their own process group, wrk, signing in."""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path


def load_arguments(connections: int, **extra: dict) -> argparse.Namespace:
    """A load benchmark's command line: --connections, --seconds and ``extra`` (each option's name, without
    dashes, to its add_argument keywords); exits with how to install wrk when it is missing."""
    ap = argparse.ArgumentParser()
    for name, options in extra.items():
        ap.add_argument(f"--{name.replace('_', '-')}", **options)
    ap.add_argument("--connections", type=int, default=connections)
    ap.add_argument("--seconds", type=int, default=10)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install wrk; or `make bench-tools`)")
    return args


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(argv: list[str], env: dict, cwd: Path, log: Path, ready_url: str) -> subprocess.Popen:
    """Run a server, its output appended to ``log``; return once ``ready_url`` answers (any status)."""
    with open(log, "ab") as f:
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=f, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(ready_url, timeout=2).read()
            return proc
        except urllib.error.HTTPError:
            return proc  # it answers
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                stop(proc)
                sys.exit(f"server did not start: {log.read_text()[-3000:]}")
            time.sleep(0.3)


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM the server's whole process group (gunicorn and its workers); SIGKILL if it lingers."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def wrk(
    url: str, connections: int, seconds: int, headers: dict | None = None, script: str | None = None
) -> tuple[float, float, str]:
    """(requests per second, p99 latency in ms, a summary of non-2xx/3xx answers)."""
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for k, v in (headers or {}).items():
        cmd += ["-H", f"{k}: {v}"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p99_ms, f"{errors.group(1)} non-2xx/3xx" if errors else "all 2xx/3xx"


def median_of_three(url: str, connections: int, seconds: int, headers: dict | None = None):
    """(the median run's wrk result, the three runs' req/s). gunicorn's workers take connections from one
    shared socket, and a run whose connections all land on one worker measures half the server."""
    tries = sorted(wrk(url, connections, seconds, headers) for _ in range(3))
    return tries[1], [t[0] for t in tries]


def sign_in(base: str, username: str, password: str) -> tuple[str, str]:
    """Log in through cupure's form; returns (Cookie header, CSRF token) for the requests that follow."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(base + "/accounts/login/").read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    opener.open(base + "/accounts/login/", data.encode()).read()
    cookies = {c.name: c.value for c in jar}
    assert "sessionid" in cookies, f"could not sign in as {username}"
    return f"csrftoken={cookies['csrftoken']}; sessionid={cookies['sessionid']}", cookies["csrftoken"]
