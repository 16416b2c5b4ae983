"""The claim groups are a function of the corpus: any ingest order, any split into batches, an index
kept up to date by ingest or rebuilt from git, any process's string hashing, give the same result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from provdiff import api
from provdiff.cli import app
from provdiff.index import FILE_NAME, table_rows
from provdiff.model import Metadata
from provdiff.store import Corpus
from tests.newsgen import Generated, corpora
from tests.test_relation import DOCK, MORE, RESTATED, WIRE

runner = CliRunner()


def _ingest(corpus: Corpus, folder: Path, batch: list[Generated]) -> None:
    items = []
    for article in batch:
        path = folder / article.name
        path.write_text(article.text, encoding="utf-8")
        meta = Metadata(source=article.source, published=article.published)
        items += api.collect_inputs([str(path)], None, meta, None, None)
    api.ingest(corpus, items)


def _claims_json(corpus: Corpus) -> str:
    result = runner.invoke(app, ["claims", "--corpus", str(corpus.root), "-f", "json"])
    assert result.exit_code == 0, result.output
    return result.stdout


@settings(max_examples=4, deadline=None)
@given(articles=corpora(), data=st.data())
def test_any_order_and_batching_gives_the_same_claims(
    tmp_path_factory: pytest.TempPathFactory, articles: list[Generated], data: st.DataObject
) -> None:
    """Two corpora of the same articles, ingested in two random orders and two random splits into
    batches, with an index kept up to date by ingest in one of them: ``claims -f json`` is identical,
    and so is a rebuild of either (``reindex``)."""
    outputs = []
    for run in range(2):
        folder = tmp_path_factory.mktemp(f"order{run}")  # a new folder per example and run
        corpus = api.init(folder / "corpus")
        order = data.draw(st.permutations(articles))
        cuts = sorted(data.draw(st.sets(st.integers(1, len(order) - 1), max_size=4)))
        batches = [list(order[a:b]) for a, b in zip([0, *cuts], [*cuts, len(order)], strict=True)]
        for number, batch in enumerate(batches):
            _ingest(corpus, folder, batch)
            if run == 0 and number == 0:  # from now on ingest keeps this corpus's index up to date
                _claims_json(corpus)
        outputs.append(_claims_json(corpus))
        runner.invoke(app, ["reindex", "--corpus", str(corpus.root)])
        outputs.append(_claims_json(corpus))
    assert outputs[0] == outputs[1] == outputs[2] == outputs[3]
    groups = [json.loads(line.rstrip(",")) for line in outputs[0].splitlines()[1:-1]]
    assert any(g["status"] == "recurs" for g in groups)  # the planted paraphrases were found


def test_reindex_of_a_corpus_rebuilds_what_ingest_built(sample_corpus: Corpus, tmp_path: Path) -> None:
    """A real corpus: the index ingest kept up to date, revision by revision, against ``reindex``,
    table by table (claims, links with their evidence, groups)."""
    with api.open_claims_index(sample_corpus):
        pass
    batches = (
        ("geoje.txt", "wire", f"{WIRE} {DOCK}"),
        ("port.txt", "daily", f"{RESTATED} {MORE}"),
        ("geoje.txt", "wire", f"{WIRE} Port news."),  # a revision of the first
    )
    for name, source, text in batches:
        path = tmp_path / name
        path.write_text(f"Geoje\n\n{text}\n", encoding="utf-8")
        meta = Metadata(source=source, published="2025-09-01")
        api.ingest(sample_corpus, api.collect_inputs([str(path)], None, meta, None, None))
    with api.open_claims_index(sample_corpus):
        pass
    path = sample_corpus.state_dir / FILE_NAME
    incremental = table_rows(path)
    assert len({row[0] for row in incremental["revisions"]}) == len(incremental["articles"]) > 3
    assert len(incremental["revisions"]) > len(incremental["articles"])  # a revision among them
    assert incremental["links"] and incremental["members"]
    with api.open_claims_index(sample_corpus, rebuild=True):
        pass
    assert table_rows(path) == incremental


def test_a_rebuild_stores_the_same_rows_whatever_the_process_s_string_hashing(sample_corpus: Corpus) -> None:
    """Nothing stored follows the iteration order of sets of strings, which each process seeds anew:
    ``provdiff reindex`` run in processes of two hash seeds leaves the same rows in every table."""
    rebuilt = []
    for seed in ("1", "2"):
        subprocess.run(
            [sys.executable, "-m", "provdiff", "reindex", "--corpus", str(sample_corpus.root)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            check=True,
        )
        rebuilt.append(table_rows(sample_corpus.state_dir / FILE_NAME))
    assert rebuilt[0] == rebuilt[1]
    assert len(rebuilt[0]["links"]) >= 2


def test_progress_counts_every_revision_replayed(sample_corpus: Corpus, tmp_path: Path) -> None:
    steps: list[int] = []
    with api.open_claims_index(sample_corpus, rebuild=True, progress=steps.append) as index:
        assert sum(steps) == index.revision_total() == len(sample_corpus.timeline()) == 3
    path = tmp_path / "one.txt"
    path.write_text(f"One\n\n{WIRE}\n", encoding="utf-8")
    api.ingest(sample_corpus, api.collect_inputs([str(path)], None, Metadata(source="wire"), None, None))
    with api.open_claims_index(sample_corpus, rebuild=True, progress=steps.append):
        assert sum(steps) == 3 + 4
