"""The module boundaries of DESIGN.md, checked in fresh interpreters (ruff checks the imports too)."""

from __future__ import annotations

import subprocess
import sys

import pytest

# module -> third-party modules that must not be loaded by importing it
FORBIDDEN = {
    "provdiff.model": {"git", "typer", "rapidfuzz", "sqlite3", "trafilatura"},
    "provdiff.errors": {"git", "typer", "rapidfuzz", "sqlite3"},
    "provdiff.read": {"git", "typer", "rapidfuzz", "sqlite3"},
    "provdiff.normalize": {"git", "typer", "rapidfuzz", "sqlite3"},
    "provdiff.store": {"typer", "rapidfuzz", "sqlite3"},
    "provdiff.report.corpus": {"git", "typer", "rapidfuzz", "sqlite3"},
    # every command loads api: what only one command needs loads in that command (start-up time)
    "provdiff.api": {"typer", "httpx", "numpy", "scipy"},
    "provdiff.cli": {"httpx", "numpy", "scipy"},
    "provdiff.segment": {"git", "typer", "rapidfuzz", "sqlite3"},
    "provdiff.alignment": {"git", "typer", "sqlite3"},
    "provdiff.report.diff": {"git", "typer", "rapidfuzz", "sqlite3"},
    "provdiff": {"git", "typer", "rapidfuzz", "sqlite3"},
    "provdiff.cluster": {"git", "typer", "sqlite3"},
    "provdiff.report.claims": {"git", "typer", "sqlite3"},
    "provdiff.index": {"git", "typer"},
    "provdiff.audit": {"git", "typer", "sqlite3"},
    "provdiff.report.audit": {"git", "typer", "sqlite3"},
    "provdiff.report.html": {"git", "typer", "sqlite3"},
    "provdiff.report.review": {"git", "typer", "sqlite3"},
    "provdiff.review": {"git", "typer", "sqlite3"},
    "provdiff.fetch": {"git", "typer", "sqlite3"},
    "provdiff.watch": {"git", "typer", "sqlite3"},
    "provdiff.cluster.shingles": {"git", "typer", "sqlite3"},
    "provdiff.claims.options": {"git", "typer", "sqlite3", "rapidfuzz", "numpy", "wordfreq"},
    "provdiff.claims.relation": {"git", "typer", "sqlite3", "numpy"},
    "provdiff.claims.batch": {"git", "typer", "sqlite3", "numpy"},
    "provdiff.cluster.stories": {"git", "typer", "sqlite3"},
    "provdiff.normalize.health": {"git", "typer", "rapidfuzz", "sqlite3"},
    "provdiff.read.warc": {"git", "typer", "rapidfuzz", "sqlite3"},
}


@pytest.mark.parametrize(("module", "forbidden"), sorted(FORBIDDEN.items()))
def test_core_module_keeps_out_what_it_must(module: str, forbidden: set[str]) -> None:
    code = (
        f"import sys, {module}; print(' '.join(sorted(m for m in {sorted(forbidden)!r} if m in sys.modules)))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == ""


def test_model_and_errors_import_only_the_standard_library() -> None:
    code = (
        "import sys; before = set(sys.modules); import provdiff.model, provdiff.errors; "
        "print(' '.join(sorted({m.split('.')[0] for m in set(sys.modules) - before})))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    outside = set(loaded.split()) - set(sys.stdlib_module_names) - {"provdiff"}
    assert outside == set()
