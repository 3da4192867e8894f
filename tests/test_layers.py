"""The layers a newcomer reads from the folders (README, "How it works"): the pure stages load no Django and no
app, and the helpers in lib/ import nothing of the layers above them."""

import ast
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
