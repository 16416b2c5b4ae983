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
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from provdiff.claims.features import Features
from provdiff.claims.options import RelationOptions

if TYPE_CHECKING:  # numpy loads only when a corpus is related: every command imports this module
    import numpy as np
    import numpy.typing as npt


def candidate_pairs(nodes: Sequence[Features], options: RelationOptions) -> npt.NDArray[np.int64]:
    """The candidate pairs (i, j), i < j, of the nodes (distinct claim texts), as an (n, 2) array
    sorted by i then j. Nodes that state nothing are never candidates.

    Terms get numbers in the order first met (nodes come in a fixed order); postings are the
    (term, node) rows sorted by term. The lists of one length are stacked into a matrix and all
    their pairs taken at once: one array operation per list length (at most ``gram_cap``), not
    one per term.
    """
    import numpy as np  # noqa: PLC0415

    number: dict[str, int] = {}
    terms: list[int] = []
    owners: list[int] = []
    lone: list[bool] = []
    for node, features in enumerate(nodes):
        if features.states:
            for text in features.terms:
                known = number.get(text)
                if known is None:
                    known = number[text] = len(number)
                    lone.append(text.startswith("#"))
                terms.append(known)
                owners.append(node)
    if not terms:
        return np.zeros((0, 2), dtype=np.int64)
    held = np.array(terms, dtype=np.int64)
    owner = np.array(owners, dtype=np.int64)
    order = np.lexsort((owner, held))
    held, owner = held[order], owner[order]
    starts = np.flatnonzero(np.concatenate(([True], held[1:] != held[:-1])))
    sizes = np.diff(np.append(starts, len(held)))
    figure = np.array(lone, dtype=bool)[held[starts]]
    count = np.int64(len(nodes))
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
