"""Cohesive grouping (``claims.groups.partition``) and what every command built on the groups must
agree on: diff pairs what claims groups, blame never contradicts itself, a revision keeps links."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provdiff import api
from provdiff.claims import candidates
from provdiff.claims.batch import Memo, relate
from provdiff.claims.candidates import candidate_pairs
from provdiff.claims.groups import claim_order, partition
from provdiff.claims.options import RelationOptions
from provdiff.claims.relation import judge_texts
from provdiff.cluster.engine import LocalEngine
from provdiff.model import Claim, Metadata, Relation
from provdiff.store import Corpus
from tests.test_relation import BOTH, GAS, INVEST

LINKING = (Relation.VERBATIM, Relation.EDITED_COPY, Relation.REWORDED, Relation.OVERLAPS)


@st.composite
def graphs(
    draw: st.DrawFn,
) -> tuple[int, dict[tuple[int, int], tuple[Relation, float]], set[tuple[int, int]]]:
    """A node count, links between some pairs, and the pairs (unlinked) that are *different*."""
    count = draw(st.integers(1, 9))
    pairs = [(i, j) for i in range(count) for j in range(i + 1, count)]
    links = {}
    different = set()
    for pair in pairs:
        kind = draw(st.sampled_from(("link", "different", "compatible")))
        if kind == "link":
            links[pair] = (draw(st.sampled_from(LINKING)), draw(st.sampled_from((0.3, 0.6, 0.9))))
        elif kind == "different":
            different.add(pair)
    return count, links, different


@given(graphs())
def test_no_group_holds_two_claims_the_relation_calls_different(
    graph: tuple[int, dict[tuple[int, int], tuple[Relation, float]], set[tuple[int, int]]],
) -> None:
    count, links, different = graph

    def relation(i: int, j: int) -> Relation:
        return Relation.DIFFERENT if (i, j) in different else Relation.COMPATIBLE

    found = partition(count, links, relation)
    assert sorted(n for members in found.members for n in members) == list(range(count))  # a partition
    for members, also in zip(found.members, found.also, strict=True):
        every = sorted({*members, *also})
        for k, i in enumerate(every):
            for j in every[k + 1 :]:
                assert (i, j) not in different
        assert not set(also) & set(members)
        for node in also:  # listed as also only when linked to a member
            assert any((min(node, m), max(node, m)) in links for m in members)
    # the union-find components are never split by cohesion alone when nothing is different
    if not different:
        assert len(found.members) == _components(count, links)


def _components(count: int, links: dict[tuple[int, int], tuple[Relation, float]]) -> int:
    parent = list(range(count))

    def root(n: int) -> int:
        while parent[n] != n:
            n = parent[n]
        return n

    for i, j in links:
        parent[root(i)] = root(j)
    return len({root(n) for n in range(count)})


def _claims(texts: dict[str, list[str]]) -> list[Claim]:
    return [
        Claim(article, 1, 0, k, text, article.split("/")[0], f"2025-01-{n + 1:02d}")
        for n, (article, sentences) in enumerate(texts.items())
        for k, text in enumerate(sentences)
    ]


def test_a_sentence_of_two_facts_does_not_fuse_them() -> None:
    """Union-find put the $350 billion claim and the $100 billion claim into one group through the
    sentence that states both; here each fact keeps its group and the compound witnesses both."""
    claims = _claims({"wire/a": [INVEST], "daily/b": [BOTH], "radio/c": [GAS]})
    groups = list(relate(claims).groups())
    assert len(groups) == 2
    for group in groups:
        texts = {c.text for c in (*group.claims, *group.also)}
        assert BOTH in texts
        assert not {INVEST, GAS} <= texts


@given(st.randoms(use_true_random=False))
def test_relating_is_a_function_of_the_claims_not_of_their_order(rng: random.Random) -> None:
    claims = _claims(
        {
            "wire/a": [INVEST, "Shares of exporters rose sharply in early trading."],
            "daily/b": [BOTH, "Unions warned that the plan would cost thousands of jobs."],
            "radio/c": [GAS, "Shares of exporters rose sharply in early trading."],
            "blog/d": [
                INVEST.replace("$350", "$400"),
                "Unions warned the plan would cost thousands of jobs.",
            ],
        }
    )
    shuffled = list(claims)
    rng.shuffle(shuffled)
    one, other = relate(claims), relate(shuffled)
    assert list(one.groups()) == list(other.groups())
    assert one.links == other.links


def _ingest(corpus: Corpus, folder: Path, name: str, text: str, source: str) -> None:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    api.ingest(corpus, api.collect_inputs([str(path)], None, Metadata(source=source), None, None))


def test_diff_across_sources_pairs_exactly_what_claims_groups(sample_corpus: Corpus) -> None:
    finder = lambda: sample_corpus  # noqa: E731
    names = ["000", "002", "koreapro"]
    with api.open_claims_index(sample_corpus) as index:
        groups = api.claim_groups(index)
        units = {}
        for name in names:
            article_id = api.find_article(sample_corpus, name)
            units[name] = {c: n for n, c in enumerate(index.current_claims(article_id))}
    for left in names:
        for right in names:
            if left == right:
                continue
            alignment = api.diff(api.diff_side(left, finder), api.diff_side(right, finder), None, finder)
            shown = {
                (i, j) for link in (*alignment.links, *alignment.related) for i in link.a for j in link.b
            }
            grouped = {
                (units[left][x], units[right][y])
                for group in groups
                for x in (*group.claims, *group.also)
                for y in (*group.claims, *group.also)
                if x in units[left] and y in units[right]
            }
            assert shown == grouped, (left, right)
    assert any(len(g.sources) > 1 for g in groups)


def test_blame_never_names_each_side_the_first_of_the_other(sample_corpus: Corpus) -> None:
    firsts = {}
    with api.open_claims_index(sample_corpus) as index:
        for name in ("000", "002", "koreapro"):
            _, _, lines = api.blame(sample_corpus, index, api.parse_ref(name))
            for line in lines:
                if line.first is not None:
                    firsts[line.claim.claim_id] = line.first
                    assert claim_order(line.first) < claim_order(line.claim)
    for claim_id, first in firsts.items():
        back = firsts.get(first.claim_id)
        assert back is None or back.claim_id != claim_id


def test_a_one_word_fix_keeps_the_links_of_a_revised_article(sample_corpus: Corpus, tmp_path: Path) -> None:
    """A spelling fix in one paragraph of seed 002 once took the corpus from 3 recurring groups to 0."""
    with api.open_claims_index(sample_corpus) as index:
        before = sorted(len(g.sources) for g in api.claim_groups(index) if len(g.sources) > 1)
        article_id = api.find_article(sample_corpus, "002")
    article = sample_corpus.load(article_id)
    fixed = [p.replace("discussed", "discused", 1) for p in article.paragraphs]
    assert fixed != list(article.paragraphs)
    text = "\n\n".join([article.meta.title or "", *fixed]) + "\n"
    path = tmp_path / "002_ebc0afa3816657dc.txt"  # the name it was ingested under: its identity
    path.write_text(text, encoding="utf-8")
    api.ingest(
        sample_corpus, api.collect_inputs([str(path)], None, Metadata(source="unattributed-002"), None, None)
    )
    with api.open_claims_index(sample_corpus) as index:
        assert index.revision_count(article_id) == 2
        after = sorted(len(g.sources) for g in api.claim_groups(index) if len(g.sources) > 1)
    assert after == before != []


def test_candidates_are_the_same_in_worker_processes_and_in_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """The terms of a large corpus are found in forked workers: the candidate pairs must be those
    of one process, whatever the split (the pairs depend on which terms are equal, not on their
    hashes)."""
    from tests.test_align import SENTENCES

    texts = sorted({f"{a} {b}" for a in SENTENCES for b in SENTENCES} | {INVEST, GAS, BOTH})
    options = RelationOptions()
    alone = candidate_pairs(texts, options, LocalEngine(1))
    monkeypatch.setattr(candidates, "_PARALLEL_FROM", 0)
    assert len(alone) > 100
    for workers in (2, 3):
        assert candidate_pairs(texts, options, LocalEngine(workers)).tolist() == alone.tolist()


@given(st.randoms(use_true_random=False))
def test_a_memo_warmed_on_part_of_the_claims_changes_nothing(rng: random.Random) -> None:
    """What a memo holds (terms and judgements by text) is reused: relating all claims with the
    memo of a random part of them gives what relating them cold gives."""
    from tests.newsgen import FACTS, FIGURES

    texts = [f.format(f=figure) for fact in FACTS for f in fact[1:] for pair in FIGURES for figure in pair]
    claims = _claims({f"s{n % 5}/a{n}": texts[n::17] for n in range(17)})
    cold = relate(claims)
    memo = Memo()
    relate(rng.sample(claims, rng.randint(1, len(claims) - 1)), memo=memo)
    warm = relate(claims, memo=memo)
    assert len(cold.links) > 10
    assert warm.links == cold.links
    assert warm.clusters == cold.clusters
    assert set(memo.terms) >= {c.text for c in claims}


REVOLVER = "A revolver believed to be the murder weapon was recovered at the scene."
RECOVERED = "Officers recovered a revolver at the scene that is believed to be the murder weapon."


def test_a_generic_restatement_links_only_articles_of_one_story() -> None:
    """A sentence with no name and no figure is told of every shooting: between two articles
    about other shootings it is no shared claim, whatever the relation says of the pair alone;
    between two reports that share an anchored claim (a name or a figure) it is one."""
    assert judge_texts(REVOLVER, RECOVERED).relation is Relation.REWORDED
    apart = _claims(
        {
            "wire/a": [REVOLVER, "The shooting in Dayton left two people dead, police said."],
            "daily/b": [RECOVERED, "Three people were wounded at a bar in Tulsa on Friday night."],
        }
    )
    assert [g for g in relate(apart).groups() if len(g.sources) > 1] == []
    together = _claims(
        {
            "wire/a": [REVOLVER, "The shooting in Dayton left two people dead, police said."],
            "daily/b": [RECOVERED, "Two people died in the Dayton shooting, police said on Sunday."],
        }
    )
    shared = [{c.text for c in g.claims} for g in relate(together).groups() if len(g.sources) > 1]
    assert {REVOLVER, RECOVERED} in shared
    assert len(shared) == 2
