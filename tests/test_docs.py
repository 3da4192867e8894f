"""The docs say what the code does, both ways: every setting the code reads is documented and every documented
setting is read; every command of cupure's own is in the README's command table and every command there runs
(as datasette checks its documentation against its code)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
VARIABLE = re.compile(r"\bCUPURE_[A-Z][A-Z0-9_]*[A-Z0-9]\b")


def _read_by(*places: str) -> set[str]:
    names = set()
    for place in places:
        path = ROOT / place
        for file in path.rglob("*.py") if path.is_dir() else [path]:
            names.update(VARIABLE.findall(file.read_text()))
    return names


def _read_by_code() -> set[str]:
    return _read_by("cupure")


def _documented() -> set[str]:
    return {n for doc in DOCS for n in VARIABLE.findall(doc.read_text())}


def test_every_setting_the_code_reads_is_documented():
    missing = sorted(_read_by_code() - _documented())
    assert not missing, f"read by cupure but in no doc: {missing}"


def test_every_documented_setting_is_read():
    # The suite's own switches are documented with it and read by the tests, the Makefile and CI.
    stale = sorted(_documented() - _read_by("cupure", "tests", "bench", "Makefile", ".ci/run"))
    assert not stale, f"documented but read nowhere: {stale}"


def _own_commands() -> set[str]:
    folders = (ROOT / "cupure").glob("*/management/commands/*.py")
    return {p.stem.replace("_", "-") for p in folders if not p.stem.startswith("_")}


def _readme_commands() -> set[str]:
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Command line") : readme.index("## How it works")]
    return set(re.findall(r"^\| `cupure ([a-z-]+)", table, re.M)) | set(re.findall(r"/ `cupure ([a-z-]+)", table))


def test_the_readme_command_table_lists_every_command_of_cupure():
    aliases = {"import-articles": "import"}  # `cupure import` runs the import_articles command
    own = {aliases.get(c, c) for c in _own_commands()}
    assert own - _readme_commands() == set(), f"missing from the README's table: {sorted(own - _readme_commands())}"


def test_every_command_in_the_readme_table_answers_its_help():
    listed = subprocess.run(
        [sys.executable, "-m", "cupure.cli", "help", "--commands"], capture_output=True, text=True, check=True
    ).stdout.split()
    known = {c.replace("_", "-") for c in listed} | {"import"}
    unknown = sorted(_readme_commands() - known)
    assert not unknown, f"the README names commands cupure does not have: {unknown}"
