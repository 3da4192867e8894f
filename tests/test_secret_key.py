"""The secret key: made once, atomically, by whichever of many starting `cupure` processes comes first; an
empty or short key is refused loudly (the site and `cupure doctor` say so) instead of breaking every request;
merely importing the settings writes nothing and says how to get a key."""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from .server import ROOT, sqlite_only

PRINT_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def environment(data_dir, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CUPURE_")}
    return {**env, "CUPURE_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "cupure.settings", **extra}


def start(data_dir, **extra):
    """A `cupure` command starting on ``data_dir``; it prints the key the site signs with."""
    return subprocess.run(
        [sys.executable, "-m", "cupure.cli", "shell", "-c", PRINT_KEY],
        cwd=ROOT,
        env=environment(data_dir, **extra),
        capture_output=True,
        text=True,
    )


PREPARE_ONLY = (
    "import sys; from pathlib import Path; from cupure.lib.datadir import prepare; "
    "data = Path(sys.argv[1]); prepare(data); print((data / 'secret_key').read_text())"
)


def _share_one_key(data, results):
    assert all(r.returncode == 0 for r in results), [r.stderr[-300:] for r in results if r.returncode]
    keys = {r.stdout.strip() for r in results}
    assert len(keys) == 1 and len(keys.pop()) >= 50
    assert (data / "secret_key").stat().st_mode & 0o077 == 0  # readable by its owner only
    assert [p.name for p in data.iterdir() if p.name.startswith(".secret_key")] == []


@sqlite_only  # the key is a file in the data directory whatever the database
def test_processes_starting_together_share_one_key(tmp_path):
    # Twelve whole `cupure` commands once (the key they sign with), then the race itself more often and
    # tighter: many bare processes making the data directory at the same instant (each start of a whole
    # command takes a second or more here, which spreads the first ones out).
    data = tmp_path / "cupure"
    with ThreadPoolExecutor(12) as pool:
        _share_one_key(data, list(pool.map(lambda _: start(data), range(12))))
    for trial in range(4):
        data = tmp_path / f"trial{trial}"
        argv = [sys.executable, "-c", PREPARE_ONLY, str(data)]
        with ThreadPoolExecutor(16) as pool:
            results = list(
                pool.map(lambda _, argv=argv: subprocess.run(argv, cwd=ROOT, capture_output=True, text=True), range(16))
            )
        _share_one_key(data, results)


def test_an_empty_key_file_is_refused_loudly(tmp_path):
    tmp_path.joinpath("secret_key").write_text("")
    result = start(tmp_path)
    assert result.returncode != 0 and "secret key" in result.stderr and "empty" in result.stderr
    doctor = subprocess.run(
        [sys.executable, "-m", "cupure.cli", "doctor"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=environment(tmp_path),
    )
    assert doctor.returncode != 0 and "empty" in doctor.stderr and "none blocking" not in doctor.stdout


def test_a_short_key_in_the_environment_is_refused(tmp_path):
    result = start(tmp_path, CUPURE_SECRET_KEY="short")
    assert result.returncode != 0 and "CUPURE_SECRET_KEY" in result.stderr


def test_importing_the_settings_writes_nothing_and_says_how_to_get_a_key(tmp_path):
    data = tmp_path / "data"
    result = subprocess.run(
        [sys.executable, "-c", "import cupure.settings"],
        cwd=ROOT,
        env=environment(data),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "no secret key" in result.stderr and "cupure migrate" in result.stderr
    assert not data.exists()
    assert start(data).returncode == 0 and (data / "secret_key").exists()  # any cupure command makes it
