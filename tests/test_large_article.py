"""One very large article (30 MB, 50,000 paragraphs) ingests within a minute: in-document
duplicate detection is a prefix-filtered join, not a comparison of every paragraph with every
other (which took 134 s for 10,000 paragraphs, under the write lock). Slow: CI skips it."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from benchmarks.synth import sentence
from typer.testing import CliRunner

from provdiff.cli import app
from provdiff.store import Corpus

runner = CliRunner()


@pytest.mark.slow
def test_a_30_mb_article_ingests_within_a_minute(corpus: Corpus, tmp_path: Path) -> None:
    rng = random.Random(5)
    paragraphs, size = ["Big article"], 0
    while size < 30_000_000:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    big = tmp_path / "big.txt"
    big.write_text("\n\n".join(paragraphs), encoding="utf-8")
    start = time.perf_counter()
    done = runner.invoke(app, ["ingest", "--corpus", str(corpus.root), "--source", "big", str(big)])
    elapsed = time.perf_counter() - start
    assert done.exit_code == 0, done.output
    assert elapsed <= 60, elapsed
    assert runner.invoke(app, ["show", "--corpus", str(corpus.root), "big", "-f", "json"]).exit_code == 0
