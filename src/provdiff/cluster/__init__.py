"""Stages ``cluster`` and ``classify``: claims across the corpus into groups, each classed.

``ClaimSpace`` holds every claim with its terms, per-article term frequencies and capped postings
(term -> claims), so a new article is matched against it without comparing all pairs: candidates
share at least two terms that are not too common in the corpus (a term in more than ``gram_cap``
claims proposes nothing, as passim caps its n-grams), and only candidates are verified.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from provdiff.alignment.claims import term_set
from provdiff.cluster.groups import build_groups
from provdiff.cluster.verify import ClusterOptions, Rarity, Side, verify
from provdiff.model import Article, Claim, ClaimGroup, ClaimLink
from provdiff.segment import sentences

__all__ = ["ClaimSpace", "ClusterOptions", "extract_claims", "group_claims", "rarest_terms", "vote"]


def extract_claims(article: Article, revision: int, when: str) -> list[Claim]:
    """The claims (sentences) of one revision of an article."""
    return [
        Claim(article.article_id, revision, p, s, text, article.meta.source or "", when)
        for p, paragraph in enumerate(article.paragraphs)
        for s, text in enumerate(sentences(paragraph))
    ]


@dataclass
class ClaimSpace:
    """Claims with terms, per-article frequencies and capped postings; grows one article at a time."""

    options: ClusterOptions = field(default_factory=ClusterOptions)
    claims: list[Claim] = field(default_factory=list)
    terms: list[frozenset[str]] = field(default_factory=list)
    df: dict[str, Counter[str]] = field(default_factory=dict)  # article id -> term -> claims with it
    postings: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    # Articles holding each term. Filled as articles arrive, or given whole for a batch so that
    # every link is judged with the same weights whatever the order of arrival.
    rarity: Rarity = field(default_factory=lambda: Rarity(Counter(), 0))
    fixed_rarity: bool = False

    def add(self, claims: Sequence[Claim]) -> list[ClaimLink]:
        """Add one article's claims; return their links to claims already in the space."""
        found: list[ClaimLink] = []
        if not claims:
            return found
        article = claims[0].article_id
        new_terms = [term_set(claim.text) for claim in claims]
        df: Counter[str] = Counter(t for terms in new_terms for t in terms)
        if not self.fixed_rarity:
            self.rarity.articles.update(df.keys())
            self.rarity = Rarity(self.rarity.articles, self.rarity.total + 1)
        for claim, terms in zip(claims, new_terms, strict=True):
            mine = Side(claim, terms, df)
            for index in self._candidates(terms, article):
                other = self.claims[index]
                theirs = Side(other, self.terms[index], self.df[other.article_id])
                link = verify(theirs, mine, self.rarity, self.options)
                if link is not None:
                    found.append(link)
        self.df[article] = df
        for claim, terms in zip(claims, new_terms, strict=True):
            index = len(self.claims)
            self.claims.append(claim)
            self.terms.append(terms)
            for term in terms:
                posting = self.postings[term]
                if len(posting) <= self.options.gram_cap:
                    posting.append(index)
        return found

    def _candidates(self, terms: frozenset[str], article: str) -> list[int]:
        held = {t: len(self.postings.get(t, ())) for t in terms}
        lookup = rarest_terms(terms, held, self.options)
        votes = vote(lookup, self.postings)
        return [
            index
            for index, count in votes.items()
            if count >= self.options.min_shared and self.claims[index].article_id != article
        ]


def rarest_terms(terms: Iterable[str], claims_holding: dict[str, int], options: ClusterOptions) -> list[str]:
    """The terms a claim looks candidates up by: its ``lookup_terms`` rarest that some claim holds and
    at most ``gram_cap`` claims hold (passim's cap), rarest first."""
    usable = [t for t in terms if 0 < claims_holding.get(t, 0) <= options.gram_cap]
    return sorted(usable, key=lambda t: (claims_holding[t], t))[: options.lookup_terms]


def vote(lookup: Sequence[str], postings: Mapping[str, Sequence[int]]) -> Counter[int]:
    """Claims holding the looked-up terms, each with its count of them (a figure counts twice)."""
    votes: Counter[int] = Counter()
    for term in lookup:
        weight = 2 if term.startswith("#") else 1
        for index in postings.get(term, ()):
            votes[index] += weight
    return votes


def group_claims(
    articles: Iterable[Sequence[Claim]], options: ClusterOptions | None = None
) -> list[ClaimGroup]:
    """Every claim of every article (one sequence per article) into groups; a claim that matches
    nothing is a unique group of one."""
    batch = [list(claims) for claims in articles]
    held: Counter[str] = Counter()
    for claims in batch:
        held.update({t for claim in claims for t in term_set(claim.text)})
    space = ClaimSpace(options or ClusterOptions(), rarity=Rarity(held, len(batch)), fixed_rarity=True)
    links: list[ClaimLink] = []
    for claims in batch:
        links.extend(space.add(claims))
    return build_groups(space.claims, links)
