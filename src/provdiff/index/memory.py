"""The claim index held in memory: what a rebuild replays the corpus history into.

A rebuild matches every revision, oldest first, against everything indexed before it, exactly as
ingest did. Through SQLite each revision costs a transaction and dozens of statements (term
counts, candidate votes, postings, claims), which made a 10k-article rebuild take 709 s and grow
per article with the corpus. Here the same state lives in dictionaries, the same matching code
reads it (``cluster.matcher.match_claims``), and SQLite is written once at the end, in bulk and
in key order (``Index.load``). Every table ends as the one-revision-at-a-time path leaves it:
the same claim ids, postings, counts, profiles and links, in the same order (a test compares
the two files table by table).

No sqlite3 here: the rows are plain tuples, in the columns of ``provdiff.index``'s tables.
"""

from __future__ import annotations

import json
import sys
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from typing import TypeVar

from provdiff.alignment.claims import term_set, wording
from provdiff.cluster import extract_claims
from provdiff.cluster.matcher import (
    Stored,
    article_terms,
    count_votes,
    counts,
    match_claims,
    retired_terms,
    story_words,
)
from provdiff.cluster.verify import ClusterOptions
from provdiff.cluster.vocabulary import Vocabulary, is_word, unpack_ids
from provdiff.model import Article, Claim, ClaimLink, Revision
from provdiff.segment import match_key

ArticleRow = tuple[str, str, str | None, str | None, str | None, str | None, int, str, str]
RevisionRow = tuple[str, int, str, str, str]
LinkRow = tuple[int, int, str, float, str]
ClaimRow = tuple[str, int, int, int, str, str, str, int, str, int, bytes]
_CLAIM_ID = "I"  # unsigned 32-bit on every platform CPython supports
PROFILES_KEPT = 1024  # articles whose decoded term counts are remembered
_T = TypeVar("_T")


def article_row(article: Article, revision: Revision, first_seen: str, warnings: Sequence[str]) -> ArticleRow:
    """The ``articles`` row of an article whose newest revision is ``revision``."""
    meta = article.meta
    return (
        article.article_id,
        meta.source or "",
        meta.title,
        meta.url,
        meta.published,
        meta.modified,
        revision.number,
        first_seen,
        "\n".join(warnings),
    )


def claim_row(claim: Claim, current: int, words: bytes) -> ClaimRow:
    """The ``claims`` row of a claim, but its id: the columns after ``id``, in order (``words``:
    its wording packed as word ids, ``Vocabulary.pack_ids``)."""
    key = match_key(claim.text)
    return (
        claim.article_id,
        claim.revision,
        claim.paragraph,
        claim.sentence,
        claim.text,
        claim.source,
        claim.when,
        current,
        key,
        key_hash(key),
        words,
    )


def key_hash(key: str) -> int:
    """The 32-bit hash of a match key the index looks verbatim copies up by (``claims.hashed``): an
    index on the keys themselves took 834 MB at 100k generated articles, most of it past the part
    of the file read through the memory map. Keys that share a hash are told apart by the key."""
    return zlib.crc32(key.encode())


def revision_row(revision: Revision) -> RevisionRow:
    """The ``revisions`` row of a revision."""
    return (revision.article_id, revision.number, revision.commit, revision.committed_at, revision.kind.value)


def capped_terms(
    before: Mapping[str, tuple[int, int]],
    terms: Iterable[str],
    held_by: Mapping[str, int],
    options: ClusterOptions,
) -> tuple[set[str], list[str]]:
    """Of an article's postings terms, (those that get postings, those whose postings go).

    A term whose claim count (``before`` the article, plus ``held_by`` in it) is past ``gram_cap``
    is never looked up again (``cluster.rarest_terms``), and the count never falls: it gets no
    postings, and a term the article takes past the cap loses the ones it had.
    """
    kept: set[str] = set()
    dropped: list[str] = []
    for term in terms:
        had = before.get(term, (0, 0))[1]
        if had + held_by[term] <= options.gram_cap:
            kept.add(term)
        elif had <= options.gram_cap:
            dropped.append(term)
    return kept, dropped


def packed_ids(ids: Iterable[int]) -> bytes:
    """Claim ids as a postings list is stored and counted (``cluster.matcher.count_votes``):
    unsigned 32-bit little-endian bytes. A stored list grows by SQL concatenation of these, cast
    back to a blob (``||`` makes text of two blobs, byte for byte)."""
    packed = array(_CLAIM_ID, ids)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def split_ids(stored: bytes) -> array[int]:
    """The claim ids of a stored postings list (``packed_ids``)."""
    ids = array(_CLAIM_ID, stored)
    if sys.byteorder == "big":
        ids.byteswap()
    return ids


