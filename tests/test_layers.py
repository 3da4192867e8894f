"""The layers a newcomer reads from the folders (README, "How it works"): the pure stages load no Django and no
app, and the helpers in lib/ import nothing of the layers above them."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

CUPURE = Path(__file__).resolve().parent.parent / "cupure"
APPS = ("cupure.news", "cupure.sources", "cupure.comments", "cupure.accounts", "cupure.api", "cupure.search",
        "cupure.ops")  # fmt: skip


def imports_of(folder: str) -> dict[str, set[str]]:
    """Every module a folder's files import (at any depth of the file: a function's import counts too)."""
    out = {}
    for path in sorted((CUPURE / folder).rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
            elif isinstance(node, ast.ImportFrom) and node.level >= 2:
                names.add("cupure." + (node.module or ""))  # from ..news import x, inside cupure/<folder>/
        out[str(path.relative_to(CUPURE))] = names
    return out


@pytest.mark.parametrize("folder", ["ingest", "analysis"])
def test_the_pure_stages_load_no_django_and_no_app(folder):
    for path, names in imports_of(folder).items():
        bad = {n for n in names if n.split(".")[0] == "django" or n.startswith(APPS)}
        assert not bad, f"{path} imports {sorted(bad)}"


def test_lib_imports_nothing_above_it():
    above = APPS + ("cupure.ingest", "cupure.analysis")
    for path, names in imports_of("lib").items():
        bad = {n for n in names if n.startswith(above)}
        assert not bad, f"{path} imports {sorted(bad)}"


@pytest.mark.parametrize("module", ["cupure.ingest.extract", "cupure.ingest.parse", "cupure.analysis.topics"])
def test_the_pure_stages_load_no_django_through_what_they_import(module):
    """What lib/ gives the stages must be pure too: a stage that loads Django through a helper is not pure."""
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"{module} loads {out.strip()}"


# An import inside a function, each for a reason other than a cycle between cupure's own modules.
LATE_IMPORTS = {
    ("apps.py", "ready"): "Django's place for signal receivers: models are loaded by then",
    ("cli.py", "_require_schema"): "models load only once django.setup() has run",
    ("ops/runner.py", "_run_redis"): "django_rq is an app of the Redis queue only",
    ("ops/health.py", "queue_depth"): "django_rq is an app of the Redis queue only",
    ("analysis/sections.py", "__init__"): "scikit-learn costs most of a second to import",
}


def test_no_import_inside_a_function_to_dodge_a_cycle():
    found = set()
    for path in sorted(CUPURE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        rel = str(path.relative_to(CUPURE))
        for func in ast.walk(ast.parse(path.read_text())):
            if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                if any(isinstance(n, ast.Import | ast.ImportFrom) for n in ast.walk(func)):
                    found.add(("apps.py" if rel.endswith("/apps.py") else rel, func.name))
    assert found == set(LATE_IMPORTS), f"imports inside functions: {sorted(found - set(LATE_IMPORTS))}"
