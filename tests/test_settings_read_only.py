"""Reading the settings writes nothing: the metrics folder is made by the first process that records a metric."""

import os
import subprocess
import sys
from pathlib import Path


def test_reading_the_settings_makes_no_folder(tmp_path):
    folder = tmp_path / "metrics"
    env = {**os.environ, "CUPURE_METRICS_DIR": str(folder), "DJANGO_SETTINGS_MODULE": "cupure.settings"}
    root = Path(__file__).resolve().parent.parent
    read = "from django.conf import settings; print(settings.DATA_DIR)"
    subprocess.run([sys.executable, "-c", read], env=env, cwd=root, check=True, capture_output=True)
    assert not folder.exists()
    record = "import django; django.setup(); from cupure.ops import metrics; metrics.FETCHES.labels(outcome='ok').inc()"
    subprocess.run([sys.executable, "-c", record], env=env, cwd=root, check=True, capture_output=True)
    assert any(folder.glob("*.db"))
