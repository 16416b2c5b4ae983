"""Matching one revision's claims against an indexed corpus: candidates, verification, the story check.

What the index stores and how it reads it is the index's business; what a match reads is this
module's. A *backing* answers a handful of questions about the corpus as indexed so far (term
counts, the claims that hold a set of terms, an article's term counts), and ``match_claims`` turns
the answers into links. Two backings exist: the SQLite index (``provdiff.index.Index``), which
ingest updates one revision at a time, and the in-memory one a rebuild replays the whole history
into (``provdiff.index.memory.MemoryIndex``) before writing SQLite in bulk. Both run this same code,
so a rebuild links exactly what ingest linked, in the same order.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from typing import Protocol

from provdiff.alignment.claims import term_set, wording
from provdiff.cluster import rarest_terms
from provdiff.cluster.stories import cosine, profile
from provdiff.cluster.verify import ClusterOptions, Rarity, Side, verify
from provdiff.model import Claim, ClaimLink, Relation
from provdiff.segment import match_key

WITNESSES = (Relation.REWORDED, Relation.OVERLAPS)  # links that must join articles of one story
_ROUNDING = 1e-9  # the bound and the cosine sum floats in other orders: never reject at the edge


class Backing(Protocol):
    """What matching reads of the corpus as indexed so far (current revisions only)."""

    def term_stats(self, terms: set[str]) -> dict[str, tuple[int, int]]:
        """Term -> (articles, claims) holding it, for the terms of ``terms`` the index counts."""
        ...

    def votes(self, chosen: Sequence[Sequence[str]]) -> list[list[int]]:
        """Per list of looked-up terms, the ids of the current claims holding at least
        ``min_shared`` of them (a figure counts twice), ascending."""
        ...

    def same_text(self, keys: Sequence[str]) -> list[list[int]]:
        """Per match key (``segment.match_key``), the ids of the current claims that have it,
        ascending; none for a key more than ``gram_cap`` claims have (boilerplate)."""
        ...

    def claims_by_id(self, ids: Sequence[int]) -> dict[int, Claim]:
        """The claims with these ids."""
        ...

    def profile(self, article_id: str) -> Mapping[str, int]:
        """How many of the article's current claims hold each term (empty for an unknown article)."""
        ...

    def story(self, article_id: str) -> Counter[str]:
        """The article's story words (``story_words`` of its profile)."""
        ...

    def article_count(self) -> int:
        """How many articles the index holds."""
        ...

    def revision_count(self, article_id: str) -> int:
        """How many revisions of the article the index holds (0 for an unknown article)."""
        ...


def match_claims(backing: Backing, claims: Sequence[Claim], options: ClusterOptions) -> list[ClaimLink]:
    """Links from new claims (of one article) to current claims of other articles, via capped postings.

    Each claim looks up only its ``lookup_terms`` rarest usable terms (held by at most ``gram_cap``
    claims), so the work per claim is bounded whatever the corpus size.
    """
    if not claims:
        return []
    article = claims[0].article_id
    terms = [term_set(claim.text) for claim in claims]
    df: Counter[str] = Counter(t for held in terms for t in held)
    words = set(df).union(*(wording(claim.text) for claim in claims))
    stats = backing.term_stats(words)
    chosen = [rarest_terms(held, {t: stats.get(t, (0, 0))[1] for t in held}, options) for held in terms]
    # a verbatim copy is found by its text, whatever its terms: a sentence of common words has no
    # term under the cap, and at 30k generated articles 0.12% of verbatim pairs went unlinked
    same = backing.same_text([match_key(claim.text) for claim in claims])
    votes_per_claim = [
        sorted({*votes, *copies}) if copies else votes
        for votes, copies in zip(backing.votes(chosen), same, strict=True)
    ]
    wanted = sorted({cid for votes in votes_per_claim for cid in votes})
    known = backing.claims_by_id(wanted)
    theirs_only = {t for other in known.values() for t in wording(other.text)} - words
    stats.update(backing.term_stats(theirs_only))
    # the new article is not counted yet: it holds its own words once more
    holders = Counter({t: n_articles + (t in words) for t, (n_articles, _) in stats.items()})
    holders.update(words - stats.keys())
    others = backing.article_count() - (backing.revision_count(article) > 0)
    rarity = Rarity(holders, int(others) + 1)
    profiles = {
        other: _Profile(partial(backing.profile, other))
        for other in {claim.article_id for claim in known.values()} - {article}
    }
    found = []
    for claim, held, votes in zip(claims, terms, votes_per_claim, strict=True):
        mine = Side(claim, held, df)
        for candidate in votes:
            other = known.get(candidate)
            if other is None or other.article_id == article:
                continue
            theirs = Side(other, term_set(other.text), profiles[other.article_id])
            link = verify(theirs, mine, rarity, options)
            if link is not None:
                found.append(link)
    witnesses = {link.a.article_id for link in found if link.relation in WITNESSES}
    if not witnesses:
        return found
    story = _same_story(backing, df, witnesses, holders, rarity.total, options=options)
    return [link for link in found if link.relation not in WITNESSES or link.a.article_id in story]


