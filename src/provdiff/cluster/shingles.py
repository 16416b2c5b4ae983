"""Copies across a whole corpus at once: hashed word n-grams, a frequency cap, sentence verification.

The claim index (``provdiff.index``) matches one revision at a time against SQLite postings, which is
right for ingest but too slow to rebuild a corpus of 100k articles. This is the bulk path for
copies (verbatim, edited, figure-changed), vectorized with numpy so that Python touches each
paragraph once and only candidate pairs sentence by sentence:

1. Every paragraph becomes lower-case words (a changed figure or word costs a copy at most ``n`` of
   its grams), each hashed to a stable 64-bit value in numpy straight from the UTF-8 bytes
   (``word_hashes``), so the same text hashes alike in any process or run with no word table.
2. Word n-grams (``n`` = 4) are hashed for the whole corpus in a few array operations and packed with
   their paragraph number into one integer, ``gram << 22 | paragraph``; one ``np.sort`` groups each
   gram's paragraphs. A gram held by more than ``cap`` paragraphs (common phrasing) proposes nothing:
   passim's cap, which bounds the pairs by ``cap**2`` per gram and makes the work near-linear.
3. Paragraph pairs of different articles sharing ``min_shared`` grams are candidates; only their
   sentences are compared: identical text is verbatim at once; otherwise a rapidfuzz prefilter on
   the words, then the one relation (``claims.relation.judge``), keeping the copies it finds.

Reworded claims (independent corroboration) share few n-grams; they are the index's job (rare shared
terms), not this path's. Grams are truncated to 42 bits to share a 64-bit word with the paragraph
number; a collision costs at most one spurious shared gram, and candidates need three.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from provdiff.claims.options import RelationOptions
from provdiff.claims.relation import judge_texts
from provdiff.cluster.engine import Engine, LocalEngine
from provdiff.model import COPIES, Claim, ClaimLink, Relation
from provdiff.segment import sentences

_PARAGRAPH_BITS = 22  # up to 4M paragraphs per run
_GRAM_SHIFT = np.uint64(_PARAGRAPH_BITS)
_PARAGRAPH_MASK = np.uint64((1 << _PARAGRAPH_BITS) - 1)
_MULTIPLIERS = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5)
_SENTENCE_CACHE = 1 << 18  # paragraphs whose split sentences are kept while verifying
Array = npt.NDArray[np.uint64]


@dataclass(frozen=True, slots=True)
class ShingleOptions:
    """Candidate generation of the bulk path (verification is the relation's, ``RelationOptions``)."""

    n: int = 4  # words per gram: an edit of one word still leaves most of a sentence's grams
    cap: int = 50  # a gram in more paragraphs than this proposes no candidates
    # shared grams that make two paragraphs a candidate pair: 3 instead of 2 cut the candidates of
    # 100k generated articles by a third for 0.0014 less pair recall (benchmarks/bench_grouping.py)
    min_shared: int = 3
    prefilter: float = 0.8  # skeleton similarity below which two sentences are not verified


@dataclass(frozen=True, slots=True)
class Document:
    """One article version as the bulk path sees it."""

    article_id: str
    revision: int
    source: str
    when: str
    paragraphs: tuple[str, ...]


def words(paragraph: str) -> list[str]:
    """Lower-case words, punctuation attached: the cheapest split that copies share.

    >>> words("Lee pledged $350 billion, up 15%.")
    ['lee', 'pledged', '$350', 'billion,', 'up', '15%.']
    """
    return paragraph.lower().split()


_PRIME = 0x100000001B3  # odd, hence invertible modulo 2**64
_CHUNK = 1 << 22  # bytes of text hashed at once (a few word-sized arrays of this many items)


def _powers(base: int, count: int = _CHUNK) -> Array:
    """``base**j`` modulo 2**64 for j < ``count`` (a sequential product: computed once per run)."""
    powers = np.full(count, np.uint64(base), dtype=np.uint64)
    powers[0] = 1
    with np.errstate(over="ignore"):
        np.cumprod(powers, out=powers)
    return powers


_INVERSE = pow(_PRIME, -1, 1 << 64)
_DOWN = _powers(_INVERSE)  # Q**j
_UP = _powers(_PRIME)  # P**j = Q**-j


def word_hashes(paragraphs: Sequence[str]) -> tuple[Array, npt.NDArray[np.int64]]:
    """(stable 64-bit hash of every lower-case word in order, number of words per paragraph).

    Hashing in numpy, a chunk of text at a time, instead of a Python dictionary lookup per word:
    the word loop was most of a 100k-article run. Each byte ``b_j`` of the chunk is multiplied by
    ``Q**j`` (``Q`` the inverse of an odd prime modulo 2**64) and summed cumulatively, so a word
    from byte ``s`` to ``e`` hashes to ``(C[e] - C[s]) * P**s`` = ``sum b_j * Q**(j - s)``: the same
    value wherever the word stands, then mixed (splitmix64) together with its length. Words are
    split on bytes up to 0x20 (space, tab, newline, control bytes; ``words``'s split also splits on
    Unicode spaces; the bulk path uses this one on both sides of every comparison).
    """
    chunks: list[tuple[Array, npt.NDArray[np.int64]]] = []
    batch: list[bytes] = []
    size = 0
    for paragraph in paragraphs:
        text = paragraph.lower().encode("utf-8")
        if batch and size + len(text) + 1 > _CHUNK:
            chunks.append(_hash_chunk(batch))
            batch, size = [], 0
        batch.append(text)
        size += len(text) + 1
    if batch:
        chunks.append(_hash_chunk(batch))
    if not chunks:
        return np.empty(0, dtype=np.uint64), np.zeros(len(paragraphs), dtype=np.int64)
    return np.concatenate([h for h, _ in chunks]), np.concatenate([c for _, c in chunks])


def _hash_chunk(batch: list[bytes]) -> tuple[Array, npt.NDArray[np.int64]]:
    """Word hashes and words per paragraph of one batch of encoded paragraphs."""
    data = np.frombuffer(b"\n".join(batch) + b"\n", dtype=np.uint8)
    space = data <= 32  # space, tab, newline and the other control bytes
    letter = ~space
    begins = np.flatnonzero(letter[1:] & space[:-1]) + 1
    if letter[0]:
        begins = np.concatenate(([0], begins))
    ends = np.flatnonzero(letter[:-1] & space[1:])
    down, up = (
        (_DOWN, _UP) if len(data) <= _CHUNK else (_powers(_INVERSE, len(data)), _powers(_PRIME, len(data)))
    )
    with np.errstate(over="ignore"):
        summed = np.zeros(len(data) + 1, dtype=np.uint64)
        np.cumsum(data * down[: len(data)], dtype=np.uint64, out=summed[1:])
        value = (summed[ends + 1] - summed[begins]) * up[begins]
        value ^= (ends - begins + 1).astype(np.uint64) << np.uint64(56)
        value ^= value >> np.uint64(30)
        value *= np.uint64(0xBF58476D1CE4E5B9)
        value ^= value >> np.uint64(27)
        value *= np.uint64(0x94D049BB133111EB)
        value ^= value >> np.uint64(31)
    # paragraph k of the batch ends at the k-th separator; count the words before each
    separators = np.cumsum([len(text) + 1 for text in batch]) - 1
    before = np.searchsorted(begins, separators)
    return value, np.diff(before, prepend=0).astype(np.int64)


def gram_keys(paragraphs: Sequence[str], options: ShingleOptions, first: int = 0) -> Array:
    """Sorted ``gram << 22 | paragraph`` keys of every distinct n-gram of every paragraph.

    ``first`` numbers the paragraphs from there (for a batch appended to an existing corpus).
    """
    hashed, lengths = word_hashes(paragraphs)
    n = options.n
    if len(hashed) < n:
        return np.empty(0, dtype=np.uint64)
    span = len(hashed) - n + 1
    with np.errstate(over="ignore"):
        grams = hashed[:span] * np.uint64(_MULTIPLIERS[0])
        for k in range(1, n):
            grams ^= hashed[k : k + span] * np.uint64(_MULTIPLIERS[k % len(_MULTIPLIERS)])
            grams = (grams << np.uint64(7)) | (grams >> np.uint64(57))
    del hashed
    # A gram starting in a paragraph's last n-1 words would run into the next paragraph: mark those
    # starts off directly, instead of computing every word's position (three more word-sized arrays).
    ends = np.cumsum(lengths)
    starts = ends - lengths
    fits = np.ones(span, dtype=bool)
    for back in range(1, n):
        tail = ends - back
        tail = tail[(tail >= starts) & (tail < span)]
        fits[tail] = False
    owner = np.repeat(np.arange(first, first + len(paragraphs), dtype=np.uint32), lengths)[:span]
    keys: Array = grams[fits]
    del grams
    keys <<= _GRAM_SHIFT
    keys |= owner[fits].astype(np.uint64)
    del owner, fits
    keys.sort()
    if len(keys) > 1:
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    return keys


def candidate_pairs(
    keys: Array, article_of: npt.NDArray[np.int64], options: ShingleOptions
) -> npt.NDArray[np.int64]:
    """(p, q) paragraph pairs, p < q, of different articles sharing at least ``min_shared`` grams."""
    if len(keys) < 2:
        return np.empty((0, 2), dtype=np.int64)
    keys = keys[_in_shared_gram(keys)]
    grams = keys >> _GRAM_SHIFT
    owners = (keys & _PARAGRAPH_MASK).astype(np.int64)
    bounds = np.flatnonzero(np.concatenate(([True], grams[1:] != grams[:-1], [True])))
    sizes = np.diff(bounds)
    starts = bounds[:-1]
    found = []
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= options.cap)]):
        first = starts[sizes == size]
        left, right = np.triu_indices(int(size), k=1)
        a = owners[first[:, None] + left[None, :]].ravel()
        b = owners[first[:, None] + right[None, :]].ravel()
        apart = article_of[a] != article_of[b]
        found.append(np.minimum(a, b)[apart] << 32 | np.maximum(a, b)[apart])
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    pairs, counts = np.unique(np.concatenate(found), return_counts=True)
    pairs = pairs[counts >= options.min_shared]
    return np.stack((pairs >> 32, pairs & 0xFFFFFFFF), axis=1)


