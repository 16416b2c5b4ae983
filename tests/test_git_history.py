"""Commits made with git itself (rm, revert) are history the claim index follows, incrementally
and on a rebuild alike: removing an article with git never breaks a command."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from provdiff.cli import app
from provdiff.store import Corpus

runner = CliRunner()
PORT = (
    "Harbour reopens\n\n"
    "The harbour authority said the northern pier reopened on Monday after repairs costing $2.5 million.\n\n"
    "Fishing crews returned to sea at dawn, officials said.\n"
)


def _git(corpus: Corpus, *args: str) -> str:
    who = ["-c", "user.name=Editor", "-c", "user.email=editor@example.org"]
    done = subprocess.run(
        ["git", "-C", str(corpus.root), *who, *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _claims(corpus: Corpus) -> list[dict[str, object]]:
    done = runner.invoke(app, ["claims", "--corpus", str(corpus.root), "-f", "json"])
    assert done.exit_code == 0, done.output
    groups: list[dict[str, object]] = json.loads(done.stdout)["groups"]
    return groups


def test_an_article_removed_with_git_leaves_the_index_and_comes_back_with_a_revert(
    sample_corpus: Corpus, tmp_path: Path
) -> None:
    path = tmp_path / "port.txt"
    path.write_text(PORT, encoding="utf-8")
    assert (
        runner.invoke(
            app, ["ingest", "--corpus", str(sample_corpus.root), "--source", "tide", str(path)]
        ).exit_code
        == 0
    )
    before = _claims(sample_corpus)  # the index now holds the port article
    assert any("harbour" in json.dumps(g).lower() for g in before)
    (article,) = [a for a in sample_corpus.article_ids() if a.startswith("tide/")]
    _git(sample_corpus, "rm", "-r", "-q", "--sparse", f"articles/{article}")
    _git(sample_corpus, "commit", "-q", "-m", "Remove the port story")
    removed = _claims(sample_corpus)
    assert not any("harbour" in json.dumps(g).lower() for g in removed)
    for command in (["doctor"], ["report"], ["audit"], ["blame", "002"], ["list"]):
        done = runner.invoke(app, [*command, "--corpus", str(sample_corpus.root)])
        assert done.exit_code == 0, (command, done.output)
    assert runner.invoke(app, ["reindex", "--corpus", str(sample_corpus.root)]).exit_code == 0
    assert _claims(sample_corpus) == removed  # incremental == rebuild
    _git(sample_corpus, "revert", "--no-edit", "HEAD")
    back = _claims(sample_corpus)
    assert any("harbour" in json.dumps(g).lower() for g in back)
    assert runner.invoke(app, ["reindex", "--corpus", str(sample_corpus.root)]).exit_code == 0
    assert _claims(sample_corpus) == back
