"""The claim index's queries stay proportional to one article, whatever the corpus size."""

from __future__ import annotations

import gc
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provdiff import index as index_module
from provdiff.cluster import extract_claims
from provdiff.cluster.matcher import count_votes, match_claims
from provdiff.cluster.verify import ClusterOptions
from provdiff.index import Index
from provdiff.index import memory as memory_module
from provdiff.index.memory import MemoryIndex, packed_ids, split_ids
from provdiff.model import Article, ClaimLink, Format, Metadata, Relation, Revision, RevisionKind
from tests.test_align import SENTENCES


def index_revision(index: Index, source: str, number: int, paragraphs: tuple[str, ...]) -> list[ClaimLink]:
    """Index revision ``number`` of the article ``SOURCE/x`` (no git needed); its new links."""
    article = Article(f"{source}/x", Metadata(source=source), Format.TEXT, paragraphs)
    kind = RevisionKind.FIRST if number == 1 else RevisionKind.UPDATE
    revision = Revision(article.article_id, number, f"{source}{number}".ljust(40, "0"), "2025-03-01", kind)
    return index.add_revision(article, revision, "2025-03-01", [])


def test_indexing_a_revision_never_scans_a_whole_table(tmp_path: Path) -> None:
    """Every statement run while an article is revised and matched reads by an index. A plan that
    scans claims, postings or term counts costs the whole corpus per article: a rebuild became
    quadratic once, when a new index on (current, ...) drew the retirement query."""
    statements: list[str] = []
    with Index(tmp_path / "index.sqlite") as index:
        index.reset()
        for number, source in enumerate(["wire", "daily", "blog", "radio"]):
            index_revision(index, source, 1, tuple(SENTENCES[number : number + 5]))
        index.db.set_trace_callback(statements.append)
        index_revision(index, "daily", 2, tuple(SENTENCES[2:8]))
        index.db.set_trace_callback(None)
        reads = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "DELETE", "UPDATE"))]
        assert any("FROM claims" in s for s in reads)
        plans = {s: [row[3] for row in index.db.execute("EXPLAIN QUERY PLAN " + s)] for s in reads}
    # no scan; a search by ``current`` alone reads every current claim, a scan in all but name
    scans = {
        s: step
        for s, p in plans.items()
        for step in p
        if step.startswith("SCAN") or step.endswith("(current=?)")
    }
    assert scans == {}


@given(st.lists(st.integers(1, 2**32 - 1), unique=True), st.lists(st.integers(1, 2**32 - 1), unique=True))
def test_postings_lists_round_trip_and_grow_by_concatenation_in_sqlite(
    first: list[int], then: list[int]
) -> None:
    """A stored list reads back as written, and appending a list in SQL as the upserts of
    ``add_revision`` do (``||`` makes text of two blobs, cast back) reads back as the two lists one
    after the other: bytes that are no UTF-8 and zero bytes included."""
    assert list(split_ids(packed_ids(first))) == first
    with closing(sqlite3.connect(":memory:")) as db:
        (grown,) = db.execute("SELECT CAST(? || ? AS BLOB)", (packed_ids(first), packed_ids(then))).fetchone()
    assert list(split_ids(grown)) == first + then


@given(st.sets(st.integers(0, 1999), max_size=1200))
def test_an_in_list_query_returns_each_asked_row_once_whatever_its_length(asked: set[int]) -> None:
    """``_query_rows`` splits the values into chunks and pads each to a power of two by repeating
    a value: every asked row comes back once, and no other (here over more than two chunks)."""
    with Index(Path(":memory:")) as index:
        index.db.execute("CREATE TEMP TABLE numbers(n INTEGER PRIMARY KEY)")
        index.db.executemany("INSERT INTO numbers VALUES (?)", [(n,) for n in range(2000)])
        rows = index._query_rows("SELECT n FROM numbers WHERE n IN ({})", sorted(asked))
    assert sorted(n for (n,) in rows) == sorted(asked)


