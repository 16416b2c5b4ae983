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

import gc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from itertools import pairwise
from typing import NamedTuple, Protocol

from provdiff.alignment.claims import term_set, wording
from provdiff.cluster import rarest_terms
from provdiff.cluster.stories import profile
from provdiff.cluster.story_vectors import cosines
from provdiff.cluster.verify import ClusterOptions, Pending, Rarity, Side, overlap, screen
from provdiff.cluster.vocabulary import Vocabulary, is_word
from provdiff.model import Claim, ClaimLink, Relation
from provdiff.segment import match_key

WITNESSES = (Relation.REWORDED, Relation.OVERLAPS)  # links that must join articles of one story


class Stored(NamedTuple):
    """An indexed claim as matching reads it: what verifying it as a candidate would otherwise
    compute from its text again (for ~90 candidates per match, none of them cached at 100k)."""

    claim: Claim
    words: frozenset[int]  # its wording as word ids (``cluster.vocabulary``)
    key: str  # its match key (``segment.match_key``)


class Backing(Protocol):
    """What matching reads of the corpus as indexed so far (current revisions only)."""

    def term_stats(self, terms: set[str]) -> dict[str, tuple[int, int]]:
        """Word pair or figure -> (articles, claims) holding it, for the terms of ``terms`` (none of
        them words: those are the vocabulary's) the index counts."""
        ...

    def votes(self, chosen: Sequence[Sequence[str]]) -> list[list[int]]:
        """Per list of looked-up terms, the ids of the current claims holding at least
        ``min_shared`` of them (a figure held by at most ``lone_figure`` claims counts twice),
        ascending: ``count_votes``."""
        ...

    def same_text(self, keys: Sequence[str]) -> list[list[int]]:
        """Per match key (``segment.match_key``), the ids of the current claims that have it,
        ascending; none for a key more than ``gram_cap`` claims have (boilerplate)."""
        ...

    def claims_by_id(self, ids: Sequence[int]) -> dict[int, Stored]:
        """The claims with these ids, as stored."""
        ...

    def profile(self, article_id: str) -> Mapping[str, int]:
        """How many of the article's current claims hold each term (empty for an unknown article)."""
        ...

    def vocabulary(self) -> Vocabulary:
        """Every word by id, with its counts, as of now."""
        ...

    def stories(self, article_ids: Sequence[str]) -> list[bytes]:
        """Per article, its story words (``story_words`` of its profile) packed with
        ``Vocabulary.pack``; empty for an unknown article."""
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

    The cyclic garbage collector is paused meanwhile. A match allocates tens of thousands of
    short-lived objects that reference counting frees, and the collections they set off walked
    every cached set of the process: 7-8% of a match at 100k generated articles (py-spy), 3.4% of
    its instructions at 10k. Cycles made meanwhile are collected after it, as they would have been.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _match(backing, claims, options)
    finally:
        if paused:
            gc.enable()


def _match(backing: Backing, claims: Sequence[Claim], options: ClusterOptions) -> list[ClaimLink]:
    """``match_claims`` with the collector paused."""
    if not claims:
        return []
    article = claims[0].article_id
    terms = [term_set(claim.text) for claim in claims]
    df: Counter[str] = Counter(t for held in terms for t in held)
    wordings = [wording(claim.text) for claim in claims]
    spoken: set[str] = set().union(*wordings)  # the words of ``terms`` are among these
    vocabulary = backing.vocabulary()
    ids = vocabulary.ids
    known_words = {word: word_id for word in spoken if (word_id := ids.get(word)) is not None}
    stats = backing.term_stats(df.keys() - spoken)  # word pairs and figures
    claim_counts = vocabulary.claims
    claims_holding = {word: claim_counts[word_id] for word, word_id in known_words.items()}
    claims_holding.update({t: n_claims for t, (_, n_claims) in stats.items()})
    chosen = [rarest_terms(held, claims_holding, options) for held in terms]
    # a verbatim copy is found by its text, whatever its terms: a sentence of common words has no
    # term under the cap, and at 30k generated articles 0.12% of verbatim pairs went unlinked
    same = backing.same_text([match_key(claim.text) for claim in claims])
    votes_per_claim = [
        sorted({*votes, *copies}) if copies else votes
        for votes, copies in zip(backing.votes(chosen), same, strict=True)
    ]
    wanted = sorted({cid for votes in votes_per_claim for cid in votes})
    known = backing.claims_by_id(wanted)
    # the new article is not counted yet: it holds its own words once more
    article_counts = vocabulary.articles
    holders = Counter({word: article_counts[word_id] + 1 for word, word_id in known_words.items()})
    holders.update({t: n_articles + 1 for t, (n_articles, _) in stats.items()})
    holders.update(spoken.union(df).difference(holders))
    others = backing.article_count() - (backing.revision_count(article) > 0)
    rarity = Rarity(holders, int(others) + 1)
    ours = _word_ids(vocabulary, known_words, spoken, wordings, known=known.values(), rarity=rarity)
    profiles = {
        other: _Profile(partial(backing.profile, other))
        for other in {stored.claim.article_id for stored in known.values()} - {article}
    }
    screened: list[tuple[ClaimLink | Pending, str | None]] = []
    for claim, mine_words, votes in zip(claims, ours, votes_per_claim, strict=True):
        mine = Side(claim, df, mine_words)
        for candidate in votes:
            stored = known.get(candidate)
            if stored is None or stored.claim.article_id == article:
                continue
            other = stored.claim
            found = screen(
                Side(other, profiles[other.article_id], stored.words, stored.key), mine, rarity, options
            )
            if found is not None:
                screened.append((found, _story_article(found)))
    # the story check (``cluster.verify``): a second witness only within one story. It runs before
    # the pending overlaps are scored, so only pairs of one story read their candidate's profile
    witnesses = sorted({held for _, held in screened if held is not None})
    story: set[str] = set()
    if witnesses:
        vector = profile(story_words(df), holders, rarity.total)
        near = cosines(vocabulary, vector, known_words.values(), backing.stories(witnesses), rarity.total)
        story = {other for other, similar in zip(witnesses, near, strict=True) if similar >= options.story}
    links = []
    for found, held in screened:
        if held is None or held in story:
            link = overlap(found, rarity, options) if isinstance(found, Pending) else found
            if link is not None:
                links.append(link)
    return links


