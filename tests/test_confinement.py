"""What is ingested is committed to git history for good: nothing from outside the input gets in
unasked (symlinks out of a folder, a symlink on the command line, manifest paths that climb out)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provdiff.cli import app
from provdiff.store import Corpus

runner = CliRunner()
STORY = "Port reopens\n\nThe harbour authority said the northern pier reopened on Monday after repairs.\n"
SECRET = "Secret memo\n\nThe access code for the newsroom vault is 4417, the editor wrote.\n"


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """An input folder with one story, and a secret outside it."""
    folder, elsewhere = tmp_path / "input", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    (elsewhere / "secret.txt").write_text(SECRET, encoding="utf-8")
    return folder, elsewhere / "secret.txt"


def _ingest(corpus: Corpus, *args: str) -> tuple[int, str]:
    done = runner.invoke(app, ["ingest", "--corpus", str(corpus.root), "--source", "wire", *args])
    return done.exit_code, done.stderr


def _history(corpus: Corpus) -> str:
    return subprocess.run(
        ["git", "-C", str(corpus.root), "log", "--all", "-p", "--no-textconv"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout


def test_a_symlink_out_of_the_folder_is_refused_and_nothing_stored(
    corpus: Corpus, layout: tuple[Path, Path]
) -> None:
    folder, secret = layout
    (folder / "innocent.txt").symlink_to(secret)
    code, err = _ingest(corpus, str(folder))
    assert code == 2 and err.count("\n") == 1 and "leads outside" in err and "--allow-outside" in err
    assert "vault" not in _history(corpus) and corpus.article_ids() == []
    code, _ = _ingest(corpus, "--allow-outside", str(folder))
    assert code == 0 and len(corpus.article_ids()) == 2  # asked for: read


def test_a_symlink_inside_the_folder_is_read(corpus: Corpus, layout: tuple[Path, Path]) -> None:
    folder, _ = layout
    (folder / "sub").mkdir()
    (folder / "sub" / "alias.txt").symlink_to(folder / "story.txt")
    code, err = _ingest(corpus, str(folder))
    assert code == 0, err


def test_a_symlink_named_on_the_command_line_is_refused(corpus: Corpus, layout: tuple[Path, Path]) -> None:
    folder, secret = layout
    link = folder / "today.txt"
    link.symlink_to(secret)
    code, err = _ingest(corpus, str(link))
    assert code == 2 and "symbolic link" in err
    assert corpus.article_ids() == []


@pytest.mark.parametrize("entry", ["../elsewhere/secret.txt", "ABSOLUTE"])
def test_a_manifest_entry_outside_its_folder_is_refused(
    corpus: Corpus, layout: tuple[Path, Path], entry: str
) -> None:
    folder, secret = layout
    target = str(secret) if entry == "ABSOLUTE" else entry
    manifest = folder / "manifest.toml"
    manifest.write_text(f'[[article]]\nfile = "{target}"\nsource = "wire"\n', encoding="utf-8")
    for args in (["--manifest", str(manifest)], [str(folder)]):
        code, err = _ingest(corpus, *args)
        assert code == 2 and "leads outside" in err, (args, err)
    assert "vault" not in _history(corpus)
