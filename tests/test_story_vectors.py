"""The story check in numbers gives the cosine ``cluster.stories.profile`` defines, for any counts."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from provdiff.cluster.matcher import story_words
from provdiff.cluster.stories import profile
from provdiff.cluster.story_vectors import Vocabulary, cosines, is_story_word
from provdiff.index import Index
from tests.test_align import SENTENCES
from tests.test_index import index_revision

WORDS = "port strike union ship vote quake lima rubble".split()
TERMS = [*WORDS, "#USD100", "port_strike", "to", "2025"]  # the last four are never story words
COUNTS = st.dictionaries(st.sampled_from(TERMS), st.integers(1, 5))


def reference(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """The cosine of two ``profile`` vectors as dictionaries: the definition the arrays must meet."""
    return sum(w * b.get(word, 0.0) for word, w in a.items())


@given(
    new=COUNTS,
    witnesses=st.lists(COUNTS, max_size=5),
    extra=st.sets(st.sampled_from(TERMS)),
    held=st.dictionaries(st.sampled_from(WORDS), st.integers(0, 40)),
    others=st.integers(0, 40),
)
def test_the_cosines_are_the_dictionary_cosines_of_the_matcher_s_profiles(
    new: dict[str, int],
    witnesses: list[dict[str, int]],
    extra: set[str],
    held: dict[str, int],
    others: int,
) -> None:
    """The new article is not indexed: a word it holds (among its terms, or only in its wording:
    ``extra``) has one holder more than the index counts. Witnesses are indexed: each holds its
    own words, so the index counts at least one holder of each."""
    words = set(new) | extra
    indexed = [story_words(Counter(w)) for w in witnesses]
    vocabulary = Vocabulary()
    for word in sorted(set(held) | {w for story in indexed for w in story}):
        vocabulary.counted([word], max(held.get(word, 0), any(word in story for story in indexed)))
    total = max([others, *vocabulary.articles], default=0) + 1
    holders = {word: vocabulary.articles[i] + (word in words) for word, i in vocabulary.ids.items()}
    holders.update(dict.fromkeys(words - holders.keys(), 1))
    ours = profile(story_words(Counter(new)), holders, total)
    packed = [vocabulary.pack(story) for story in indexed]
    found = cosines(vocabulary, ours, words, packed, total)
    expected = [reference(ours, profile(story, holders, total)) for story in indexed]
    assert len(found) == len(expected)
    for got, want in zip(found, expected, strict=True):
        assert math.isclose(got, want, abs_tol=1e-12)
        assert -1e-12 <= got <= 1 + 1e-12


@given(story=st.dictionaries(st.sampled_from(WORDS), st.integers(1, 5), min_size=1), held=st.integers(2, 30))
def test_an_article_s_own_words_have_cosine_one_and_unshared_words_zero(
    story: dict[str, int], held: int
) -> None:
    vocabulary = Vocabulary()
    vocabulary.counted(WORDS, held - 1)  # the new article makes ``held``
    total = held + 5
    words = set(story)
    ours = profile(Counter(story), dict.fromkeys(WORDS, held), total)
    apart = {w: 1 for w in WORDS if w not in story}
    packed = [vocabulary.pack(story), vocabulary.pack(apart), b""]
    same, unshared, empty = cosines(vocabulary, ours, words, packed, total)
    assert math.isclose(same, 1.0)
    assert unshared == 0.0
    assert empty == 0.0  # an article with no story word weighs nothing


@given(steps=st.lists(st.tuples(st.sets(st.sampled_from(TERMS)), st.sampled_from([1, -1]))))
def test_the_vocabulary_rebuilt_from_its_stored_rows_is_the_same(steps: list[tuple[set[str], int]]) -> None:
    """What a backing stores of ``counted``'s rows reads back as the same ids and counts, and
    only story words get an id."""
    vocabulary = Vocabulary()
    stored: dict[int, tuple[str, int]] = {}
    for terms, delta in steps:
        for word_id, word, count in vocabulary.counted(sorted(terms), delta):
            stored[word_id] = (word, count)
    again = Vocabulary([stored[i] for i in sorted(stored)])
    assert again.ids == vocabulary.ids
    assert again.articles == vocabulary.articles
    assert all(is_story_word(word) for word in vocabulary.ids)
    assert list(vocabulary.ids.values()) == list(range(len(vocabulary.ids)))


def test_the_index_s_story_word_counts_are_its_term_counts_through_revisions(tmp_path: Path) -> None:
    """The story check weighs witnesses by ``story_words``; matching weighs rarity by
    ``term_articles``. Both count the same articles for every word, after revisions too, and a
    fresh connection reads the same vocabulary the writing one kept."""
    path = tmp_path / "index.sqlite"
    with Index(path) as index:
        index.reset()
        for number, source in enumerate(["wire", "daily", "blog"]):
            index_revision(index, source, 1, tuple(SENTENCES[number : number + 6]))
        index_revision(index, "daily", 2, tuple(SENTENCES[5:9]))
        kept = index.vocabulary()
        stored = dict(index.db.execute("SELECT word, articles FROM story_words").fetchall())
        counted = dict(
            index.db.execute(
                "SELECT t.term, t.articles FROM term_articles t JOIN story_words s ON s.word = t.term"
            ).fetchall()
        )
        rows = index.db.execute("SELECT article_id, story FROM profiles").fetchall()
    assert stored and stored == counted
    assert {word: kept.articles[i] for word, i in kept.ids.items()} == stored
    with Index(path) as fresh:
        assert fresh.vocabulary().ids == kept.ids
        assert fresh.stories([article for article, _ in rows]) == [bytes(story) for _, story in rows]
    assert all(len(story) % 6 == 0 and story for _, story in rows)
