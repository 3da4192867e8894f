"""A pytest plugin (`-p tests.own_metrics` in pyproject.toml), loaded before pytest-django reads the settings.

The settings put Prometheus's per-process counter files in one folder per data directory. Every pytest
process uses the default data directory, so `make test`'s two passes (run side by side) and a developer's
running site would all count into one folder, and /metrics adds up every file in it: a test that counts
one refresh saw another process's too. Each pytest process gets a folder of its own.
"""

import os
import shutil
import tempfile

import pytest

FOLDER = tempfile.mkdtemp(prefix="cupure-test-metrics-")
os.environ["CUPURE_METRICS_DIR"] = FOLDER


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    from django.conf import settings

    # pytest-django has read the settings by now; if it had not, the folder would not be this one.
    assert str(settings.METRICS_DIR) == FOLDER, settings.METRICS_DIR
    # The sites and workers the tests start keep the folder of their own data directory: a `cupure run`
    # empties its folder as it starts, which would take this process's counters with it.
    del os.environ["CUPURE_METRICS_DIR"]


def pytest_unconfigure(config):
    shutil.rmtree(FOLDER, ignore_errors=True)
