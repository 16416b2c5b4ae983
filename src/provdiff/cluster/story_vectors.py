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

    The arrays are the thread's scratch buffers (``_scratch``), reused from call to call: at 100k
    generated articles the ~25k witness words of a match filled a dozen fresh arrays of 200 KB,
    which the allocator handed back to the system after each call. In a connection's first pass
    over 100 new articles each call took ~280 page faults and 4.8 ms p50, against 2 faults and
    1.0 ms in the second pass over the same articles; with the buffers it took 1.0-1.2 ms.
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


class _Buffers(NamedTuple):
    """The scratch buffers of ``cosines``: two per vocabulary id, three per witness word.

    ``ours`` stays all zeros between calls (a call sets, then resets, only the new article's words).
    """

    holders: npt.NDArray[np.int64]
    ours: npt.NDArray[np.float64]
    held: npt.NDArray[np.int64]
    weights: npt.NDArray[np.float64]
    idf: npt.NDArray[np.float64]


_SCRATCH = threading.local()  # ``buffers``: the thread's ``_Buffers``, grown and never given back


def _scratch(vocabulary: int, words: int) -> _Buffers:
    """The thread's buffers, with room for a vocabulary of ``vocabulary`` ids and ``words``
    witness words (a part too small is made anew, half again as large as asked, so they grow
    rarely; a new ``ours`` is all zeros, as the old one was)."""
    import numpy as np  # noqa: PLC0415 - see the imports

    had: _Buffers | None = getattr(_SCRATCH, "buffers", None)
    if had is not None and len(had.holders) >= vocabulary and len(had.held) >= words:
        return had
    per_id = vocabulary * 3 // 2 if had is None or len(had.holders) < vocabulary else len(had.holders)
    per_word = words * 3 // 2 if had is None or len(had.held) < words else len(had.held)
    buffers = _Buffers(
        np.zeros(per_id, dtype=np.int64),
        np.zeros(per_id),
        np.zeros(per_word, dtype=np.int64),
        np.zeros(per_word),
        np.zeros(per_word),
    )
    _SCRATCH.buffers = buffers
    return buffers
