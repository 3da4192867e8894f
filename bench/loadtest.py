"""wrk, run from this process as a second process against a server: requests per second, p99, errors."""
from __future__ import annotations

import re
import subprocess


def wrk(url: str, connections: int, seconds: int, headers: dict | None = None,
        script: str | None = None) -> tuple[float, float, str]:
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
