"""Docs that cannot drift: the README's tour runs as written, every command is in the README and
has help text, the JSON reference names the keys each command writes, the docs site builds with
the CLI reference generated from the program."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from provdiff.cli import app
from provdiff.store import Corpus
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]


def test_readme_starts_with_the_two_commands() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block is not None
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert commands == ["make demo", "make test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_and_has_help(command: str) -> None:
    assert f"`provdiff {command}" in README
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.stdout


def test_every_declared_dependency_is_pinned() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    pins = {
        line.split("==")[0].lower().replace("_", "-")
        for line in (ROOT / "constraints.txt").read_text().splitlines()
        if "==" in line
    }
    declared = re.findall(r'^\s+"([A-Za-z0-9_.-]+)[<>=\[]', pyproject, re.M)
    assert declared
    assert {name.lower().replace("_", "-") for name in declared} <= pins


def _tour() -> list[str]:
    block = re.search(r"<!-- --8<-- \[start:tour\] -->\n```sh\n(.*?)```", README, re.S)
    assert block is not None, "the README's tour block is marked for the docs to include"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_the_readme_tour_runs_as_written(tmp_path: Path) -> None:
    """Every line of the tour, in one shell from a directory laid out like the project root (the
    sample corpus at ``corpus/``), exits as the README says: 1 where its comment says so, else 0."""
    (tmp_path / "corpus").symlink_to(ROOT / "corpus")
    lines = _tour()
    assert len(lines) >= 15
    checks = []
    for number, line in enumerate(lines, 1):
        expected = 1 if "(exit 1" in line else 0
        checks.append(
            f'eval {shlex.quote(line)} >"$LOG/{number}.out" 2>&1; rc=$?\n'
            f'[ "$rc" -eq {expected} ] || {{ echo "tour line {number} exited $rc, not {expected}"; '
            f'cat "$LOG/{number}.out"; exit 1; }}'
        )
    log = tmp_path / "log"
    log.mkdir()
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "LOG": str(log),
    }
    env.pop("PROVDIFF_CORPUS", None)
    done = subprocess.run(
        ["bash", "-c", "\n".join(checks)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    outputs = {n: (log / f"{n}.out").read_text(encoding="utf-8") for n in range(1, len(lines) + 1)}
    said = "\n".join(outputs.values())
    assert "3 added" in said and "1 revised" in said
    assert "figures changed" in said  # the revision's diff names the changed figure
    assert (tmp_path / "build" / "tour" / "report.html").is_file()


def _documented_keys() -> dict[str, set[str]]:
    text = (ROOT / "docs" / "reference" / "json.md").read_text(encoding="utf-8")
    found = {}
    for command, body in re.findall(r"^## `(provdiff [^`]+)`\n(.*?)(?=^## |\Z)", text, re.S | re.M):
        keys: set[str] = set()
        for cell in re.findall(r"^\| (.*?) \|", body, re.M):
            keys |= set(re.findall(r"`([a-z_]+)`", cell))
        found[command] = keys
    return found


def test_the_json_reference_names_the_keys_each_command_writes(sample_corpus: Corpus) -> None:
    documented = _documented_keys()
    assert len(documented) >= 12
    article = next(a for a in sample_corpus.article_ids() if "002" in a)
    runner = CliRunner()
    root = str(sample_corpus.root)
    for command, keys in documented.items():
        words = shlex.split(command)[1:]
        words = [
            {
                "A": "000",
                "B": "002",
                "ARTICLE": article,
                "RANGE": "HEAD",
                "TEXT": "Tariffs of 15 percent.",
            }.get(w, w)
            for w in words
        ]
        words = [str(ROOT / "corpus" / "002_ebc0afa3816657dc.txt") if w == "FILE" else w for w in words]
        if words[0] == "ingest":
            words[1:1] = ["--source", "docs-check"]
        result = runner.invoke(app, [*words[:-2], "--corpus", root, *words[-2:]])
        assert result.exit_code in (0, 1), (command, result.output)
        written = set(json.loads(result.stdout))
        assert written == keys, (command, written ^ keys)


def test_the_docs_site_builds_with_a_generated_cli_reference(tmp_path: Path) -> None:
    site = tmp_path / "site"
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    reference = (site / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    for command in COMMANDS:
        assert f'id="provdiff-{command}"' in reference, command
    assert "--lexical" in reference and "--explain" in reference
    assert "provdiff init build/tour" in re.sub(
        r"<[^>]+>", "", (site / "getting-started" / "index.html").read_text()
    )
