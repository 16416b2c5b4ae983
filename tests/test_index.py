"""The claim index stores what the relation found and decides nothing; its queries read by index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from provdiff import index as index_module
from provdiff.claims import batch, candidates, meaning, relation
from provdiff.claims.features import Features
from provdiff.claims.options import RelationOptions
from provdiff.claims.relation import Judgement
from provdiff.cluster.engine import Engine
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


def _spy_on_terms(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts whose candidate terms the relation computes from now on, in order."""
    hashed: list[str] = []
    real = candidates.term_hashes

    def spy(texts: list[str], engine: Engine) -> tuple[Any, Any]:
        hashed.extend(texts)
        return real(texts, engine)

    monkeypatch.setattr(batch, "term_hashes", spy)
    return hashed


NEW = "Repairs to the northern pier are to cost $2.5 million, the council said."


def test_relating_again_computes_only_what_is_new_and_keeps_no_stale_memo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a revision, the relation's memo (``terms``, ``judged``) supplies every text that was
    current before: only the revision's new texts have their terms computed. Entries of texts no
    longer current are dropped, and other options drop the judgements, never the terms."""
    hashed = _spy_on_terms(monkeypatch)
    judged_pairs: list[tuple[str, str]] = []
    real_judge = relation.judge

    def judge(a: Features, b: Features, options: RelationOptions) -> Judgement:
        judged_pairs.append((a.text, b.text))
        return real_judge(a, b, options)

    monkeypatch.setattr(batch, "judge", judge)
    with Index(tmp_path / "index.sqlite") as index:
        index.reset()
        index_revision(index, "wire", 1, tuple(SENTENCES[0:4]))
        index_revision(index, "daily", 1, tuple(SENTENCES[2:6]))
        index.set_head("a" * 40)
        index.relate()
        assert sorted(hashed) == sorted(set(SENTENCES[0:6]))
        judged = index.db.execute("SELECT count(*) FROM judged").fetchone()[0]
        assert judged > 0
        hashed.clear()
        judged_pairs.clear()
        index_revision(index, "daily", 2, (*SENTENCES[2:5], NEW))
        index.set_head("b" * 40)
        index.relate()
        assert hashed == [NEW]
        assert judged_pairs and all(NEW in pair for pair in judged_pairs)
        current = {index_module.text_hash(t) for t in (*SENTENCES[0:5], NEW)}
        assert {row[0] for row in index.db.execute("SELECT text FROM terms")} == current
        assert {x for row in index.db.execute("SELECT a, b FROM judged") for x in row} <= current
    with Index(tmp_path / "index.sqlite", RelationOptions(copy=0.95)) as other:
        hashed.clear()
        judged_pairs.clear()
        other.relate()
        assert hashed == []  # terms do not depend on the options
        assert judged_pairs  # judgements do
        memo = other.db.execute("SELECT value FROM meta WHERE key = 'memo'").fetchone()[0]
        assert '"copy": 0.95' in memo
        assert other.db.execute("SELECT count(*) FROM judged").fetchone()[0] > 0


def test_an_index_of_another_commit_adopts_the_memo_and_finds_the_same_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``review`` builds the index of the merge base in a temporary file: it takes the corpus
    index's memo, so only texts the head does not hold have their terms computed, and its groups
    are those of a cold build."""
    with Index(tmp_path / "head.sqlite") as head:
        head.reset()
        index_revision(head, "wire", 1, tuple(SENTENCES[0:4]))
        index_revision(head, "daily", 1, (*SENTENCES[2:5], NEW))
        head.set_head("b" * 40)
        head.relate()
    built = []
    for name, memo in (("cold.sqlite", None), ("base.sqlite", tmp_path / "head.sqlite")):
        with Index(tmp_path / name) as base:
            base.reset()
            index_revision(base, "wire", 1, tuple(SENTENCES[0:4]))
            index_revision(base, "daily", 1, tuple(SENTENCES[2:6]))
            base.set_head("a" * 40)
            if memo is not None:
                base.adopt_memo(memo)
                hashed = _spy_on_terms(monkeypatch)
            base.relate()
            built.append([(g.claims, g.links, g.also) for g in base.groups()])
    assert hashed == [SENTENCES[5]]
    assert built[0] == built[1]
    with Index(tmp_path / "other.sqlite") as other:
        other.reset()
        other.adopt_memo(tmp_path / "missing.sqlite")  # nothing to adopt: nothing happens
        assert other.db.execute("SELECT count(*) FROM terms").fetchone()[0] == 0


def test_sentence_vectors_are_kept_for_the_texts_that_needed_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The semantic model's vectors are stored in the memo (``meanings``) for the texts it read;
    a later relate in a new process reads them back and encodes only new texts."""
    berlin = "Berlin plans to put 90 billion euros into new railway lines in the coming decade."
    germany = "Germany will spend 90 billion euros on new rail lines over the next ten years."
    bonn = "The German government is to invest 90 billion euros in rail lines over ten years."
    with Index(tmp_path / "index.sqlite") as index:
        index.reset()
        index_revision(index, "wire", 1, (berlin, SENTENCES[0]))
        index_revision(index, "daily", 1, (germany, SENTENCES[1]))
        index.set_head("a" * 40)
        index.relate()
        stored = {row[0] for row in index.db.execute("SELECT text FROM meanings")}
        assert stored == {index_module.text_hash(berlin), index_module.text_hash(germany)}
        monkeypatch.setattr(meaning, "_VECTORS", {})  # a new process: nothing encoded yet
        before = meaning.encoded()
        index_revision(index, "radio", 1, (bonn,))
        index.set_head("b" * 40)
        index.relate()
        assert meaning.encoded() - before == 1  # bonn; berlin's and germany's were read back
