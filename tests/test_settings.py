"""Settings come from the environment, fail loudly on bad values, and are all documented."""

import os
import subprocess
import sys

import pytest

from .conftest import ROOT


def load_settings(tmp_path, code="print(s.DATABASES['default']['ENGINE'])", **env):
    """Import the settings in a fresh process with only ``env`` set, then run ``code`` (``s``: the settings)."""
    full = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CUPURE_")},
        "CUPURE_DATA_DIR": str(tmp_path),
        "CUPURE_SECRET_KEY": "k" * 50,  # the `cupure` command would have made one in the data directory
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", f"import cupure.settings as s; {code}"],
        cwd=ROOT,
        env=full,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    "name,value",
    [
        ("CUPURE_PORT", "eighty"),
        ("CUPURE_PORT", "70000"),
        ("CUPURE_DEBUG", "maybe"),
        ("CUPURE_DATABASE_URL", "mysql://x/y"),
        ("CUPURE_FETCH_TIMEOUT", "-1"),
        ("CUPURE_LOG_LEVEL", "LOUD"),
        ("CUPURE_STARTER_SOURCES", "perhaps"),
        ("CUPURE_TASK_QUEUE", "kafka"),
        ("CUPURE_TASK_QUEUE", "redis"),
        ("CUPURE_LOG_FORMAT", "xml"),
        ("CUPURE_FEED_LEASE_SECONDS", "1"),
        ("CUPURE_REDIS_URL", "http://x"),
        ("CUPURE_TRUSTED_PROXIES", "10.0.0.0/33"),
        ("CUPURE_HTTPS", "sometimes"),
        ("CUPURE_TIME_ZONE", "Mars/Olympus_Mons"),
        ("CUPURE_TIME_ZONE", "../../etc/passwd"),
        ("CUPURE_DATABASE_URL", "postgres://u@127.0.0.1/test?pool_size=many"),
        ("CUPURE_DATABASE_URL", "postgres://u@127.0.0.1/test?pool_size=0"),
    ],
)
def test_bad_values_fail_loudly_naming_the_variable(tmp_path, name, value):
    result = load_settings(tmp_path, **{name: value})
    assert result.returncode != 0 and name in result.stderr


def test_choices_ignore_case_and_zones_are_names(tmp_path):
    assert (
        load_settings(
            tmp_path, CUPURE_LOG_LEVEL="warning", CUPURE_LOG_FORMAT="JSON", CUPURE_TIME_ZONE="Europe/Paris"
        ).returncode
        == 0
    )


def test_database_urls(tmp_path):
    assert "sqlite3" in load_settings(tmp_path).stdout
    assert "postgresql" in load_settings(tmp_path, CUPURE_DATABASE_URL="postgres://u:p@127.0.0.1:5432/test").stdout


def test_the_task_queue_follows_redis(tmp_path):
    def queue(**env):
        code = "print(s.TASK_QUEUE, s.TASKS['default']['BACKEND'])"
        return load_settings(tmp_path, code, **env).stdout.split()

    assert queue() == ["database", "django_tasks_db.DatabaseBackend"]
    assert queue(CUPURE_REDIS_URL="redis://127.0.0.1:6379/0") == ["redis", "django_tasks_rq.RQBackend"]
    assert queue(CUPURE_REDIS_URL="redis://127.0.0.1:6379/0", CUPURE_TASK_QUEUE="database")[0] == "database"
