"""The bulk copy path: n-gram candidates plus verification, checked against an all-pairs oracle."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from provdiff.claims.relation import judge_texts
from provdiff.cluster.shingles import Corpus, Document, ShingleOptions, gram_keys, word_hashes
from provdiff.model import COPIES, Claim, Relation
from provdiff.segment import sentences
from tests.test_align import SENTENCES, WORDS

TARIFF = (
    "Seoul and Washington agreed to cut tariffs on most South Korean goods, including cars, to 15 percent."
)
PLEDGE = "Lee pledged that Korean firms would invest $350 billion in American shipbuilding over a decade."


def _doc(number: int, *paragraphs: str, source: str | None = None) -> Document:
    return Document(
        f"s{number}/a{number}", 1, source or f"s{number}", f"2025-03-{number + 1:02d}", paragraphs
    )


def _pairs(corpus: Corpus) -> set[tuple[str, str, Relation]]:
    return {(link.a.claim_id, link.b.claim_id, link.relation) for link in corpus.links()}


def test_copies_are_found_and_classed() -> None:
    docs = [
        _doc(0, f"Markets rose on Monday. {TARIFF}", PLEDGE),
        _doc(1, f"{TARIFF} Analysts were surprised."),  # verbatim
        _doc(2, TARIFF.replace("15 percent", "20 percent")),  # figure changed
        _doc(3, PLEDGE.replace("would invest", "will invest")),  # edited copy
        _doc(4, "The weather in the capital stayed mild throughout the week of talks."),
    ]
    found = {(a.split("/")[0], b.split("/")[0], rel) for a, b, rel in _pairs(Corpus(docs))}
    assert ("s0", "s1", Relation.VERBATIM) in found
    assert ("s0", "s2", Relation.FIGURE_VARIANT) in found
    assert ("s1", "s2", Relation.FIGURE_VARIANT) in found
    assert ("s0", "s3", Relation.EDITED_COPY) in found
    assert not any("s4" in (a, b) for a, b, _ in found)
    claim_ids = {a for a, _, _ in _pairs(Corpus(docs))}
    assert "s0/a0@1#p1s2" in claim_ids  # the tariff sentence is the 2nd of paragraph 1


def test_gram_keys_are_stable_across_batches_and_runs() -> None:
    texts = [TARIFF, PLEDGE]
    first = gram_keys(texts, ShingleOptions())
    assert len(first) == len(TARIFF.split()) - 3 + len(PLEDGE.split()) - 3
    padded = gram_keys(["Unrelated words come first.", *texts], ShingleOptions())
    assert sorted(first.tolist()) == sorted(k - 1 for k in padded.tolist() if k & 0x3FFFFF)
    # a word hashes alike wherever it stands, and differs from its neighbours
    hashes, counts = word_hashes(["Seoul pledged", "pledged  SEOUL\tnow"])
    assert counts.tolist() == [2, 3]
    assert hashes[0] == hashes[3] and hashes[1] == hashes[2] and len(set(hashes.tolist())) == 3


@given(st.lists(st.text(st.sampled_from("ab é\n\t"), max_size=30), max_size=8))
def test_word_hashes_agree_with_splitting_each_word(paragraphs: list[str]) -> None:
    hashes, counts = word_hashes(paragraphs)
    split = [p.lower().encode().split() for p in paragraphs]
    assert counts.tolist() == [len(words) for words in split]
    alone = [word_hashes([w.decode()])[0][0] for words in split for w in words]
    assert hashes.tolist() == [int(h) for h in alone]
    flat = [w for words in split for w in words]
    for i, a in enumerate(flat):
        for j, b in enumerate(flat):
            assert (a == b) == (hashes[i] == hashes[j])


def test_workers_give_the_same_links() -> None:
    docs = [_doc(k, f"{SENTENCES[k % 10]} {TARIFF if k % 3 == 0 else PLEDGE}") for k in range(12)]
    assert _pairs(Corpus(docs, workers=2)) == _pairs(Corpus(docs, workers=1))


def test_match_finds_what_a_rebuild_would() -> None:
    docs = [_doc(k, SENTENCES[k], f"{SENTENCES[k + 1]} {TARIFF if k == 2 else PLEDGE}") for k in range(5)]
    new = _doc(9, f"In other news, {TARIFF[0].lower()}{TARIFF[1:]}", SENTENCES[3])
    corpus = Corpus(docs)
    matched = {(link.a.claim_id, link.b.claim_id) for link in corpus.match(new)}
    rebuilt = {(a, b) for a, b, _ in _pairs(Corpus([*docs, new])) if b.startswith("s9/")}
    assert matched == rebuilt
    assert ("s2/a2@1#p2s2", "s9/a9@1#p1s1") in matched


@st.composite
def corpora(draw: st.DrawFn) -> list[Document]:
    """Small corpora of pooled sentences, some copied with a word changed or a figure changed."""
    docs = []
    for number in range(draw(st.integers(2, 6))):
        texts = draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4))
        if draw(st.booleans()):
            at = draw(st.integers(0, len(texts) - 1))
            words = texts[at].split()
            words[draw(st.integers(0, len(words) - 1))] = draw(st.sampled_from(WORDS))
            texts[at] = " ".join(words)
        texts = [t.replace("25 percent", "30 percent") if draw(st.booleans()) else t for t in texts]
        docs.append(_doc(number, " ".join(texts), source=draw(st.sampled_from(["a", "b"]))))
    return docs


@given(docs=corpora())
def test_links_are_those_of_all_pairs_verification(docs: list[Document]) -> None:
    """Oracle: judge every sentence pair of different articles by the relation. The bulk path finds
    a subset of its copies (the same relation), and every verbatim pair of sentences long enough to
    share three 4-grams."""
    claims = [
        Claim(d.article_id, 1, p, s, text, d.source, d.when)
        for d in docs
        for p, paragraph in enumerate(d.paragraphs)
        for s, text in enumerate(sentences(paragraph))
    ]
    oracle = {}
    for x, y in itertools.combinations(claims, 2):
        if x.article_id != y.article_id and (judged := judge_texts(x.text, y.text)).relation in COPIES:
            oracle[x.claim_id, y.claim_id] = judged.relation
    found = {(a, b): rel for a, b, rel in _pairs(Corpus(docs))}
    assert found.items() <= oracle.items()
    for x, y in itertools.combinations(claims, 2):
        if x.article_id != y.article_id and x.text == y.text and len(x.text.split()) >= 6:
            assert found.get((x.claim_id, y.claim_id)) is Relation.VERBATIM