def _in_shared_gram(keys: Array) -> npt.NDArray[np.intp]:
    """Positions of the keys whose gram another key also has.

    Most grams belong to one paragraph only; dropping them first, with boundaries computed in
    chunks, keeps the grouping below from making key-sized copies of the largest array of the run.
    """
    step = 1 << 24
    edge = np.empty(len(keys) + 1, dtype=bool)  # edge[i]: a new gram starts at key i
    edge[0] = edge[-1] = True
    for lo in range(1, len(keys), step):
        hi = min(len(keys), lo + step)
        edge[lo:hi] = (keys[lo:hi] >> _GRAM_SHIFT) != (keys[lo - 1 : hi - 1] >> _GRAM_SHIFT)
    alone = edge[:-1] & edge[1:]
    del edge
    return np.flatnonzero(~alone)


# (paragraph, sentence, text) of both sides, relation, score, conflict
_Row = tuple[int, int, str, int, int, str, str, float, str]
_SHIPPED = ("options", "verify_options", "workers", "documents", "paragraphs", "article_of")
_T = TypeVar("_T")
_R = TypeVar("_R")


class Corpus:
    """Documents in bulk: their paragraphs numbered in order, their sorted gram keys, their copies.

    The engine (default: ``workers`` forked processes here) runs hashing and verification in shares:
    contiguous ranges of paragraphs, then of candidate pairs; stable hashes make the shares' keys
    agree. ``match`` checks one new document against what is held without recomputing anything.
    """

    def __init__(
        self,
        documents: Sequence[Document],
        options: ShingleOptions = ShingleOptions(),
        verify_options: RelationOptions | None = None,
        workers: int = 1,
        engine: Engine | None = None,
    ) -> None:
        self.options = options
        self.verify_options = verify_options or RelationOptions()
        self.engine: Engine = engine or LocalEngine(workers)
        self.workers = self.engine.workers
        self.documents = list(documents)
        self.paragraphs: list[tuple[int, int]] = [
            (d, p) for d, doc in enumerate(self.documents) for p in range(len(doc.paragraphs))
        ]
        if len(self.paragraphs) > _PARAGRAPH_MASK:
            raise ValueError(f"at most {int(_PARAGRAPH_MASK) + 1} paragraphs per bulk run")
        self.article_of = np.array([d for d, _ in self.paragraphs], dtype=np.int64)
        self._sentences: dict[int, list[_Sentence]] = {}
        bounds = _split(len(self.paragraphs), workers)
        parts = self._map(Corpus.shingle_part, list(itertools.pairwise(bounds)))
        self.keys: Array = _join(parts)
        # in place (a sorted copy would double the largest array of the run), and stable: timsort
        # finds the shares' sorted runs and merges them, five times faster than sorting afresh
        self.keys.sort(kind="stable")

    def links(self) -> list[ClaimLink]:
        """Every verified copy link between claims of different articles."""
        pairs = candidate_pairs(self.keys, self.article_of, self.options)
        bounds = _split(len(pairs), self.workers)
        found = self._map(Corpus.verify_rows, [pairs[a:b] for a, b in itertools.pairwise(bounds)])
        return [self._link(row) for part in found for row in part]

    def shingle_part(self, bounds: tuple[int, int]) -> Array:
        """Sorted gram keys of paragraphs ``start`` to ``end`` (one worker's share)."""
        start, end = bounds
        texts = [self.documents[d].paragraphs[p] for d, p in self.paragraphs[start:end]]
        return gram_keys(texts, self.options, first=start)

    def verify_rows(self, pairs: npt.NDArray[np.int64]) -> list[_Row]:
        """Verified links of candidate paragraph pairs (one worker's share), as plain tuples: a
        worker sends them back ten times faster than pickled dataclasses."""
        rows: list[_Row] = []
        for p, q in pairs.tolist():
            left, right = self._claims(p), self._claims(q)
            for i, j, relation, score, conflict in self._verify(
                left, right, partial(self._claim, p), partial(self._claim, q)
            ):
                rows.append((p, i, left[i][0], q, j, right[j][0], relation.value, score, conflict))
        self._sentences.clear()
        return rows

    def _link(self, row: _Row) -> ClaimLink:
        p, s, text_a, q, t, text_b, relation, score, conflict = row
        return ClaimLink(
            self._claim(p, s, text_a), self._claim(q, t, text_b), Relation(relation), score, conflict
        )

    def _claim(self, paragraph: int, sentence: int, text: str) -> Claim:
        d, p = self.paragraphs[paragraph]
        doc = self.documents[d]
        return Claim(doc.article_id, doc.revision, p, sentence, text, doc.source, doc.when)

    def _map(self, function: Callable[[Corpus, _T], _R], tasks: list[_T]) -> list[_R]:
        return self.engine.map(function, self, tasks)

    def __getstate__(self) -> dict[str, object]:
        """What a remote worker gets: the documents and settings, not the keys, vocabulary or caches
        (shares build their own), nor the engine."""
        state = {name: getattr(self, name) for name in _SHIPPED}
        state["keys"] = np.empty(0, dtype=np.uint64)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._sentences = {}
        self.engine = LocalEngine(1)

    def match(self, document: Document) -> list[ClaimLink]:
        """Links from a new document's claims to the held corpus's (the document is not added)."""
        keys = gram_keys(document.paragraphs, self.options)
        votes: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        grams = keys >> _GRAM_SHIFT
        lo = np.searchsorted(self.keys, grams << _GRAM_SHIFT)
        hi = np.searchsorted(self.keys, (grams << _GRAM_SHIFT) | _PARAGRAPH_MASK, side="right")
        for own, begin, end in zip((keys & _PARAGRAPH_MASK).tolist(), lo.tolist(), hi.tolist(), strict=True):
            if 0 < end - begin <= self.options.cap:
                for held in (self.keys[begin:end] & _PARAGRAPH_MASK).tolist():
                    votes[own][held] += 1
        found: list[ClaimLink] = []
        for own, held_votes in votes.items():
            candidates = [held for held, count in held_votes.items() if count >= self.options.min_shared]
            if not candidates:
                continue
            mine = _sentences_of(document.paragraphs[own])

            def claim(k: int, text: str, own: int = own) -> Claim:
                d = document
                return Claim(d.article_id, d.revision, own, k, text, d.source, d.when)

            for held in candidates:
                theirs = self._claims(held)
                for i, j, relation, score, conflict in self._verify(
                    theirs, mine, partial(self._claim, held), claim
                ):
                    found.append(
                        ClaimLink(
                            self._claim(held, i, theirs[i][0]),
                            claim(j, mine[j][0]),
                            relation,
                            score,
                            conflict,
                        )
                    )
        return found

    def _claims(self, paragraph: int) -> list[_Sentence]:
        cached = self._sentences.get(paragraph)
        if cached is None:
            if len(self._sentences) >= _SENTENCE_CACHE:
                self._sentences.clear()
            d, p = self.paragraphs[paragraph]
            cached = self._sentences[paragraph] = _sentences_of(self.documents[d].paragraphs[p])
        return cached

    def _verify(
        self, left: list[_Sentence], right: list[_Sentence], claim_left: _Maker, claim_right: _Maker
    ) -> Iterator[tuple[int, int, Relation, float, str]]:
        """(sentence of left, sentence of right, relation, score, conflict) of each verified pair.

        Claims are made only for pairs the prefilter lets through: most candidate sentences pairs
        are verbatim or plainly different, and need none."""
        cutoff = self.options.prefilter * 100
        for i, (x_text, x_key) in enumerate(left):
            for j, (y_text, y_key) in enumerate(right):
                if x_text == y_text:
                    yield i, j, Relation.VERBATIM, 1.0, ""
                    continue
                if fuzz.ratio(x_key, y_key, score_cutoff=cutoff) == 0:
                    continue
                found = judge_texts(x_text, y_text, self.verify_options)
                if found.relation in COPIES:
                    sources = claim_left(i, x_text).source, claim_right(j, y_text).source
                    yield i, j, found.relation, found.score, found.conflict_text(*sources)


_Sentence = tuple[str, str]  # a sentence and its words, the prefilter's key
_Maker = Callable[[int, str], Claim]  # the claim of sentence k with this text, of a known paragraph


def _join(parts: list[Array]) -> Array:
    """The parts end to end, each freed once copied: the peak is the whole plus one part, not two
    wholes as with ``np.concatenate``."""
    if len(parts) == 1:
        return parts.pop()
    joined = np.empty(sum(len(part) for part in parts), dtype=np.uint64)
    at = 0
    while parts:
        part = parts.pop(0)
        joined[at : at + len(part)] = part
        at += len(part)
        del part
    return joined


def _split(count: int, parts: int) -> list[int]:
    """Bounds of ``parts`` near-equal contiguous shares of ``count`` items."""
    parts = max(1, min(parts, count))
    return [count * k // parts for k in range(parts + 1)]


def _sentences_of(paragraph: str) -> list[_Sentence]:
    return [(text, " ".join(words(text))) for text in sentences(paragraph)]
