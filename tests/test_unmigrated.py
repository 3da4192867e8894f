"""Commands that need the site's tables refuse a database that was never migrated, saying what to run,
instead of a 500 on every page or a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("argv", [["serve"], ["import", "/dev/null"], ["worker"]])
def test_commands_on_a_database_never_migrated(tmp_path, argv):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CUPURE_")}
    env.update(CUPURE_DATA_DIR=str(tmp_path / "site"), CUPURE_STARTER_SOURCES="off")
    done = subprocess.run(
        [sys.executable, "-m", "cupure.cli", *argv], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "is not ready: migrations" in done.stderr and "Run `cupure migrate` first" in done.stderr
    assert "Traceback" not in done.stderr
