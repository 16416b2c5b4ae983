"""Crashes, concurrency and damage: a killed ingest, two ingests at once, a damaged corpus or index.

Each test drives the installed command in real processes against a real git repository, then checks
what a user relies on: ``git fsck`` accepts the corpus, a batch is in it entirely or not at all, and
``provdiff doctor`` repairs what git allows and names what it cannot.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from benchmarks.synth import article
from typer.testing import CliRunner

from provdiff import api
from provdiff.cli import app
from provdiff.index import FILE_NAME
from provdiff.store import Corpus

runner = CliRunner()
PROVDIFF = [sys.executable, "-m", "provdiff"]
BATCH = 150


def _batch(folder: Path, seed: int, count: int = BATCH) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for number in range(count):
        (folder / f"story{number:04d}.txt").write_text(article(rng), encoding="utf-8")
    return folder


def _ingest(corpus: Corpus, folder: Path, source: str = "wire") -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*PROVDIFF, "ingest", "--corpus", str(corpus.root), "--source", source, str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _articles(corpus: Corpus) -> int:
    return len(corpus.article_ids())


def _kill_when(process: subprocess.Popen[bytes], corpus: Corpus, moment: str) -> None:
    """SIGKILL the ingest at ``moment``: while it still reads input, while git fast-import is
    receiving the batch (its temporary pack exists), or late, around the commit."""
    pack_dir = Path(corpus.repo.git_dir) / "objects" / "pack"
    if moment == "streaming":
        deadline = time.monotonic() + 20
        while not list(pack_dir.glob("tmp_pack_*")) and time.monotonic() < deadline:
            time.sleep(0.005)
        assert list(pack_dir.glob("tmp_pack_*")), "fast-import never started"
    else:
        time.sleep({"early": 0.3, "late": 1.3}[moment])
    process.send_signal(signal.SIGKILL)
    process.wait()


@pytest.mark.parametrize("moment", ["early", "streaming", "late"])
def test_kill_9_during_a_batch_leaves_all_or_nothing(corpus: Corpus, tmp_path: Path, moment: str) -> None:
    folder = _batch(tmp_path / "batch", seed=1)
    head = corpus.head()
    _kill_when(_ingest(corpus, folder), corpus, moment)
    time.sleep(0.5)  # the orphaned fast-import sees its input end and gives up
    assert corpus.fsck() == []
    count = _articles(corpus)
    assert count in (0, BATCH), f"a killed batch left {count} of {BATCH} articles"
    assert (corpus.head() == head) == (count == 0)
    if moment != "late":
        assert count == 0  # killed before fast-import's "done": the branch never moved
    doctor = runner.invoke(app, ["doctor", "--corpus", str(corpus.root)])
    assert doctor.exit_code == 0, doctor.output
    assert not list(Path(corpus.repo.git_dir).glob("objects/pack/tmp_*"))
    again = _ingest(corpus, folder)
    _, error = again.communicate()
    assert again.returncode == 0, error
    assert _articles(corpus) == BATCH
    assert corpus.fsck() == []


def test_two_ingests_at_once_never_lose_or_corrupt(corpus: Corpus, tmp_path: Path) -> None:
    first = _ingest(corpus, _batch(tmp_path / "a", seed=2), "alpha")
    second = _ingest(corpus, _batch(tmp_path / "b", seed=3), "beta")
    codes = (first.wait(), second.wait())
    errors = [p.stderr.read().decode() for p in (first, second) if p.stderr]
    assert set(codes) <= {0, 1}
    assert 0 in codes
    for code, error in zip(codes, errors, strict=True):
        if code == 1:
            assert error.startswith("Error: another provdiff process") and "run the command again" in error
    assert _articles(corpus) == BATCH * codes.count(0)
    assert corpus.fsck() == []
    assert runner.invoke(app, ["doctor", "--corpus", str(corpus.root)]).exit_code == 0


def test_doctor_rebuilds_a_corrupted_index_and_cleans_leftovers(sample_corpus: Corpus) -> None:
    root = str(sample_corpus.root)
    assert runner.invoke(app, ["reindex", "--corpus", root]).exit_code == 0
    index = sample_corpus.state_dir / FILE_NAME
    with index.open("r+b") as handle:
        handle.seek(100)
        handle.write(os.urandom(4000))
    pack_dir = Path(sample_corpus.repo.git_dir) / "objects" / "pack"
    (pack_dir / "tmp_pack_abc123").write_bytes(b"PACK partial")
    result = runner.invoke(app, ["doctor", "--corpus", root])
    assert result.exit_code == 0, result.output
    assert "removed 1 file(s) left by a killed git fast-import" in result.output
    assert "claim index was damaged: rebuilt from git" in result.output
    with api.open_claims_index(sample_corpus) as rebuilt:
        assert len(rebuilt.current_claims()) > 50


def test_doctor_names_what_it_cannot_repair(sample_corpus: Corpus) -> None:
    root = sample_corpus.root
    text = next(root.glob("articles/*/*/text.md"))
    text.write_text("front matter gone\n\nbody\n", encoding="utf-8")
    dirty = runner.invoke(app, ["doctor", "--corpus", str(root)])
    assert dirty.exit_code == 1
    assert "uncommitted changes" in dirty.output
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "edit"], cwd=root, check=True
    )
    broken = runner.invoke(app, ["doctor", "--corpus", str(root)])
    assert broken.exit_code == 1
    assert "no front matter" in broken.output


def test_a_stale_git_index_lock_is_cleared_by_doctor_and_by_the_next_ingest(
    sample_corpus: Corpus, tmp_path: Path
) -> None:
    """``kill -9`` during the work-tree sync leaves ``.git/index.lock``: the next ingest clears it
    (its owner is gone: provdiff holds the corpus lock), and so does doctor; a fresh lock, which a
    git command running this moment may own, stays."""
    root = sample_corpus.root
    lock = root / ".git" / "index.lock"
    lock.write_bytes(b"")
    story = tmp_path / "pier.txt"
    story.write_text("Pier\n\nThe northern pier reopened on Monday after repairs, officials said.\n")
    fresh = runner.invoke(app, ["ingest", "--corpus", str(root), "--source", "tide", str(story)])
    assert lock.exists()  # seconds old: perhaps the user's own git command
    # the commit landed; the work-tree sync could not run: one line that says both, no traceback
    assert fresh.exit_code == 1 and isinstance(fresh.exception, SystemExit)
    assert fresh.stderr.startswith("Error: stored as commit ") and fresh.stderr.count("\n") == 1
    assert "the next provdiff command finishes it" in fresh.stderr
    old = time.time() - 60
    os.utime(lock, (old, old))
    healed = runner.invoke(app, ["ingest", "--corpus", str(root), "--source", "tide", str(story)])
    assert healed.exit_code == 0, healed.output
    assert not lock.exists()
    lock.write_bytes(b"")
    os.utime(lock, (old, old))
    doctor = runner.invoke(app, ["doctor", "--corpus", str(root)])
    assert doctor.exit_code == 0, doctor.output
    assert "removed a stale .git/index.lock" in doctor.output and not lock.exists()
