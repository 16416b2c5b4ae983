"""The story check in numbers: story words as ids, article counts in one array, cosines vectorized.

A reworded or overlapping claim counts only between articles of one story (``cluster.verify``):
the cosine of their TF-IDF story vectors (``cluster.stories.profile``) must reach ``story``. The
weights use the corpus's article count of every word *now*, so a witness article's vector cannot
be stored; it must be weighed again at every match. As words were strings, that meant decoding the
witness's whole term profile and looking each of its ~400 story words up in dictionaries of
millions of terms, ~0.4 ms per witness. And the witnesses grow with the corpus: most are chance
overlaps (two unrelated claims sharing one amount), about one per 1,500 indexed articles, almost
all of them rejected (``benchmarks/bench_match_growth.py``). At 30k articles the check was a third
of a match.

Here each word has a small integer id (``cluster.vocabulary.Vocabulary``); the article count of
every word is one ``array`` indexed by id, kept current by whoever indexes; and each article's story
words are stored packed (``Vocabulary.pack``: sorted ids, then counts). Weighing all witnesses of a
match is then a few numpy operations over their concatenated ids. The result is the cosine
``cluster.stories`` defines, to rounding: only the order of the float sums differs.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from provdiff.cluster.vocabulary import Vocabulary

if TYPE_CHECKING:  # numpy loads only when a match has witnesses to weigh: ingest starts faster
    import numpy as np
    import numpy.typing as npt


def cosines(
    vocabulary: Vocabulary,
    ours: Mapping[str, float],
    words: Collection[int],
    packed: Sequence[bytes],
    total: int,
) -> list[float]:
    """The cosine between the new article's story vector ``ours`` (``stories.profile``) and each
    packed witness's, weighed with the corpus as it is now.

    ``words`` are the ids of all of the new article's words that ``vocabulary`` has: it is not
    indexed yet, so each word it holds has one more holder than ``vocabulary`` counts. ``total``
    counts the articles with it.

    The arrays are the thread's scratch buffers (``_Scratch``), reused from call to call: at 100k
    generated articles the ~25k witness words of a match filled a dozen fresh arrays of 200 KB,
    which the allocator handed back to the system after each call, and a page touched for the
    first time costs ~13 us on this machine: 280 page faults, three quarters of the weighing.
    """
    import numpy as np  # noqa: PLC0415 - see the imports

    if not packed:
        return []
    sizes = [len(row) // 6 for row in packed]
    ids = np.frombuffer(
        b"".join([row[: 4 * n] for row, n in zip(packed, sizes, strict=True)]), dtype=np.uint32
    )
    counts = np.frombuffer(b"".join([row[4 * n :] for row, n in zip(packed, sizes, strict=True)]), np.uint16)
    scratch = _scratch(len(vocabulary.articles), len(ids))
    # dense over the vocabulary (~30k words): the witnesses' ids are then looked up by indexing,
    # where two binary searches of them were a sixth of the weighing
    holders = scratch.holders[: len(vocabulary.articles)]
    np.copyto(holders, np.frombuffer(vocabulary.articles, dtype=np.int64))
    holders[list(words)] += 1
    our_ids = [vocabulary.ids[word] for word in ours]
    scratch.ours[our_ids] = list(ours.values())
    try:
        held = np.take(holders, ids, out=scratch.held[: len(ids)])
        weights = scratch.weights[: len(ids)]
        weights[:] = counts  # in float64: ``np.log`` of uint16 would take the float32 loop
        np.log(weights, out=weights)
        weights += 1
        # (1 + log tf) * log((1 + total) / holders), 0 for a word no other article holds
        idf = np.divide(1 + total, np.maximum(held, 1, out=held), out=scratch.idf[: len(ids)])
        np.log(idf, out=idf)
        idf[held <= 1] = 0.0
        weights *= idf
        products = np.take(scratch.ours, ids, out=scratch.idf[: len(ids)])
        products *= weights
        weights *= weights
        # a witness with no story word weighs nothing; reduceat cannot sum an empty stretch
        lengths = np.array(sizes, dtype=np.int64)
        filled = lengths > 0
        starts = (np.cumsum(lengths) - lengths)[filled]
        norms = np.zeros(len(packed))
        dots = np.zeros(len(packed))
        if len(starts):
            norms[filled] = np.sqrt(np.add.reduceat(weights, starts))
            dots[filled] = np.add.reduceat(products, starts)
    finally:
        scratch.ours[our_ids] = 0.0
    found: list[float] = np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0).tolist()
    return found


class _Scratch(threading.local):
    """Per-thread buffers of ``cosines``, grown as needed and never given back.

    ``ours`` stays all zeros between calls (a call sets, then resets, only the new article's words).
    """

    def __init__(self) -> None:
        self.holders: npt.NDArray[np.int64] | None = None  # per vocabulary id
        self.ours: npt.NDArray[np.float64] | None = None  # per vocabulary id
        self.held: npt.NDArray[np.int64] | None = None  # per witness word
        self.weights: npt.NDArray[np.float64] | None = None  # per witness word
        self.idf: npt.NDArray[np.float64] | None = None  # per witness word


_SCRATCH = _Scratch()


def _scratch(vocabulary: int, words: int) -> _Buffers:
    """The thread's buffers, with room for a vocabulary of ``vocabulary`` ids and ``words``
    witness words (grown by half again beyond what is asked, so they grow rarely)."""
    import numpy as np  # noqa: PLC0415 - see the imports

    scratch = _SCRATCH
    if scratch.holders is None or scratch.ours is None or len(scratch.holders) < vocabulary:
        size = vocabulary * 3 // 2
        scratch.holders = np.zeros(size, dtype=np.int64)
        grown = np.zeros(size)
        if scratch.ours is not None:
            grown[: len(scratch.ours)] = scratch.ours
        scratch.ours = grown
    if scratch.held is None or scratch.weights is None or scratch.idf is None or len(scratch.held) < words:
        size = words * 3 // 2
        scratch.held = np.zeros(size, dtype=np.int64)
        scratch.weights = np.zeros(size)
        scratch.idf = np.zeros(size)
    return _Buffers(scratch.holders, scratch.ours, scratch.held, scratch.weights, scratch.idf)


class _Buffers(NamedTuple):
    """The scratch buffers of one call, none missing."""

    holders: npt.NDArray[np.int64]
    ours: npt.NDArray[np.float64]
    held: npt.NDArray[np.int64]
    weights: npt.NDArray[np.float64]
    idf: npt.NDArray[np.float64]
