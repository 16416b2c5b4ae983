"""A rebuild replays the history in memory and writes SQLite in bulk: the file must be what indexing
the same revisions one at a time leaves, table by table, row order of the links included."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from provdiff import api
from provdiff.cluster.verify import ClusterOptions
from provdiff.index import FILE_NAME, Index, table_rows
from provdiff.index.memory import MemoryIndex
from provdiff.model import Article, Format, Metadata, Relation, Revision, RevisionKind
from provdiff.store import Corpus
from tests.test_verify import _POOL as POOL
from tests.test_verify import DOCK, MORE, RESTATED, WIRE


def _revision(source: str, number: int, paragraphs: tuple[str, ...]) -> tuple[Article, Revision]:
    article = Article(
        f"{source}/x", Metadata(source=source, published=f"2025-03-0{number}"), Format.TEXT, paragraphs
    )
    kind = RevisionKind.FIRST if number == 1 else RevisionKind.UPDATE
    return article, Revision(
        article.article_id, number, f"{source}{number}".ljust(40, "0"), "2025-03-01", kind
    )


def _both(
    folder: Path, revisions: list[tuple[str, tuple[str, ...]]], options: ClusterOptions | None = None
) -> tuple[Path, Path]:
    """The revisions indexed one at a time into SQLite, and replayed in memory then loaded."""
    one_by_one, bulk = folder / "one.sqlite", folder / "bulk.sqlite"
    memory = MemoryIndex(options)
    numbers: Counter[str] = Counter()
    for path in (one_by_one, bulk):
        path.unlink(missing_ok=True)
    with Index(one_by_one, options) as index:
        index.reset()
        for source, paragraphs in revisions:
            numbers[source] += 1
            article, revision = _revision(source, numbers[source], paragraphs)
            stored = index.add_revision(article, revision, "2025-03-01", [])
            assert memory.add_revision(article, revision, "2025-03-01", []) == stored
    with Index(bulk) as index:
        index.reset()
        index.load(memory)
    return one_by_one, bulk


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    revisions=st.lists(
        st.tuples(
            st.sampled_from(["wire", "daily", "blog", "radio"]),
            st.lists(st.sampled_from(POOL), max_size=6).map(tuple),
        ),
        min_size=1,
        max_size=8,
    ),
    cap=st.sampled_from([100, 3]),
)
def test_bulk_load_leaves_the_file_indexing_one_by_one_leaves(
    tmp_path: Path, revisions: list[tuple[str, tuple[str, ...]]], cap: int
) -> None:
    """Oracle: any sequence of new articles and revisions, the links of each step and every table;
    with a small ``gram_cap`` terms pass it and lose their postings on the way."""
    one_by_one, bulk = _both(tmp_path, revisions, ClusterOptions(gram_cap=cap))
    assert table_rows(bulk) == table_rows(one_by_one)


def test_a_revised_article_s_links_and_counts_survive_the_bulk_load(tmp_path: Path) -> None:
    """The case the oracle must not miss by chance: links made, then retired by a revision, then
    made again; a term's count falling to zero articles keeps its row."""
    revisions = [
        ("wire", (WIRE, DOCK)),
        ("daily", (RESTATED,)),
        ("blog", (MORE, DOCK)),
        ("wire", (DOCK,)),
        ("radio", (RESTATED, MORE)),
    ]
    one_by_one, bulk = _both(tmp_path, revisions)
    tables = table_rows(bulk)
    assert tables == table_rows(one_by_one)
    assert Relation.VERBATIM.value in {row[2] for row in tables["links"]}
    assert ("winter_harbour", 0, 1, b"") in tables["terms"]  # wire@1's alone, retired: no postings
    assert [row[8] for row in tables["claims"]].count(0) == 2  # wire@1's two claims retired


def test_reindex_of_a_corpus_rebuilds_what_ingest_built(sample_corpus: Corpus, tmp_path: Path) -> None:
    """A real corpus: the index ingest kept up to date, revision by revision, against ``reindex``."""
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
    path = sample_corpus.state_dir / FILE_NAME
    incremental = table_rows(path)
    assert len({row[0] for row in incremental["revisions"]}) == len(incremental["articles"]) > 3
    assert len(incremental["revisions"]) > len(incremental["articles"])  # a revision among them
    with api.open_claims_index(sample_corpus, rebuild=True):
        pass
    assert table_rows(path) == incremental


def test_a_rebuild_stores_the_same_rows_whatever_the_process_s_string_hashing(sample_corpus: Corpus) -> None:
    """Word ids and profile rows do not follow the iteration order of sets of strings, which each
    process seeds anew: ``provdiff reindex`` run twice, in processes of two hash seeds, leaves the
    same rows in every table."""
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
    assert len(rebuilt[0]["words"]) > 100


def test_a_batch_twice_as_large_as_the_index_is_added_by_a_rebuild(
    sample_corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Catching up picks the cheaper way; both leave the same file (the tests above)."""
    with api.open_claims_index(sample_corpus) as index:
        assert index.revision_total() == 3
    rebuilt: list[str] = []
    real = api.rebuild_index

    def counted(corpus: Corpus, index: Index, **kwargs: Any) -> None:
        rebuilt.append(corpus.head())
        real(corpus, index, **kwargs)

    monkeypatch.setattr(api, "rebuild_index", counted)

    def ingest(batch: str, count: int) -> None:
        paths = []
        for number in range(count):
            paths.append(str(tmp_path / f"{batch}-{number}.txt"))
            Path(paths[-1]).write_text(f"{batch} {number}\n\n{WIRE} {DOCK}\n", encoding="utf-8")
        api.ingest(sample_corpus, api.collect_inputs(paths, None, Metadata(source="wire"), None, None))

    ingest("first", 5)  # 5 new against 3 indexed: added one by one
    assert rebuilt == []
    ingest("second", 16)  # 16 against 8: rebuilt
    assert rebuilt == [sample_corpus.head()]
    with api.open_claims_index(sample_corpus) as index:
        assert index.revision_total() == 24


def test_progress_counts_every_revision_replayed(sample_corpus: Corpus, tmp_path: Path) -> None:
    steps: list[int] = []
    with api.open_claims_index(sample_corpus, rebuild=True, progress=steps.append) as index:
        assert sum(steps) == index.revision_total() == len(sample_corpus.timeline()) == 3
    path = tmp_path / "one.txt"
    path.write_text(f"One\n\n{WIRE}\n", encoding="utf-8")
    api.ingest(sample_corpus, api.collect_inputs([str(path)], None, Metadata(source="wire"), None, None))
    with api.open_claims_index(sample_corpus, rebuild=True, progress=steps.append):
        assert sum(steps) == 3 + 4


def test_a_rebuild_freezes_the_heap_as_it_grows_and_thaws_it_after(
    sample_corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The replayed index is kept out of the collector's full passes while it grows, and handed
    back when the rebuild ends, failed or not (nothing frozen for good)."""
    monkeypatch.setattr(api, "_FREEZE_EVERY", 1)
    frozen: list[int] = []
    with api.open_claims_index(
        sample_corpus, rebuild=True, progress=lambda _: frozen.append(gc.get_freeze_count())
    ):
        pass
    assert len(frozen) == 3 and frozen[-1] > frozen[0] > 0
    assert gc.get_freeze_count() == 0

    def fail(_: int) -> None:
        raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        api.open_claims_index(sample_corpus, rebuild=True, progress=fail)
    assert gc.get_freeze_count() == 0