def _same_story(
    backing: Backing,
    df: Counter[str],
    others: set[str],
    holders: Counter[str],
    total: int,
    *,
    options: ClusterOptions,
) -> set[str]:
    """The articles among ``others`` whose content words are close enough to the new article's
    (``df``: its term counts) for a reworded or overlapping claim to count (cosine >= ``story``,
    ``cluster.verify``).

    ``holders`` counts articles per term with the new article included; it gains the other
    articles' words here.

    Most witnesses of a large corpus are of other stories, and weighing one's words needs the
    corpus counts of all of them (the story check was 42% of a rebuild at 16k articles). A bound
    rejects those first, exactly: the cosine of two unit vectors cannot exceed the length of the
    first restricted to the words the second holds (Cauchy-Schwarz), and that needs only the
    new article's weights. Only the articles that pass it are weighed.
    """
    mine = story_words(df)
    ours = profile(mine, holders, total)
    theirs = {}
    for other in others:
        words = backing.story(other)
        reach = math.sqrt(sum(ours[w] ** 2 for w in ours.keys() & words.keys()))
        if reach >= options.story - _ROUNDING:
            theirs[other] = words
    unknown = set().union(*theirs.values()) - holders.keys()
    holders.update({t: n_articles for t, (n_articles, _) in backing.term_stats(unknown).items()})
    return {
        other
        for other, words in theirs.items()
        if cosine(ours, profile(words, holders, total)) >= options.story
    }


def story_words(df: Mapping[str, int]) -> Counter[str]:
    """The words of three letters or more among an article's terms, with the number of its claims
    holding each: what ``cluster.stories.profile`` compares (figures and word pairs left out)."""
    return Counter({t: n for t, n in df.items() if len(t) > 2 and t[0] != "#" and "_" not in t})


def article_terms(claims: Sequence[Claim]) -> tuple[list[frozenset[str]], Counter[str], Counter[str]]:
    """What indexing an article's claims records: each claim's terms (its postings), how many of
    its claims hold each term (its profile), and how many hold each term or word (the counts
    ``term_stats`` answers from)."""
    terms = [term_set(claim.text) for claim in claims]
    held = Counter(t for claim_terms in terms for t in claim_terms)
    held_by = Counter(
        t for claim, claim_terms in zip(claims, terms, strict=True) for t in claim_terms | wording(claim.text)
    )
    return terms, held, held_by


def retired_terms(texts: Sequence[str]) -> set[str]:
    """The terms and words whose article count falls by one when claims with these texts retire."""
    return {t for text in texts for t in term_set(text) | wording(text)}


class _Profile(Mapping[str, int]):
    """An article's stored term counts, read on first use: most candidate articles never reach the
    overlaps rule, and the rows are large."""

    __slots__ = ("_counts", "_read")

    def __init__(self, read: Callable[[], Mapping[str, int]]) -> None:
        self._read = read
        self._counts: Mapping[str, int] | None = None

    def _load(self) -> Mapping[str, int]:
        if self._counts is None:
            self._counts = self._read()
        return self._counts

    def __getitem__(self, term: str) -> int:
        return self._load()[term]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load())

    def __len__(self) -> int:
        return len(self._load())
