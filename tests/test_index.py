"""The claim index stores what the relation found and decides nothing; its queries read by index."""

from __future__ import annotations

from pathlib import Path

import pytest

from provdiff import index as index_module
from provdiff.claims.options import RelationOptions
from provdiff.index import Index
from provdiff.model import Article, Format, Metadata, Revision, RevisionKind
from tests.test_align import SENTENCES


def index_revision(index: Index, source: str, number: int, paragraphs: tuple[str, ...]) -> None:
    """Index revision ``number`` of the article ``SOURCE/x`` (no git needed)."""
    article = Article(f"{source}/x", Metadata(source=source), Format.TEXT, paragraphs)
    kind = RevisionKind.FIRST if number == 1 else RevisionKind.UPDATE
    revision = Revision(article.article_id, number, f"{source}{number}".ljust(40, "0"), "2025-03-01", kind)
    index.add_revision(article, revision, "2025-03-01", [])


def test_indexing_a_revision_never_scans_a_whole_table(tmp_path: Path) -> None:
    """Every statement run while an article is revised reads by an index: a plan that scans the
    claims costs the whole corpus per revision (a rebuild became quadratic once that way)."""
    statements: list[str] = []
    with Index(tmp_path / "index.sqlite") as index:
        index.reset()
        for number, source in enumerate(["wire", "daily", "blog", "radio"]):
            index_revision(index, source, 1, tuple(SENTENCES[number : number + 5]))
        index.db.set_trace_callback(statements.append)
        index_revision(index, "daily", 2, tuple(SENTENCES[2:8]))
        index.db.set_trace_callback(None)
        reads = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "DELETE", "UPDATE"))]
        assert any("FROM claims" in s or "UPDATE claims" in s for s in reads)
        plans = {s: [row[3] for row in index.db.execute("EXPLAIN QUERY PLAN " + s)] for s in reads}
    scans = {s: step for s, p in plans.items() for step in p if step.startswith("SCAN")}
    assert scans == {}


def test_links_and_groups_are_found_again_only_when_claims_or_options_change(tmp_path: Path) -> None:
    with Index(tmp_path / "index.sqlite") as index:
        index.reset()
        index_revision(index, "wire", 1, (SENTENCES[0], SENTENCES[6]))
        index_revision(index, "daily", 1, (SENTENCES[6],))
        index.set_head("a" * 40)
        index.relate()
        stamp = index.related_for()
        assert next(len(g.claims) for g in index.groups()) == 2
        index.relate()  # nothing changed: nothing found again
        assert index.related_for() == stamp
        index_revision(index, "daily", 2, (SENTENCES[1],))
        assert index.related_for() == ""  # claims changed: stale until related again
        index.relate()
        assert all(len(g.claims) == 1 for g in index.groups())
    with Index(tmp_path / "index.sqlite", RelationOptions(copy=0.95)) as other:
        assert other.related_for() != "" and "0.95" not in other.related_for()
        other.relate()
        assert '"copy": 0.95' in other.related_for()


def test_verbatim_appearances_are_told_apart_from_other_keys_of_the_same_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Verbatim appearances are looked up by a 32-bit hash of the match key (``claims.hashed``);
    with every key hashed alike, the lookup still finds exactly the claims of the same key."""
    monkeypatch.setattr(index_module, "key_hash", lambda _: 7)
    with Index(tmp_path / "index.sqlite") as index:
        index.reset()
        index_revision(index, "wire", 1, (SENTENCES[0], SENTENCES[1]))
        index_revision(index, "daily", 1, (SENTENCES[0], SENTENCES[2]))
        found = index.same_key(SENTENCES[0])
    assert sorted(c.claim_id for c in found) == ["daily/x@1#p1s1", "wire/x@1#p1s1"]
