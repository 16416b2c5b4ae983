"""The claim relation (``provdiff.claims.relation``): one fixture per case the issue names, and the
properties a pair judgement must have whatever the text."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from provdiff.claims import meaning
from provdiff.claims.batch import relate
from provdiff.claims.evidence import wording_overlap
from provdiff.claims.features import entities, features
from provdiff.claims.lexicon import place, word_weight
from provdiff.claims.options import EVIDENCE, RelationOptions
from provdiff.claims.relation import judge_texts
from provdiff.errors import ProvdiffError
from provdiff.model import SAME, Claim, Relation
from tests.test_align import SENTENCES, WORDS

WIRE = "The port of Geoje will hire 1,200 welders before winter, harbour officials said on Monday."
RESTATED = "Harbour officials said on Monday that the port of Geoje will hire 1,200 welders before winter."
DOCK = "Hanwha Ocean will pay $40 million for the new dry dock."
MORE = (
    "Hanwha Ocean, which won three contracts this year, will pay $40 million for a dry dock, "
    "while unions warn that wages in the region remain the lowest in the country."
)
TARIFF_KR = "South Korea agreed to a 15 percent tariff on its exports, including cars."
TARIFF_JP = "Japan agreed to a 15 percent tariff on its exports, including cars."
PLEDGE_A = "Seoul pledged $350B in investments in the US."
PLEDGE_B = "South Korea will invest $350 billion in American shipbuilding and other industries."
INVEST = "South Korea will invest $350 billion in the US."
GAS = "South Korea will buy $100 billion of US liquefied natural gas."
BOTH = "South Korea will invest $350 billion in the US and buy $100 billion of US liquefied natural gas."
RESERVOIR_A = "Reservoirs in the region fell to 18 percent of capacity, the lowest since 1995."
RESERVOIR_B = "Reservoirs in the region dropped to 21 percent of capacity, the lowest level since 1995."
PM_A = "Prime Minister Ishiba said tariffs on cars would fall next year."
PM_B = "Prime Minister Starmer said tariffs on cars would fall next year."

CASES = [
    # (a, b, relation, why the case is here)
    (WIRE, WIRE.replace("1,200", "1200"), Relation.VERBATIM, "figure notation only"),
    (
        WIRE,
        WIRE.replace("harbour officials", "port officials"),
        Relation.EDITED_COPY,
        "a copy, one word edited",
    ),
    (WIRE, WIRE.replace("1,200", "1,500"), Relation.FIGURE_VARIANT, "a copy that changed a figure"),
    (WIRE, RESTATED, Relation.REWORDED, "a paraphrase"),
    (DOCK, MORE, Relation.OVERLAPS, "one says more, a shared amount"),
    (PLEDGE_A, PLEDGE_B, Relation.OVERLAPS, "two outlets' $350 billion, Seoul = South Korea"),
    (RESERVOIR_A, RESERVOIR_B, Relation.REWORDED, "the same claim with a conflicting figure"),
    (TARIFF_KR, TARIFF_JP, Relation.DIFFERENT, "other country, same words and figure"),
    (PM_A, PM_B, Relation.DIFFERENT, "another prime minister's remarks"),
    (INVEST, GAS, Relation.DIFFERENT, "two facts with their own amounts"),
    (SENTENCES[0], SENTENCES[3], Relation.DIFFERENT, "nothing in common"),
    (
        "Updated: July 7, 2012, 10:04 PM ET",
        "Updated: July 9, 2012, 11:30 AM ET",
        Relation.DIFFERENT,
        "datelines",
    ),
]


@pytest.mark.parametrize(("a", "b", "relation", "case"), CASES, ids=[c[3] for c in CASES])
def test_each_case_gets_its_relation_both_ways(a: str, b: str, relation: Relation, case: str) -> None:
    assert judge_texts(a, b).relation is relation, case
    assert judge_texts(b, a).relation is relation, case


def test_a_conflicting_figure_is_in_the_evidence_and_a_shared_one_does_not_hide_it() -> None:
    found = judge_texts(RESERVOIR_A, RESERVOIR_B)
    assert found.conflict == (("18%", "21%"),)
    assert found.conflict_text("a", "b") == "18% (a) vs 21% (b)"
    assert "18%" not in found.evidence.shared_figures


def test_evidence_says_why_a_pair_is_different() -> None:
    other = judge_texts(TARIFF_KR, TARIFF_JP).evidence
    assert other.other_subject == "South Korea vs Japan"
    assert other.reason.startswith("other subject")
    assert judge_texts(PM_A, PM_B).evidence.other_subject == "Ishiba vs Starmer"
    assert judge_texts(INVEST, GAS).evidence.differing_figures == (("USD350000000000", "USD100000000000"),)


def test_a_sentence_stating_two_facts_is_related_to_each() -> None:
    assert judge_texts(BOTH, INVEST).relation in SAME
    assert judge_texts(BOTH, GAS).relation in SAME


def test_names_places_and_subjects() -> None:
    found = {e.name: e for e in entities("Officials said South Korea's President Lee met Trump in Tokyo.")}
    assert list(found) == ["South Korea", "Lee", "Trump", "Tokyo"]
    assert (found["South Korea"].place, found["Tokyo"].place, found["Lee"].place) == ("KR", "JP", None)
    assert [e.name for e in entities("Prime Minister Ishiba told reporters.") if e.subject] == ["Ishiba"]
    assert place("U.S.") == place("Washington") == place("United States") == "US"
    assert [e.name for e in entities("Teenagers at high schools met on Wednesday.")] == []


TEXT = st.lists(st.sampled_from([*WORDS, "Seoul", "Tokyo", "$40 million", "15 percent", "said"]), max_size=12)


@given(TEXT, TEXT)
def test_the_relation_is_symmetric_and_its_scores_bounded(left: list[str], right: list[str]) -> None:
    a, b = " ".join(left).capitalize() + ".", " ".join(right).capitalize() + "."
    one, other = judge_texts(a, b), judge_texts(b, a)
    assert one.relation is other.relation
    assert one.score == pytest.approx(other.score, abs=1e-3)
    for found in (one.evidence, other.evidence):
        for score in (
            found.wording,
            found.copy,
            found.skeleton,
            found.word_set,
            found.lengths,
            found.restates,
        ):
            assert 0.0 <= score <= 1.0
    assert judge_texts(a, a).relation in (Relation.VERBATIM, Relation.DIFFERENT)  # different: says nothing


@given(
    st.frozensets(st.sampled_from(WORDS), min_size=1),
    st.frozensets(st.sampled_from(WORDS), min_size=1),
    st.sampled_from(["shipyard", "unions", "wages"]),
)
def test_wording_overlap_is_symmetric_bounded_and_falls_with_unshared_words(
    left: frozenset[str], right: frozenset[str], extra: str
) -> None:
    score = wording_overlap(left, right)
    assert score == pytest.approx(wording_overlap(right, left))
    assert 0.0 <= score <= 1.0 + 1e-9
    assert wording_overlap(left, left) == pytest.approx(1.0)
    assert wording_overlap(left | {extra}, right) <= score + 1e-9


def test_word_weights_come_from_general_language_not_the_corpus() -> None:
    assert (
        0.0
        <= word_weight("the")
        < word_weight("minister")
        < word_weight("tariff")
        < word_weight("qzxv")
        == 1.0
    )
    assert word_weight("2025") == word_weight("15")


def test_features_depend_on_the_text_alone() -> None:
    assert features(WIRE) == features(str(WIRE))
    assert features(WIRE).key == features(WIRE.replace("1,200", "1200")).key
    assert features(INVEST).measures == (("USD", frozenset({"USD350000000000"})),)


BERLIN = (
    "Berlin plans to put 90 billion euros into new railway lines in the coming ten years, the ministry said."
)
GERMANY = "Germany will spend 90 billion euros on new rail lines over the next decade, the ministry said."
LEXICAL = RelationOptions(semantic=False)


def test_what_sentences_mean_decides_where_their_words_cannot() -> None:
    """A restatement in other words: the lexical evidence alone calls it an overlap; the semantic
    model, consulted because the lexical one is unsure, calls it a restatement and says why."""
    assert judge_texts(BERLIN, GERMANY, LEXICAL).relation is Relation.OVERLAPS
    assert judge_texts(BERLIN, GERMANY, LEXICAL).evidence.meaning is None
    found = judge_texts(BERLIN, GERMANY)
    assert found.relation is Relation.REWORDED
    assert found.evidence.meaning is not None and found.evidence.meaning > 0.8
    # the same words about another country stay another claim, whatever they mean
    assert judge_texts(TARIFF_KR, TARIFF_JP).relation is Relation.DIFFERENT
    assert judge_texts(PM_A, PM_B).relation is Relation.DIFFERENT


def test_pairs_the_lexical_model_is_sure_of_never_run_the_encoder() -> None:
    before = meaning.encoded()
    assert judge_texts("The mayor declined to comment.", "Shares of exporters rose sharply.").relation is (
        Relation.DIFFERENT
    )
    assert judge_texts(INVEST, INVEST.replace("pledged", "promised")).relation in SAME
    assert meaning.encoded() == before


def test_a_vector_is_a_function_of_its_text_and_survives_the_index() -> None:
    """Encoded alone and rounded to what the index stores: read back, the same numbers."""
    text = "Dockworkers ended their strike after eleven days."
    first = meaning.vector(text)
    data = meaning.stored(text)
    assert len(data) == 2 * meaning.DIMENSIONS
    again = np.frombuffer(data, dtype=np.float16).astype(np.float32)
    assert (again == first).all()
    assert abs(float(first @ first) - 1.0) < 1e-2


def test_another_encoder_release_is_refused_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(meaning, "WEIGHTS_SHA256", "0" * 64)
    meaning._encoder.cache_clear()
    try:
        with pytest.raises(ProvdiffError, match="not the sentence encoder provdiff was fitted with"):
            meaning._encoder()
    finally:
        meaning._encoder.cache_clear()


def test_lexical_is_read_when_a_claim_is_judged_not_when_provdiff_is_imported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``--lexical`` sets PROVDIFF_EVIDENCE after the CLI has imported the relation: a default
    options object built at import would keep the semantic evidence (``diff``, ``match``)."""
    a = "South Korea pledged to invest $350 billion in the United States."
    b = "Seoul committed $350 billion in US-based investments, officials said."
    monkeypatch.setenv(EVIDENCE, "semantic")
    assert judge_texts(a, b).evidence.meaning is not None  # a pair the words alone leave open
    monkeypatch.setenv(EVIDENCE, "lexical")
    assert judge_texts(a, b).evidence.meaning is None
    claims = [Claim(x, 1, 0, 0, text, x, "") for x, text in (("x", a), ("y", b))]
    assert relate(claims).options.semantic is False
