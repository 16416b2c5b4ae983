"""Invariants of claim grouping on random small corpora (no git: the cluster stage alone)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from provdiff.cluster import group_claims
from provdiff.model import Claim, GroupStatus, Relation
from provdiff.read.dates import sort_key
from tests.test_align import SENTENCES

SOURCES = ["wire", "daily", "blog", "radio"]


@st.composite
def corpora(draw: st.DrawFn) -> list[list[Claim]]:
    """Articles of 1-4 sentences drawn from a shared pool, some with a figure changed."""
    articles = []
    for number in range(draw(st.integers(1, 6))):
        source = draw(st.sampled_from(SOURCES))
        day = draw(st.integers(1, 28))
        texts = draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4, unique=True))
        if draw(st.booleans()):
            texts = [
                t.replace("25 percent", "30 percent").replace("$2.5 million", "$3 million") for t in texts
            ]
        article_id = f"{source}/a{number}"
        articles.append(
            [Claim(article_id, 1, 0, k, text, source, f"2025-03-{day:02d}") for k, text in enumerate(texts)]
        )
    return articles


@given(corpora())
def test_groups_partition_the_claims_and_order_by_first_appearance(articles: list[list[Claim]]) -> None:
    groups = group_claims(articles)
    seen = [claim.claim_id for group in groups for claim in group.claims]
    assert sorted(seen) == sorted(claim.claim_id for claims in articles for claim in claims)
    for group in groups:
        whens = [sort_key(claim.when) for claim in group.claims]
        assert whens == sorted(whens)
        assert set(group.independent_sources) <= set(group.sources)
        copied_sources = {c.source for c in group.claims if c.claim_id in group.copies}
        first_source = group.claims[0].source
        assert first_source in group.independent_sources
        if group.status is GroupStatus.RECURS:
            assert len(group.independent_sources) >= 2
            assert not group.conflicts
        if group.conflicts and len(group.sources) > 1:
            assert group.status is GroupStatus.VARIES
        if len(group.sources) == 1:
            assert group.status is GroupStatus.UNIQUE
        assert copied_sources <= set(group.sources)


@given(corpora())
def test_verbatim_repeats_across_articles_are_always_linked(articles: list[list[Claim]]) -> None:
    """The same sentence in two articles is one group, linked as verbatim or a figure variant."""
    groups = group_claims(articles)
    where = {claim.claim_id: group for group in groups for claim in group.claims}
    by_text: dict[str, list[Claim]] = {}
    for claims in articles:
        for claim in claims:
            by_text.setdefault(claim.text, []).append(claim)
    for same in by_text.values():
        articles_holding = {c.article_id for c in same}
        if len(articles_holding) > 1:
            assert len({where[c.claim_id].group_id for c in same}) == 1
            relations = {link.relation for link in where[same[0].claim_id].links}
            assert Relation.VERBATIM in relations