@given(
    chosen=st.lists(st.lists(st.sampled_from(["port", "strike", "#USD100", "#15%", "union"]), unique=True)),
    lists=st.dictionaries(
        st.sampled_from(["port", "strike", "#USD100", "#15%", "union"]),
        st.sets(st.integers(1, 30), max_size=6).map(sorted),
    ),
    needed=st.integers(1, 4),
    lone=st.integers(0, 6),
)
def test_votes_are_a_count_of_the_lists_a_rare_figure_s_twice(
    chosen: list[list[str]], lists: dict[str, list[int]], needed: int, lone: int
) -> None:
    """Oracle: per list of looked-up terms, the claims whose lists add up to ``min_shared``,
    ascending; the list of a figure held by at most ``lone_figure`` claims counts twice."""

    def worth(term: str) -> int:
        return 2 if term[0] == "#" and len(lists[term]) <= lone else 1

    expected = []
    for terms in chosen:
        votes = {c: sum(worth(t) for t in terms if c in lists.get(t, [])) for c in range(31)}
        expected.append([c for c, n in votes.items() if n and n >= needed])
    options = ClusterOptions(min_shared=needed, lone_figure=lone)
    assert count_votes(chosen, {term: packed_ids(ids) for term, ids in lists.items()}, options) == expected


def test_a_figure_many_claims_hold_is_no_candidate_alone() -> None:
    """A new claim's amount makes a claim that shares nothing else a candidate only while at most
    ``lone_figure`` claims hold it: past that, the claims of other stories that share it by chance
    are not read, screened and weighed by the story check one by one."""
    figure = "#USD411600000"
    alone = [[figure, "harbor"]]
    few, many = packed_ids([3, 9]), packed_ids([3, 9, 12, 20])
    options = ClusterOptions(lone_figure=3)
    assert count_votes(alone, {figure: few}, options) == [[3, 9]]
    assert count_votes(alone, {figure: many}, options) == [[]]
    # with a second shared term the figure's holders still are candidates
    assert count_votes(alone, {figure: many, "harbor": packed_ids([12])}, options) == [[12]]


class _Failing(MemoryIndex):
    """A backing whose first question fails, as a damaged index's would, noting whether the
    collector was running when it was asked."""

    def __init__(self) -> None:
        super().__init__()
        self.collecting: list[bool] = []

    def term_stats(self, terms: set[str]) -> dict[str, tuple[int, int]]:
        self.collecting.append(gc.isenabled())
        raise OSError(f"disk I/O error reading {len(terms)} terms")


def test_a_match_pauses_the_collector_and_leaves_it_as_it_found_it(tmp_path: Path) -> None:
    """Matching pauses the cyclic collector (``cluster.matcher.match_claims``); after a match,
    one that raised too, it runs again, and a collector the caller had paused stays paused."""
    article = Article("blog/x", Metadata(source="blog"), Format.TEXT, tuple(SENTENCES[:2]))
    claims = extract_claims(article, 1, "2025-03-01")
    failing = _Failing()
    with pytest.raises(OSError, match="disk I/O"):
        match_claims(failing, claims, ClusterOptions())
    assert failing.collecting == [False]
    assert gc.isenabled()
    with Index(tmp_path / "index.sqlite") as index:
        index.reset()
        index_revision(index, "wire", 1, tuple(SENTENCES[:4]))
        assert index_revision(index, "daily", 1, tuple(SENTENCES[:4]))
        assert gc.isenabled()
        gc.disable()
        try:
            assert index.match(article, "2025-03-01")
            assert not gc.isenabled()
        finally:
            gc.enable()


def test_verbatim_copies_are_told_apart_from_other_keys_of_the_same_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Verbatim copies are looked up by a 32-bit hash of the match key (``claims.hashed``); with
    every key hashed alike, a match still finds exactly the claims of the same key, and the
    ``gram_cap`` still counts claims of that key only."""

    def links(folder: Path) -> list[tuple[str, str, Relation]]:
        with Index(folder / "index.sqlite", ClusterOptions(gram_cap=2)) as index:
            index.reset()
            for source in ("wire", "daily"):
                index_revision(index, source, 1, (SENTENCES[0], SENTENCES[1], SENTENCES[2]))
            index_revision(index, "blog", 1, (SENTENCES[0], SENTENCES[3], SENTENCES[4]))
            found = index_revision(index, "radio", 1, (SENTENCES[0], SENTENCES[3], SENTENCES[5]))
        return sorted((link.a.claim_id, link.b.claim_id, link.relation) for link in found)

    honest = tmp_path / "honest"
    honest.mkdir()
    expected = links(honest)
    monkeypatch.setattr(index_module, "key_hash", lambda _: 7)
    monkeypatch.setattr(memory_module, "key_hash", lambda _: 7)
    colliding = tmp_path / "colliding"
    colliding.mkdir()
    assert links(colliding) == expected
    # S3 is held by the blog alone: found; S0 by three articles, past the cap of 2: boilerplate
    assert expected == [("blog/x@1#p2s1", "radio/x@1#p2s1", Relation.VERBATIM)]
