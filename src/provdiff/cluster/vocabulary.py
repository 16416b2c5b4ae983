"""Every word of the corpus by id, with its counts: what matching weighs words by.

A match weighs every word of the new claims and of their candidates by how many articles hold it
(``cluster.verify.Rarity``) and picks each claim's rarest terms by how many claims hold them. Words
are few (30k at 10k generated articles) beside the word pairs and figures (2.4M), and every match
asks for ~1,000 of them, so the index keeps their counts here, read whole once per process and kept
current by every write, and stores each claim's wording as these ids: a candidate claim is then
weighed without reading its text again (tokenizing ~90 candidate texts was a tenth of a match).
The story check weighs the same ids (``cluster.story_vectors``).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping, Sequence

_IDS = "I"  # unsigned 32-bit on every platform CPython supports
_COUNTS = "H"  # claims of one article holding a word: far below 65,536


def is_word(term: str) -> bool:
    """Whether a term is a single word or number (what ``alignment.claims.wording`` yields, and
    the words of ``term_set``), not a figure (``#USD350000000000``) nor a word pair (``a_b``)."""
    return term[0] != "#" and "_" not in term


WordRow = tuple[int, str, int, int]  # (id, word, articles, claims), as the index stores it


class Vocabulary:
    """Every word of the corpus by id, with how many articles (current revisions) hold it and how
    many claims ever have (``term_stats``'s two counts).

    Ids count from 0 in the order articles first hold the words (one article's new words sorted)
    and are never reused, so an index's packed rows stay valid while it grows. The counts are kept
    here rather than beside the word pairs and figures (the index's ``terms``): they are a few tens
    of thousands of rows against millions, read whole once per process, and a match asks for ~1,000
    of them; and claims store their wording as these ids (``pack_ids``), which the wording overlap
    weighs without reading the text again.
    """

    __slots__ = ("articles", "claims", "ids")

    def __init__(self, rows: Sequence[tuple[str, int, int]] = ()) -> None:
        """From (word, articles, claims) rows in id order (as stored). Built by comprehensions, not
        a loop of appends: a fresh ingest reads the whole table (30k words at 10k articles) before
        its first match, and the loop took 25 ms of it."""
        self.ids: dict[str, int] = {word: i for i, (word, _, _) in enumerate(rows)}
        self.articles = array("q", [count for _, count, _ in rows])
        self.claims = array("q", [count for _, _, count in rows])

    def counts(self, words: Iterable[str]) -> dict[str, tuple[int, int]]:
        """Word -> (articles, claims), for the words of ``words`` some article has held."""
        ids, articles, claims = self.ids, self.articles, self.claims
        return {word: (articles[i], claims[i]) for word in words if (i := ids.get(word)) is not None}

    def indexed(self, held_by: Mapping[str, int], story: Mapping[str, int]) -> tuple[list[WordRow], bytes]:
        """What indexing an article does here: it becomes a holder of each of its words, held by
        ``held_by[word]`` of its claims. Returns the changed rows, for a backing that stores them,
        and the article's ``story`` words packed (``pack``).

        New words get the next ids in sorted order, not in the order of ``held_by``, which comes
        from sets of strings and so from the process's string hashing: two rebuilds of one corpus
        then store the same ids."""
        ids, articles, claims = self.ids, self.articles, self.claims
        for term in sorted(t for t in held_by if t not in ids and is_word(t)):
            ids[term] = len(articles)
            articles.append(0)
            claims.append(0)
        changed = []
        for term, held in held_by.items():
            if not is_word(term):
                continue
            word_id = ids[term]
            articles[word_id] += 1
            claims[word_id] += held
            changed.append((word_id, term, articles[word_id], claims[word_id]))
        return changed, self.pack(story)

    def retired(self, terms: Iterable[str]) -> list[WordRow]:
        """An article no longer holds these terms' words: one holder less each (the claim counts,
        of every claim ever indexed, stay). Returns the changed rows."""
        ids, articles, claims = self.ids, self.articles, self.claims
        changed = []
        for term in terms:
            word_id = ids.get(term)
            if word_id is not None:
                articles[word_id] -= 1
                changed.append((word_id, term, articles[word_id], claims[word_id]))
        return changed

    def pack(self, story: Mapping[str, int]) -> bytes:
        """An article's story words (word -> claims holding it, every word known here) as stored:
        the ids ascending, then the counts in the same order."""
        ids = self.ids
        pairs = sorted((ids[word], count) for word, count in story.items())
        return array(_IDS, [i for i, _ in pairs]).tobytes() + array(_COUNTS, [n for _, n in pairs]).tobytes()

    def pack_ids(self, words: Iterable[str]) -> bytes:
        """A claim's wording (every word known here) as stored: its word ids, ascending."""
        ids = self.ids
        return array(_IDS, sorted(ids[word] for word in words)).tobytes()


def unpack_ids(packed: bytes) -> frozenset[int]:
    """The word ids of a claim's wording (``Vocabulary.pack_ids``)."""
    return frozenset(array(_IDS, packed))
