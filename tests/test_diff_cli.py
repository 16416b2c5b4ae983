"""`provdiff diff`: corpus revisions, files outside the corpus, formats, exit codes, golden output."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provdiff.cli import app
from tests.conftest import SAMPLE, SEED_002

runner = CliRunner()

OLD = """Harbour reopens after storm

The harbour reopened on Saturday after three days of closure, the port authority said.

Repairs to the northern pier will cost $2.5 million and take six weeks, officials estimated.

Fishing crews returned to sea at dawn.

The mayor said the town was grateful to the volunteers.
"""
NEW = """Harbour reopens after storm

The mayor said the town was grateful to the volunteers.

The harbour reopened on Saturday after three days of closure, the port authority said.

Repairs to the northern pier will cost $4 million and take six weeks, officials estimated.

Ferries resumed their timetable in the afternoon.
"""


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def revised(tmp_path: Path) -> Path:
    """A corpus with one article in two revisions."""
    corpus = tmp_path / "c"
    _run("init", str(corpus))
    story = tmp_path / "harbour.txt"
    story.write_text(OLD, encoding="utf-8")
    assert _run("ingest", "--corpus", str(corpus), "--source", "tide", str(story))[0] == 0
    story.write_text(NEW, encoding="utf-8")
    assert _run("ingest", "--corpus", str(corpus), "--source", "tide", str(story))[0] == 0
    return corpus


def test_revisions_of_one_article(revised: Path, golden: Callable[[str, str], None]) -> None:
    code, out, _ = _run("diff", "--corpus", str(revised), "harbour@1", "harbour@2", "--color", "never")
    assert code == 1
    assert "^  A4 -> B1  moved" in out
    assert "~  A2 -> B3  edited (substantive: figures changed: $2.5 million -> $4 million)" in out
    assert "cost $[-2.5-]{+4+} million" in out
    assert "-  A3 -> B-  deleted" in out
    assert "+  A- -> B4  added" in out
    golden("revision/terminal.txt", out)
    code, markdown, _ = _run("diff", "--corpus", str(revised), "harbour@1", "harbour@2", "-f", "markdown")
    assert code == 1
    golden("revision/diff.md", markdown)


def test_json_schema_and_stable_ids(revised: Path) -> None:
    code, out, _ = _run("diff", "--corpus", str(revised), "harbour@1", "harbour", "-f", "json")
    assert code == 1
    document = json.loads(out)
    assert document["schema"] == "provdiff.diff/1"
    assert document["mode"] == "revisions"
    assert document["granularity"] == "paragraph"
    assert document["thresholds"] == {"fuzzy": 0.6, "split_merge": 0.8, "related": False}
    assert document["summary"]["moved"] == 1
    ids = [link["id"] for link in document["links"]]
    assert ids == ["a3:b0", "a0:b1", "a1:b2", "a:b3", "a2:b"]
    assert document["opcodes"][0] == ["insert", 0, 0, 0, 1]
    _, again, _ = _run("diff", "--corpus", str(revised), "harbour@1", "harbour", "-f", "json")
    assert again == out


def test_same_revision_exits_0(revised: Path) -> None:
    code, out, _ = _run("diff", "--corpus", str(revised), "harbour@2", "harbour", "--color", "never")
    assert code == 0
    assert "= unchanged: 4" in out


def test_files_outside_a_corpus_and_sources_mode(tmp_path: Path, golden: Callable[[str, str], None]) -> None:
    """Relative file names (tmp_path is the working directory), so the golden file has no machine path."""
    out_file = tmp_path / "diff.md"
    for seed in (SAMPLE / "000_570e932772899b8b.txt", SEED_002):
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    code, _, err = _run(
        "diff", "000_570e932772899b8b.txt", SEED_002.name, "-f", "markdown", "-o", str(out_file)
    )
    assert code == 1, err
    text = out_file.read_text(encoding="utf-8")
    assert "**only in B**" in text
    assert "shared claim, reworded" in text
    golden("seeds-000-vs-002/diff.md", text)


def test_threshold_and_granularity_options(revised: Path) -> None:
    code, out, _ = _run(
        "diff",
        "--corpus",
        str(revised),
        "harbour@1",
        "harbour@2",
        "--granularity",
        "sentence",
        "--threshold",
        "0.95",
        "-f",
        "json",
    )
    assert code == 1
    document = json.loads(out)
    assert document["granularity"] == "sentence"
    assert document["thresholds"]["fuzzy"] == 0.95


def test_trouble_exits_2_with_one_error_line(revised: Path, tmp_path: Path) -> None:
    code, _, err = _run("diff", "--corpus", str(revised), "harbour@9", "harbour")
    assert code == 2
    assert err.strip().splitlines() == [f"Error: {err.strip()[7:]}"]
    assert "no revision 9" in err
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    code, _, err = _run("diff", str(empty), str(SEED_002))
    assert code == 2
    assert "empty" in err
    code, _, err = _run("diff", "no-such-file", str(SEED_002))
    assert code == 2
    assert "no provdiff corpus" in err
