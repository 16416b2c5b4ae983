"""The story check in numbers gives the cosine ``cluster.stories.profile`` defines, for any counts."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping

from hypothesis import given
from hypothesis import strategies as st

from provdiff.cluster.matcher import story_words
from provdiff.cluster.stories import profile
from provdiff.cluster.story_vectors import cosines
from provdiff.cluster.vocabulary import Vocabulary

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
    vocabulary = Vocabulary(
        [
            (word, max(held.get(word, 0), any(word in story for story in indexed)), 0)
            for word in sorted(set(held) | {w for story in indexed for w in story})
        ]
    )
    total = max([others, *vocabulary.articles], default=0) + 1
    holders = {word: vocabulary.articles[i] + (word in words) for word, i in vocabulary.ids.items()}
    holders.update(dict.fromkeys(words - holders.keys(), 1))
    ours = profile(story_words(Counter(new)), holders, total)
    packed = [vocabulary.pack(story) for story in indexed]
    found = cosines(vocabulary, ours, [i for w, i in vocabulary.ids.items() if w in words], packed, total)
    expected = [reference(ours, profile(story, holders, total)) for story in indexed]
    assert len(found) == len(expected)
    for got, want in zip(found, expected, strict=True):
        assert math.isclose(got, want, abs_tol=1e-12)
        assert -1e-12 <= got <= 1 + 1e-12


@given(story=st.dictionaries(st.sampled_from(WORDS), st.integers(1, 5), min_size=1), held=st.integers(2, 30))
def test_an_article_s_own_words_have_cosine_one_and_unshared_words_zero(
    story: dict[str, int], held: int
) -> None:
    vocabulary = Vocabulary([(word, held - 1, 0) for word in WORDS])  # the new article makes ``held``
    total = held + 5
    words = set(story)
    ours = profile(Counter(story), dict.fromkeys(WORDS, held), total)
    apart = {w: 1 for w in WORDS if w not in story}
    packed = [vocabulary.pack(story), vocabulary.pack(apart), b""]
    same, unshared, empty = cosines(
        vocabulary, ours, [i for w, i in vocabulary.ids.items() if w in words], packed, total
    )
    assert math.isclose(same, 1.0)
    assert unshared == 0.0
    assert empty == 0.0  # an article with no story word weighs nothing
