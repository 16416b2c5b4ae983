"""Sentence splitting, tokens and figures: the units every alignment rests on."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from provdiff.claims.batch import extract_claims
from provdiff.segment import (
    _NOT_CONTENT,
    figures,
    is_heading,
    match_key,
    sentence_spans,
    sentences,
    skeleton,
    states_something,
    tokens,
)
from provdiff.store import Corpus


def test_abbreviations_names_and_amounts_do_not_break_sentences() -> None:
    text = (
        "South Korean President Lee Jae-Myung met U.S. officials. Senate Foreign Relations Chair Jim "
        "Risch (R-ID) and Rep. Brian Mast (R-FL) spoke. The Rev. Al Green prayed. The deal is worth $350B. "
        "Was it? “Yes,” he said."
    )
    assert sentences(text) == [
        "South Korean President Lee Jae-Myung met U.S. officials.",
        "Senate Foreign Relations Chair Jim Risch (R-ID) and Rep. Brian Mast (R-FL) spoke.",
        "The Rev. Al Green prayed.",
        "The deal is worth $350B.",
        "Was it?",
        "“Yes,” he said.",
    ]


def test_decimals_and_initials() -> None:
    assert sentences("Growth was 3.5 percent. J. Smith agreed. It ended.") == [
        "Growth was 3.5 percent.",
        "J. Smith agreed.",
        "It ended.",
    ]


@given(st.lists(st.text(alphabet='ab .!?U.S"”A1', min_size=1, max_size=30), min_size=1, max_size=5))
def test_sentences_rejoin_to_the_paragraph(parts: list[str]) -> None:
    paragraph = " ".join(" ".join(parts).split())
    spans = sentence_spans(paragraph)
    rebuilt = ""
    for start, end in spans:
        rebuilt += paragraph[len(rebuilt) : start] + paragraph[start:end]
    assert rebuilt == paragraph
    assert all(paragraph[start:end].strip() == paragraph[start:end] for start, end in spans)


@given(st.text(max_size=200))
def test_tokens_are_lossless(text: str) -> None:
    assert "".join(tokens(text)) == text


def test_amount_and_percent_notations_are_one_figure() -> None:
    same = ["$350B", "$350 billion", "US$350bn", "350 billion dollars", "$350,000 million"]
    assert {f.token for text in same for f in figures(text)} == {"USD350000000000"}
    assert [f.token for f in figures("15 percent, 15%, 15 per cent")] == ["15%"] * 3
    assert match_key("Tariffs of 15 percent on $350B") == match_key("Tariffs of 15% on $350 billion")
    assert skeleton("Tariffs of 15 percent") == skeleton("tariffs of 20%")
    assert match_key("Tariffs of 15 percent") != match_key("Tariffs of 20%")


_PIECES = [
    *("word", "U.S.", "Sen.", "Mr.", "e.g.", "A.", "$350B", "15%", ".", "!", "?", "...", "?!", "Inc."),
    *('"', "'", "”", "’", ")", "]", "(", "[", "“", " ", "  ", "The", "Lee", "9", "x.Y", "R-ID", "a", "é"),
    *("했다.", "라고", "「", "」", "。", "と", "会談", "Mio.", "Das", "руб.", "Годом", "؟", "…", "EE.", "3."),
]


@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_a_sentence_split_again_is_itself(pieces: list[str]) -> None:
    """A sentence holds no end but its own: split alone, it is one sentence (``match`` splits a
    stored claim's text again)."""
    paragraph = " ".join("".join(pieces).split())
    for sentence in sentences(paragraph):
        assert sentences(sentence) == [sentence]


@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_sentences_of_any_script_rejoin_to_the_paragraph(pieces: list[str]) -> None:
    """Spans in order, no sentence starts or ends with a space, and only spaces between them
    (none at all between two Japanese sentences)."""
    paragraph = " ".join("".join(pieces).split())
    spans = sentence_spans(paragraph)
    bounds = [0, *(x for span in spans for x in span), len(paragraph)]
    assert all(a <= b for a, b in pairwise(bounds))
    gaps = [paragraph[end:start] for (_, end), (start, _) in pairwise(spans)]
    assert all(gap.strip() == "" for gap in gaps)
    assert all(paragraph[start:end].strip() == paragraph[start:end] != "" for start, end in spans)


@pytest.mark.parametrize(
    ("text", "states"),
    [
        ("Published: August 7, 2012", False),
        ("Updated 4 / 9 / 2007 6:04 PM ET", False),
        ("06/06/13 07:05 PM EDT", False),
        ("Shares fell 3%.", True),
        ("On Monday, May 5, the vote passed.", True),
    ],
)
def test_datelines_state_nothing(text: str, states: bool) -> None:
    assert states_something(text) is states


@given(
    st.lists(st.sampled_from(["May", "5", "Monday", "ET", "the", "vote", "pm", "EDT", ",", "passed", "x"]))
)
def test_a_sentence_states_something_when_two_of_its_words_are_no_date_or_time(words: list[str]) -> None:
    """Oracle: the definition, every word counted (the function stops at the second)."""
    text = " ".join(words)
    counted = [w for w in re.findall(r"[^\W\d_]{3,}", text) if w.lower() not in _NOT_CONTENT]
    assert states_something(text) is (len(counted) >= 2)


@pytest.mark.parametrize(
    ("paragraph", "heading"),
    [
        ("WHY IT MATTERS", True),
        ("Key Takeaways", True),
        ("What We Know So Far", True),
        ("한미 정상회담", True),
        ("日米首脳会談", True),
        ("Officials said the port reopened on Monday", False),  # a sentence that lost its full stop
        ("The port reopened.", False),
        (
            "THE PORT REOPENED ON MONDAY AFTER THREE WEEKS OF REPAIRS TO THE NORTHERN PIER, OFFICIALS SAID",
            False,
        ),
        ("Key points:", False),  # a colon opens what follows: part of the text
        ("이재명 대통령은 25일 워싱턴에서 트럼프 대통령과 정상회담을 했다", False),
        ("石破首相は7日、ワシントンでトランプ大統領と会談した", False),
    ],
)
def test_headings_are_structure(paragraph: str, heading: bool) -> None:
    assert is_heading(paragraph) is heading


def test_a_heading_of_the_seeds_is_no_claim(sample_corpus: Corpus) -> None:
    """Seed 004's "WHY IT MATTERS" stays in the article (a diff shows it) but is no claim."""
    loaded = (sample_corpus.load(article_id) for article_id in sample_corpus.article_ids())
    article = next(a for a in loaded if "WHY IT MATTERS" in a.paragraphs)
    claims = extract_claims(article, 1, "2025-02-17")
    assert "WHY IT MATTERS" not in {claim.text for claim in claims}
    heading = article.paragraphs.index("WHY IT MATTERS")
    assert {claim.paragraph for claim in claims} == set(range(len(article.paragraphs))) - {heading}