def profile_json(counts: Mapping[str, int]) -> str:
    """An article's term counts as its ``profiles`` row stores them: keys sorted, since the order
    of ``counts`` comes from string hashing, which differs from process to process."""
    return json.dumps(counts, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


class MemoryIndex:
    """The index's tables as dictionaries, updated one revision at a time like ``Index``.

    Implements ``cluster.matcher.Backing`` over what it holds. Claim ids count from 1 in insertion
    order, as SQLite's ``INTEGER PRIMARY KEY`` does for a table nothing is deleted from.
    """

    def __init__(self, options: ClusterOptions | None = None) -> None:
        self.options = options or ClusterOptions()
        self.articles: dict[str, ArticleRow] = {}
        self.revisions: list[RevisionRow] = []
        self.claims: list[Claim] = []  # claim id - 1 -> claim
        self.claim_words: list[bytes] = []  # claim id - 1 -> its wording, packed word ids
        self.current = bytearray()  # claim id - 1 -> 1 while its revision is its article's newest
        self._current_of: dict[str, list[int]] = {}  # article -> ids of its current claims
        self._position: dict[tuple[str, int, int, int], int] = {}  # current claim's place -> id
        # term -> id of the one current claim holding it, or ids of several, ascending: most terms
        # (word pairs) have one claim, and an int costs a fifth of a list
        self.postings: dict[str, int | list[int]] = {}
        # word pair or figure -> (articles, claims), as ``terms``; words are counted in ``words``
        self.stats: dict[str, tuple[int, int]] = {}
        self.profiles: dict[str, str] = {}  # as stored (JSON): a tenth of the memory of a Counter
        self._profile_cache: dict[str, dict[str, int]] = {}
        self.words = Vocabulary()  # every word by id, with its counts
        self.stories_packed: dict[str, bytes] = {}  # article -> its story words, packed
        # hash of a current claim's match key -> its id, or ids: a collision only adds a candidate,
        # which verification then turns down
        self._texts: dict[int, int | list[int]] = {}
        self._links: dict[int, LinkRow] = {}  # insertion order is rowid order
        self._links_of: dict[int, list[int]] = {}  # claim id -> keys of its links
        self._next_link = 0

    # -- writing ------------------------------------------------------------------------------

    def add_revision(
        self, article: Article, revision: Revision, first_seen: str, warnings: Sequence[str]
    ) -> list[ClaimLink]:
        """``Index.add_revision``, statement for statement, on the dictionaries."""
        when = article.meta.published or revision.committed_at
        claims = extract_claims(article, revision.number, when)
        article_id = article.article_id
        self._retire(article_id)
        self.articles[article_id] = article_row(article, revision, first_seen, warnings)
        self.revisions.append(revision_row(revision))
        found = match_claims(self, claims, self.options)
        first = len(self.claims) + 1
        ids = list(range(first, first + len(claims)))
        self.claims.extend(claims)
        self.current.extend(b"\x01" * len(claims))
        self._current_of[article_id] = ids
        for claim_id, claim in zip(ids, claims, strict=True):
            self._position[claim.article_id, claim.revision, claim.paragraph, claim.sentence] = claim_id
            _hold(self._texts, hash(match_key(claim.text)), claim_id)
        terms, profile_terms, held_by = article_terms(claims)
        self.profiles[article_id] = profile_json(profile_terms)
        kept, dropped = capped_terms(counts(self, profile_terms), profile_terms, held_by, self.options)
        _, self.stories_packed[article_id] = self.words.indexed(held_by, story_words(profile_terms))
        self.claim_words.extend(self.words.pack_ids(wording(claim.text)) for claim in claims)
        stats = self.stats
        postings = self.postings
        for term in dropped:
            postings.pop(term, None)
        for claim_id, held in zip(ids, terms, strict=True):
            for term in held & kept:
                _hold(postings, term, claim_id)
        for term, count in held_by.items():
            if not is_word(term):
                n_articles, n_claims = stats.get(term, (0, 0))
                stats[term] = (n_articles + 1, n_claims + count)
        by_claim = {c.claim_id: i for c, i in zip(claims, ids, strict=True)}
        for link in found:
            a = self._position[link.a.article_id, link.a.revision, link.a.paragraph, link.a.sentence]
            self._add_link((a, by_claim[link.b.claim_id], link.relation.value, link.score, link.conflict))
        return found

    def _retire(self, article_id: str) -> None:
        self.profiles.pop(article_id, None)
        self._profile_cache.pop(article_id, None)
        self.stories_packed.pop(article_id, None)
        current = self._current_of.pop(article_id, [])
        if not current:
            return
        claims = [self.claims[claim_id - 1] for claim_id in current]
        stats = self.stats
        retired = retired_terms([claim.text for claim in claims])
        for term in retired:
            if not is_word(term):
                n_articles, n_claims = stats[term]
                stats[term] = (n_articles - 1, n_claims)
        self.words.retired(retired)
        for claim_id, claim in zip(current, claims, strict=True):
            for term in term_set(claim.text):
                # past the cap, a term's postings went (all of them, ``capped_terms``)
                _release(self.postings, term, claim_id)
            _release(self._texts, hash(match_key(claim.text)), claim_id)
            self.current[claim_id - 1] = 0
            del self._position[claim.article_id, claim.revision, claim.paragraph, claim.sentence]
            for key in self._links_of.pop(claim_id, []):
                self._links.pop(key, None)

    def _add_link(self, row: LinkRow) -> None:
        key = self._next_link
        self._next_link += 1
        self._links[key] = row
        self._links_of.setdefault(row[0], []).append(key)
        self._links_of.setdefault(row[1], []).append(key)

    # -- what Index.load writes ---------------------------------------------------------------------

    def claim_rows(self) -> Iterator[tuple[int, *ClaimRow]]:
        """``claims`` rows in id order."""
        for number, (claim, words) in enumerate(zip(self.claims, self.claim_words, strict=True)):
            yield (number + 1, *claim_row(claim, self.current[number], words))

    def term_rows(self) -> Iterator[tuple[str, int, int, bytes]]:
        """``terms`` rows (word pairs and figures: counts and postings) in key order."""
        postings, stats = self.postings, self.stats
        for term in sorted(stats):
            yield term, *stats[term], packed_ids(_ids(postings.get(term)))

    def word_posting_rows(self) -> Iterator[tuple[int, bytes]]:
        """``word_postings`` rows in key order (word id)."""
        ids = self.words.ids
        held = sorted((ids[term], ids_held) for term, ids_held in self.postings.items() if is_word(term))
        for word_id, ids_held in held:
            yield word_id, packed_ids(_ids(ids_held))

    def link_rows(self) -> list[LinkRow]:
        """``links`` rows in the order ingest inserted them."""
        return list(self._links.values())

    # -- Backing ------------------------------------------------------------------------------

    def term_stats(self, terms: set[str]) -> dict[str, tuple[int, int]]:
        stats = self.stats
        return {term: stats[term] for term in terms if term in stats}

    def votes(self, chosen: Sequence[Sequence[str]]) -> list[list[int]]:
        postings = self.postings
        lists = {term: packed_ids(_ids(postings.get(term))) for terms in chosen for term in terms}
        return count_votes(chosen, lists, self.options)

    def same_text(self, keys: Sequence[str]) -> list[list[int]]:
        texts, claims, cap = self._texts, self.claims, self.options.gram_cap
        found = []
        for key in keys:
            # not a colliding hash
            ids = [c for c in _ids(texts.get(hash(key))) if match_key(claims[c - 1].text) == key]
            found.append(ids if len(ids) <= cap else [])
        return found

    def claims_by_id(self, ids: Sequence[int]) -> dict[int, Stored]:
        claims, words = self.claims, self.claim_words
        found = {}
        for claim_id in ids:
            claim = claims[claim_id - 1]
            found[claim_id] = Stored(claim, unpack_ids(words[claim_id - 1]), match_key(claim.text))
        return found

    def profile(self, article_id: str) -> Mapping[str, int]:
        return recall(self._profile_cache, article_id, partial(self._read_profile, article_id))

    def _read_profile(self, article_id: str) -> dict[str, int]:
        stored = self.profiles.get(article_id)
        return json.loads(stored) if stored else {}

    def vocabulary(self) -> Vocabulary:
        return self.words

    def stories(self, article_ids: Sequence[str]) -> list[bytes]:
        packed = self.stories_packed
        return [packed.get(article_id, b"") for article_id in article_ids]

    def article_count(self) -> int:
        return len(self.articles)

    def revision_count(self, article_id: str) -> int:
        row = self.articles.get(article_id)
        return row[6] if row else 0

    def first_seen(self, article_id: str) -> str | None:
        """When the article's first revision was committed, if it is indexed."""
        row = self.articles.get(article_id)
        return row[7] if row else None


def recall(cache: dict[str, _T], key: str, read: Callable[[], _T]) -> _T:
    """``cache[key]``, read on a miss; the cache keeps the ``PROFILES_KEPT`` most recently used
    (its insertion order is the order of use)."""
    value = cache.pop(key, None)
    if value is None:
        value = read()
        if len(cache) >= PROFILES_KEPT:
            del cache[next(iter(cache))]
    cache[key] = value
    return value


_K = TypeVar("_K")


def _ids(held: int | list[int] | None) -> Sequence[int]:
    """The claim ids a table holds under a key (``_hold``)."""
    if held is None:
        return ()
    return (held,) if isinstance(held, int) else held


def _hold(table: dict[_K, int | list[int]], key: _K, claim_id: int) -> None:
    """Add a claim id (larger than those held) under ``key``: an int alone, a list once two."""
    had = table.get(key)
    if had is None:
        table[key] = claim_id
    elif isinstance(had, int):
        table[key] = [had, claim_id]
    else:
        had.append(claim_id)


def _release(table: dict[_K, int | list[int]], key: _K, claim_id: int) -> None:
    """Take a claim id from under ``key``, if it is held there."""
    had = table.get(key)
    if had is None:
        return
    if isinstance(had, int):
        if had == claim_id:
            del table[key]
        return
    had.remove(claim_id)
    if len(had) == 1:
        table[key] = had[0]
