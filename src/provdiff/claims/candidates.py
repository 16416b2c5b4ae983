"""Which pairs of claims the relation judges: pairs that share enough terms that few claims hold.

Judging every pair of a corpus is quadratic; judging only pairs that share rare terms is what
passim and every text-reuse detector do. What makes a pair a candidate here is a function of the
corpus as it stands, not of the order it was built in: a term (content word, word pair, figure:
``features.Features.terms``) takes part while at most ``gram_cap`` of the corpus's distinct claims
hold it, and a pair is a candidate when it shares ``min_shared`` terms, or a figure held by at
most ``lone_figure`` claims (that rare an amount is a shared fact on its own: two outlets' "$100
billion" sentences share nothing else).

The join is vectorised: every pair of every usable term's postings is enumerated as one 64-bit key
(``i * count + j``) in numpy, and the keys' weights summed by sorting, as a bulk text-reuse join.
Finding each claim's terms is most of the work, and runs in worker processes on a large corpus.

``lookup`` is the same rule for one new claim against a corpus's postings (term -> nodes, as the
index keeps them): the nodes it would be a candidate pair with if it were ingested.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from provdiff.claims.features import terms
from provdiff.claims.options import RelationOptions
from provdiff.segment import match_key

if TYPE_CHECKING:  # numpy loads only when a corpus is related: every command imports this module
    import numpy as np
    import numpy.typing as npt

    from provdiff.cluster.engine import Engine


def candidate_pairs(
    texts: Sequence[str], options: RelationOptions, engine: Engine | None = None
) -> npt.NDArray[np.int64]:
    """The candidate pairs (i, j), i < j, of the nodes (distinct claim texts, in a fixed order), as
    an (n, 2) array sorted by i then j: ``joined_pairs`` of their ``term_hashes``."""
    return joined_pairs(*term_hashes(texts, engine), options)


def term_hashes(
    texts: Sequence[str], engine: Engine | None = None
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(the term hashes of every node in turn, how many each node has): a node's terms
    (``features.terms``; none when it states nothing) hashed to 63 bits (two CRC-32s: the same in
    every process, unlike ``hash``), negated for a figure, in sorted order. On a large corpus the
    engine's shares of the nodes are hashed by its workers (``cluster.engine``: forked processes
    here, or Dask). A function of each text alone, so a caller may keep a node's hashes and reuse
    them (``claims.batch.Memo``)."""
    import numpy as np  # noqa: PLC0415

    if engine is None or len(texts) < _PARALLEL_FROM:
        parts = [_hashed(texts, (0, len(texts)))]
    else:
        bounds = [len(texts) * k // engine.workers for k in range(engine.workers + 1)]
        parts = engine.map(_hashed, list(texts), list(pairwise(bounds)))
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate([part[0] for part in parts]), np.concatenate([part[1] for part in parts])


def joined_pairs(
    hashes: npt.NDArray[np.int64], counts: npt.NDArray[np.int64], options: RelationOptions
) -> npt.NDArray[np.int64]:
    """The candidate pairs of nodes whose term hashes are ``hashes``, ``counts[n]`` of them for node
    n in turn (``term_hashes``).

    The (term, node) rows are sorted by term in numpy. Only equal terms meet, so the pairs depend
    neither on the hash values (a collision of two 63-bit hashes among a corpus's terms is not
    expected) nor on where they were computed. The postings of one length are stacked into a
    matrix and all their pairs taken at once: one array operation per length (at most ``gram_cap``).
    """
    import numpy as np  # noqa: PLC0415

    count = np.int64(len(counts))
    held = hashes
    owner = np.repeat(np.arange(count, dtype=np.int64), counts)
    if not len(held):
        return np.zeros((0, 2), dtype=np.int64)
    order = np.lexsort((owner, held))
    held, owner = held[order], owner[order]
    starts = np.flatnonzero(np.concatenate(([True], held[1:] != held[:-1])))
    sizes = np.diff(np.append(starts, len(held)))
    figure = held[starts] < 0  # the top bit: a figure term
    keys: list[npt.NDArray[np.int64]] = []
    weights: list[npt.NDArray[np.int64]] = []
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= options.gram_cap)]).tolist():
        chosen = np.flatnonzero(sizes == size)
        members = owner[starts[chosen][:, None] + np.arange(size)]  # one row per term, ascending
        left, right = np.triu_indices(size, k=1)
        keys.append((members[:, left] * count + members[:, right]).ravel())
        worth = np.where(figure[chosen] & (size <= options.lone_figure), options.min_shared, 1)
        weights.append(np.repeat(worth, len(left)))
    if not keys:
        return np.zeros((0, 2), dtype=np.int64)
    every = np.concatenate(keys)
    worths = np.concatenate(weights)
    order = np.argsort(every, kind="stable")
    every, worths = every[order], worths[order]
    starts = np.flatnonzero(np.concatenate(([True], every[1:] != every[:-1])))
    totals = np.add.reduceat(worths, starts)
    chosen = every[starts[totals >= options.min_shared]]
    return np.stack([chosen // count, chosen % count], axis=1)


def lookup(
    hashes: Sequence[int],
    postings: Mapping[int, Sequence[int]],
    options: RelationOptions,
    own: int | None = None,
) -> list[int]:
    """The corpus nodes that a claim with term hashes ``hashes`` (its ``term_hashes``) is a
    candidate pair with, as ``joined_pairs`` would find them over the corpus and the claim:
    ``postings`` holds, for each of its terms, the nodes that hold it (more than ``gram_cap - 1``
    of them: the term proposes nothing). ``own`` is the claim's own node, when the corpus holds
    the same sentence (a verbatim copy, not counted twice). In ascending order."""
    weights: Counter[int] = Counter()
    for term in set(hashes):
        nodes = [n for n in postings.get(term, ()) if n != own]
        size = len(nodes) + 1  # the claim itself holds it too
        if 2 <= size <= options.gram_cap:
            worth = options.min_shared if term < 0 and size <= options.lone_figure else 1
            weights.update(dict.fromkeys(nodes, worth))
    return sorted(n for n, total in weights.items() if total >= options.min_shared)


def key_hash(key: str) -> int:
    """The 32-bit hash of a match key: how the index names a node (``claims.hashed``, the nodes
    of ``postings``), and looks up verbatim appearances (an index on the keys themselves is
    several times larger). Keys that share a hash are told apart by the key."""
    return zlib.crc32(key.encode())


def node_hash(text: str) -> int:
    """The node a claim's text is in, as the index names it: the ``key_hash`` of its match key."""
    return key_hash(match_key(text))


_PARALLEL_FROM = 20_000  # nodes below which sending shares to workers costs more than it saves
_SEED = 0x9E3779B9  # the second CRC-32's starting value


def _hashed(
    texts: Sequence[str], bounds: tuple[int, int]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(term hashes, how many per node) of the nodes in ``bounds``: a figure's hash is negative."""
    import numpy as np  # noqa: PLC0415

    hashes: list[int] = []
    counts: list[int] = []
    for node in range(*bounds):
        found = terms(texts[node])
        held = []
        if found.states:
            for term in found.terms:
                data = term.encode()
                value = zlib.crc32(data) << 31 | zlib.crc32(data, _SEED) >> 1
                held.append(~value if term[0] == "#" else value)
            held.sort()
        hashes.extend(held)
        counts.append(len(held))
    return np.array(hashes, dtype=np.int64), np.array(counts, dtype=np.int64)
