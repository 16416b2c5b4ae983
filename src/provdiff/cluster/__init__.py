"""Stages ``cluster`` and ``classify``: claims across the corpus into groups, each classed.

Claims are matched without comparing all pairs: a claim looks candidates up by its rarest terms
(``rarest_terms``; a term in more than ``gram_cap`` claims proposes nothing, as passim caps its
n-grams), candidates need enough of them in common (counted inside the index's SQLite), and only
candidates are verified (``verify``). The index stores the postings these work on; ``groups``
turns links into groups.
"""

from __future__ import annotations

from collections.abc import Iterable

from provdiff.cluster.verify import ClusterOptions
from provdiff.model import Article, Claim
from provdiff.segment import sentences

__all__ = ["ClusterOptions", "extract_claims", "rarest_terms"]


def extract_claims(article: Article, revision: int, when: str) -> list[Claim]:
    """The claims (sentences) of one revision of an article."""
    return [
        Claim(article.article_id, revision, p, s, text, article.meta.source or "", when)
        for p, paragraph in enumerate(article.paragraphs)
        for s, text in enumerate(sentences(paragraph))
    ]


def rarest_terms(terms: Iterable[str], claims_holding: dict[str, int], options: ClusterOptions) -> list[str]:
    """The terms a claim looks candidates up by: its ``lookup_terms`` rarest that some claim holds and
    at most ``gram_cap`` claims hold (passim's cap), rarest first."""
    usable = [t for t in terms if 0 < claims_holding.get(t, 0) <= options.gram_cap]
    return sorted(usable, key=lambda t: (claims_holding[t], t))[: options.lookup_terms]