def _word_ids(
    vocabulary: Vocabulary,
    known_words: Mapping[str, int],
    spoken: set[str],
    wordings: Sequence[frozenset[str]],
    *,
    known: Iterable[Stored],
    rarity: Rarity,
) -> list[frozenset[int]]:
    """The new claims' wordings as word ids; every word id of them and of the candidates
    (``known``) is weighed in ``rarity`` (``Rarity.weigh_ids``) as ``rarity.articles`` counts the
    words: the new article holds each of its words once more than the index says.

    ``known_words`` are the ids of the words of ``spoken`` (all the new claims' words) that the
    vocabulary has; a word it has never seen gets an id past the vocabulary's, for this match only.
    """
    articles = vocabulary.articles
    ours = dict(known_words)
    new = range(len(articles), len(articles) + len(spoken) - len(known_words))
    ours.update(zip(spoken.difference(ours), new, strict=True))
    mine = list(known_words.values())
    theirs = list(set().union(*(stored.words for stored in known)).difference(mine))
    rarity.weigh_ids(
        [*mine, *theirs, *new],
        [*[articles[i] + 1 for i in mine], *[articles[i] for i in theirs], *[1] * len(new)],
    )
    return [frozenset(map(ours.__getitem__, claim_words)) for claim_words in wordings]


def _story_article(found: ClaimLink | Pending) -> str | None:
    """The candidate's article when a screened pair counts only within one story (a reworded link
    or a pending overlap), else None (a copy is evidence of itself)."""
    if isinstance(found, Pending):
        return found.x_side.claim.article_id
    return found.a.article_id if found.relation in WITNESSES else None


def count_votes(
    chosen: Sequence[Sequence[str]], lists: Mapping[str, bytes], options: ClusterOptions
) -> list[list[int]]:
    """``Backing.votes`` from the postings lists of the looked-up terms (claim ids as unsigned
    32-bit little-endian bytes, ``index.memory.packed_ids``): per list of terms, the claims found in
    lists worth at least ``min_shared``, ascending. The list of a figure held by at most
    ``lone_figure`` claims counts twice.

    Only that rare a figure, because a figure that counted twice however many claims held it made
    every holder of a new claim's amount a candidate on the amount alone. At 100k generated
    articles 63 of a match's 78 candidates were such claims of other stories (each such amount
    held there by 10-39 articles), each read, screened and sent to the story check, which turned
    every one down; their number grew with the corpus, and with it the time of a match
    (``benchmarks/bench_match_growth.py``). On ECB+'s real news the links are the same
    with a cap of 3, 10 or 20 claims (``benchmarks/eval_links_ecbplus.py``): the figures that
    alone link claims of one event there are held by at most three.

    Counted in numpy, every claim of the match at once: keyed by (claim number, id), sorted, and
    the runs of equal keys measured. Counting ids one by one in a ``Counter`` per claim and
    filtering the counts in Python was a third of this at 10k generated articles, and the ids
    were boxed into Python ints twice on the way.
    """
    import numpy as np  # noqa: PLC0415 - ingest of a corpus without an index never loads numpy

    parts: list[bytes] = []
    owners: list[int] = []
    lone = 4 * options.lone_figure  # bytes of a list of that many ids
    for number, terms in enumerate(chosen):
        for term in terms:
            ids = lists.get(term)
            if ids:
                parts.append(ids)
                owners.append(number)
                if term[0] == "#" and len(ids) <= lone:
                    parts.append(ids)
                    owners.append(number)
    if not parts:
        return [[] for _ in chosen]
    owner = np.repeat(np.array(owners, dtype=np.uint64), [len(part) // 4 for part in parts])
    keys = np.frombuffer(b"".join(parts), dtype="<u4").astype(np.uint64)
    keys |= owner << np.uint64(32)
    keys.sort()
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    counts = np.diff(np.append(starts, len(keys)))
    kept = keys[starts[counts >= options.min_shared]]
    bounds = np.searchsorted(kept >> np.uint64(32), np.arange(len(chosen) + 1, dtype=np.uint64)).tolist()
    held: list[int] = (kept & np.uint64(0xFFFFFFFF)).tolist()
    return [held[start:end] for start, end in pairwise(bounds)]


def story_words(df: Mapping[str, int]) -> Counter[str]:
    """The words of three letters or more among an article's terms, with the number of its claims
    holding each: what ``cluster.stories.profile`` compares (figures and word pairs left out)."""
    # ``vocabulary.is_word`` inline: a match asks ~1,000 terms
    return Counter({t: n for t, n in df.items() if len(t) > 2 and t[0] != "#" and "_" not in t})


def counts(backing: Backing, terms: Iterable[str]) -> dict[str, tuple[int, int]]:
    """``Backing.term_stats`` of any terms, words among them (from the vocabulary)."""
    words: list[str] = []
    others: set[str] = set()
    for term in terms:
        if is_word(term):
            words.append(term)
        else:
            others.add(term)
    found = backing.term_stats(others)
    found.update(backing.vocabulary().counts(words))
    return found


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
