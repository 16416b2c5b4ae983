"""The word counts matching weighs by: the vocabulary against a recount, in memory and in SQLite."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from provdiff.alignment.claims import term_set, wording
from provdiff.cluster.vocabulary import Vocabulary, is_word, unpack_ids
from provdiff.index import Index
from tests.test_align import SENTENCES
from tests.test_index import index_revision

TERMS = ["port", "strike", "to", "2025", "a", "#USD100", "port_strike"]  # the last two are no words
ARTICLE = st.dictionaries(st.sampled_from(TERMS), st.integers(1, 4), min_size=1)


@given(steps=st.lists(st.tuples(ARTICLE, st.booleans())))
def test_counts_are_a_recount_of_the_articles_held_and_survive_the_stored_rows(
    steps: list[tuple[dict[str, int], bool]],
) -> None:
    """Oracle: articles indexed (each term held by some of its claims) and, when the flag says so,
    retired again. A word's article count is how many articles hold it now, its claim count how
    many claims have ever held it; only words get ids, in order of first appearance (one
    article's new words sorted), and the changed rows a backing stores read back as the same
    vocabulary."""
    vocabulary = Vocabulary()
    stored: dict[int, tuple[str, int, int]] = {}
    holding: Counter[str] = Counter()
    ever: Counter[str] = Counter()
    order: list[str] = []
    for held_by, retire in steps:
        changed, _ = vocabulary.indexed(held_by, {})
        words = [term for term in held_by if is_word(term)]
        holding.update(words)
        ever.update({word: held_by[word] for word in words})
        order += sorted(word for word in words if word not in order)
        if retire:
            changed += vocabulary.retired(held_by)
            holding.subtract(words)
        for word_id, word, articles, claims in changed:
            stored[word_id] = (word, articles, claims)
    assert list(vocabulary.ids) == order
    assert vocabulary.counts(order) == {w: (holding[w], ever[w]) for w in order}
    again = Vocabulary([stored[i] for i in sorted(stored)])
    assert (again.ids, again.articles, again.claims) == (
        vocabulary.ids,
        vocabulary.articles,
        vocabulary.claims,
    )


@given(st.sets(st.sampled_from(TERMS[:5])))
def test_a_wording_packed_as_ids_unpacks_to_its_words_ids(words: set[str]) -> None:
    vocabulary = Vocabulary()
    vocabulary.indexed(dict.fromkeys(TERMS, 1), {})
    assert unpack_ids(vocabulary.pack_ids(words)) == {vocabulary.ids[word] for word in words}


def test_the_index_s_word_counts_are_a_recount_of_its_claims_through_revisions(tmp_path: Path) -> None:
    """After new articles and a revision, every word's counts are what the current claims (article
    count) and all claims ever indexed (claim count) give; word pairs and figures stay in
    ``terms``, words never; each stored claim holds its wording as word ids; and a fresh
    connection reads the vocabulary the writing one kept."""
    path = tmp_path / "index.sqlite"
    with Index(path) as index:
        index.reset()
        for number, source in enumerate(["wire", "daily", "blog"]):
            index_revision(index, source, 1, tuple(SENTENCES[number : number + 6]))
        index_revision(index, "daily", 2, tuple(SENTENCES[5:9]))
        kept = index.vocabulary()
        rows = index.db.execute("SELECT article_id, current, text, words FROM claims").fetchall()
        stored = {
            word: (articles, claims)
            for word, articles, claims in index.db.execute("SELECT word, articles, claims FROM words")
        }
        in_term_rows = [term for (term,) in index.db.execute("SELECT term FROM terms")]
    holding: dict[str, set[str]] = {}
    ever: Counter[str] = Counter()
    for article, current, text, packed in rows:
        said = {term for term in term_set(text) | wording(text) if is_word(term)}
        ever.update(said)
        if current:
            for word in said:
                holding.setdefault(word, set()).add(article)
        assert unpack_ids(packed) == {kept.ids[word] for word in wording(text)}
    assert stored == {word: (len(holding.get(word, ())), ever[word]) for word in ever}
    assert kept.counts(kept.ids) == stored
    assert in_term_rows and not any(is_word(term) for term in in_term_rows)
    with Index(path) as fresh:
        again = fresh.vocabulary()
        assert (again.ids, again.articles, again.claims) == (kept.ids, kept.articles, kept.claims)
