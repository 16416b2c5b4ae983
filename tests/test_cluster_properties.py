"""Invariants of claim grouping on random small corpora, through the index (no git needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provdiff.audit import ArticleFacts, audit
from provdiff.claims.batch import relate
from provdiff.claims.groups import claim_order, stream_groups
from provdiff.index import Index
from provdiff.model import (
    Article,
    Claim,
    ClaimGroup,
    Format,
    GroupStatus,
    Metadata,
    Relation,
    Revision,
    RevisionKind,
)
from provdiff.read.dates import sort_key
from tests.test_align import SENTENCES

SOURCES = ["wire", "daily", "blog", "radio"]


@st.composite
def corpora(draw: st.DrawFn) -> list[Article]:
    """Articles of 1-4 one-sentence paragraphs from a shared pool, some with a figure changed."""
    articles = []
    for number in range(draw(st.integers(1, 6))):
        source = draw(st.sampled_from(SOURCES))
        day = draw(st.integers(1, 28))
        texts = draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4, unique=True))
        if draw(st.booleans()):
            texts = [
                t.replace("25 percent", "30 percent").replace("$2.5 million", "$3 million") for t in texts
            ]
        meta = Metadata(source=source, published=f"2025-03-{day:02d}")
        articles.append(Article(f"{source}/a{number}", meta, Format.TEXT, tuple(texts)))
    return articles


def grouped(articles: list[Article], folder: Path) -> tuple[list[ClaimGroup], list[Claim]]:
    """Index the articles as one corpus, in order of arrival, and group their claims."""
    with Index(folder / "index.sqlite") as index:
        index.reset()
        for number, article in enumerate(articles):
            revision = Revision(article.article_id, 1, f"{number:040x}", "2025-03-01", RevisionKind.FIRST)
            index.add_revision(article, revision, "2025-03-01", [])
        index.relate()
        return list(index.groups()), index.current_claims()


def in_memory(claims: list[Claim]) -> list[ClaimGroup]:
    """The groups of ``claims`` related in memory, with no index: the oracle of what it stores."""
    found = relate(claims)
    grouped_ids = {c.claim_id for cluster in found.clusters for c in (*cluster.claims, *cluster.also)}
    alone = sorted((c for c in claims if c.claim_id not in grouped_ids), key=claim_order)
    return list(stream_groups(found.groups(), alone))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("index")


@given(articles=corpora())
def test_groups_partition_the_claims_and_follow_the_status_rules(
    articles: list[Article], folder: Path
) -> None:
    groups, claims = grouped(articles, folder)
    assert len(claims) == sum(len(article.paragraphs) for article in articles)
    seen = [claim.claim_id for found in groups for claim in found.claims]
    assert sorted(seen) == sorted(claim.claim_id for claim in claims)
    for found in groups:
        whens = [sort_key(claim.when) for claim in found.claims]
        assert whens == sorted(whens)
        assert set(found.independent_sources) <= set(found.sources)
        assert found.claims[0].source in found.independent_sources
        if found.status is GroupStatus.RECURS:
            assert len(found.independent_sources) >= 2
            assert not found.conflicts
        if found.conflicts and len(found.sources) > 1:
            assert found.status is GroupStatus.VARIES
        if len(found.sources) == 1:
            assert found.status is GroupStatus.UNIQUE


@given(articles=corpora())
def test_verbatim_repeats_across_articles_are_always_linked(articles: list[Article], folder: Path) -> None:
    """The same sentence in two articles is one group, linked verbatim."""
    groups, claims = grouped(articles, folder)
    where = {claim.claim_id: found for found in groups for claim in found.claims}
    by_text: dict[str, list[Claim]] = {}
    for claim in claims:
        by_text.setdefault(claim.text, []).append(claim)
    for same in by_text.values():
        if len({c.article_id for c in same}) > 1:
            assert len({where[c.claim_id].group_id for c in same}) == 1
            assert Relation.VERBATIM in {link.relation for link in where[same[0].claim_id].links}


@given(articles=corpora())
def test_audit_counts_partition_each_sources_claims(articles: list[Article], folder: Path) -> None:
    """Each claim is counted once per category family, and every count has its evidence entries."""
    groups, claims = grouped(articles, folder)
    facts = [
        ArticleFacts(
            a.article_id, a.meta.source or "", a.meta.published, None, "2025-03-01", len(a.paragraphs), ()
        )
        for a in articles
    ]
    rows = audit(groups, facts, [])
    assert sum(row.claims for row in rows) == len(claims)
    assert sum(row.articles for row in rows) == len(articles)
    for row in rows:
        assert row.corroborated + row.exclusive + row.varies <= row.claims
        assert row.against_majority <= row.conflicts <= row.claims
        assert row.copied_paragraphs <= row.paragraphs
        for metric in ("corroborated", "exclusive", "varies", "conflicts", "copied_paragraphs"):
            assert sum(e.metric == metric for e in row.evidence) == getattr(row, metric)
        for rate in (row.corroboration, row.exclusivity, row.copied_share, row.original_share):
            assert rate is None or 0 <= rate <= 1
    if len({a.meta.source for a in articles}) == 1:  # one source cannot corroborate or copy itself
        assert all(row.corroborated == row.copied_paragraphs == 0 for row in rows)


@st.composite
def long_corpora(draw: st.DrawFn) -> list[Article]:
    """Articles of up to 14 paragraphs (paragraph 10 sorts before 2 as text), most of them said by
    no other article, dated at one moment in two notations ("Z" or not), so that the order of claims
    without a link falls to the document order."""
    articles = []
    for number in range(draw(st.integers(2, 5))):
        source = draw(st.sampled_from(SOURCES))
        texts = draw(st.lists(st.sampled_from(SENTENCES), max_size=4, unique=True))
        own = [
            f"Paragraph {k} of article {number} says nothing shared." for k in range(draw(st.integers(1, 10)))
        ]
        when = draw(st.sampled_from(["2025-03-02T09:00:00Z", "2025-03-02T09:00:00", "2025-03-01"]))
        paragraphs = draw(st.permutations([*own, *texts]))
        articles.append(
            Article(
                f"{source}/a{number}", Metadata(source=source, published=when), Format.TEXT, tuple(paragraphs)
            )
        )
    return articles


@given(articles=long_corpora())
def test_streamed_groups_are_the_groups_in_their_order(articles: list[Article], folder: Path) -> None:
    """The index stores what relating the claims in memory finds and streams the claims in no group
    in SQL order: the groups must be exactly those of relating every claim in memory, largest
    first, then by first appearance and document order."""
    streamed, claims = grouped(articles, folder)
    expected = in_memory(claims)
    assert [(g.group_id, g.claims, g.also, g.status, g.links) for g in streamed] == [
        (g.group_id, g.claims, g.also, g.status, g.links) for g in expected
    ]
    keys = [(-len(g.sources), claim_order(g.claims[0])) for g in streamed]
    assert keys == sorted(keys)
    for group in streamed:
        assert list(group.claims) == sorted(group.claims, key=claim_order)
