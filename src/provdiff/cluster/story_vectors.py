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

Here each word that can be a story word gets a small integer id, once (``Vocabulary``); the
article count of every word is one ``array`` indexed by id, kept current by whoever indexes; and
each article's story words are stored packed (``pack``: sorted ids, then counts). Weighing all
witnesses of a match is then a few numpy operations over their concatenated ids. The result is
the cosine ``cluster.stories`` defines, to rounding: only the order of the float sums differs.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy loads only when a match has witnesses to weigh: ingest starts faster
    import numpy as np
    import numpy.typing as npt

_IDS = "I"  # unsigned 32-bit on every platform CPython supports
_COUNTS = "H"  # claims of one article holding a word: far below 65,536


def is_story_word(term: str) -> bool:
    """Whether a term can be a story word: three letters or more, not a figure, not a word pair."""
    return len(term) > 2 and term[0] != "#" and "_" not in term


class Vocabulary:
    """Story words by id, with how many articles (current revisions) hold each.

    Ids count from 0 in the order words first appear and are never reused, so an index's packed
    rows stay valid while it grows. ``articles[i]`` equals the article count ``term_stats`` gives
    for word ``i``: indexing and retiring adjust both.
    """

    __slots__ = ("articles", "ids")

    def __init__(self, rows: Sequence[tuple[str, int]] = ()) -> None:
        """From (word, articles) rows in id order (as stored). Built by comprehensions, not a loop
        of appends: a fresh ingest reads the whole table (30k words at 10k articles) before its
        first story check, and the loop took 25 ms of it."""
        self.ids: dict[str, int] = {word: i for i, (word, _) in enumerate(rows)}
        self.articles = array("q", [count for _, count in rows])

    def counted(self, terms: Iterable[str], delta: int) -> list[tuple[int, str, int]]:
        """Add ``delta`` to the article count of each story word among ``terms`` (a new word gets
        the next id). Returns the (id, word, count) rows changed, for a backing that stores them."""
        ids, articles = self.ids, self.articles
        changed = []
        for term in terms:
            if not is_story_word(term):
                continue
            word_id = ids.get(term)
            if word_id is None:
                word_id = ids[term] = len(articles)
                articles.append(0)
            articles[word_id] += delta
            changed.append((word_id, term, articles[word_id]))
        return changed

    def pack(self, story: Mapping[str, int]) -> bytes:
        """An article's story words (word -> claims holding it, every word known here) as stored:
        the ids ascending, then the counts in the same order."""
        ids = self.ids
        pairs = sorted((ids[word], count) for word, count in story.items())
        return array(_IDS, [i for i, _ in pairs]).tobytes() + array(_COUNTS, [n for _, n in pairs]).tobytes()

    def indexed(
        self, held_by: Iterable[str], story: Mapping[str, int]
    ) -> tuple[list[tuple[int, str, int]], bytes]:
        """What indexing an article does here: count it as a holder of its words (``held_by``, as
        ``term_stats`` counts it), then pack its ``story`` words, which may only now have ids.
        Returns the changed rows (``counted``) and the packed story."""
        changed = self.counted(held_by, 1)
        return changed, self.pack(story)


def cosines(
    vocabulary: Vocabulary,
    ours: Mapping[str, float],
    words: Iterable[str],
    packed: Sequence[bytes],
    total: int,
) -> list[float]:
    """The cosine between the new article's story vector ``ours`` (``stories.profile``) and each
    packed witness's, weighed with the corpus as it is now.

    ``words`` are all of the new article's terms and words: it is not indexed yet, so each word it
    holds has one more holder than ``vocabulary`` counts. ``total`` counts the articles with it.
    """
    import numpy as np  # noqa: PLC0415 - see the imports

    if not packed:
        return []
    ids_of = vocabulary.ids
    # dense over the vocabulary (~30k words): the witnesses' ~25k ids (at 100k articles) are
    # then looked up by indexing, where two binary searches of them were a sixth of the weighing
    articles = np.frombuffer(vocabulary.articles, dtype=np.int64)
    our_weight = np.zeros(len(articles))
    our_weight[[ids_of[word] for word in ours]] = list(ours.values())
    holders = articles.copy()
    holders[list({i for w in words if (i := ids_of.get(w)) is not None})] += 1
    sizes = np.array([len(row) // 6 for row in packed], dtype=np.int64)
    columns = [_unpack(row) for row in packed]
    ids = np.concatenate([row_ids for row_ids, _ in columns]).astype(np.int64)
    counts = np.concatenate([row_counts for _, row_counts in columns]).astype(np.float64)
    held = holders[ids]
    weights = np.where(held > 1, (1 + np.log(counts)) * np.log((1 + total) / np.maximum(held, 1)), 0.0)
    products = our_weight[ids] * weights
    # a witness with no story word weighs nothing; reduceat cannot sum an empty stretch
    filled = sizes > 0
    starts = (np.cumsum(sizes) - sizes)[filled]
    norms = np.zeros(len(packed))
    dots = np.zeros(len(packed))
    if len(starts):
        norms[filled] = np.sqrt(np.add.reduceat(weights * weights, starts))
        dots[filled] = np.add.reduceat(products, starts)
    found: list[float] = np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0).tolist()
    return found


def _unpack(row: bytes) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint16]]:
    """The ids and the counts of a packed row (``Vocabulary.pack``)."""
    import numpy as np  # noqa: PLC0415 - see the imports

    n = len(row) // 6
    return np.frombuffer(row, dtype=np.uint32, count=n), np.frombuffer(
        row, dtype=np.uint16, count=n, offset=4 * n
    )
