"""The diff engine: properties (reconstruction, symmetry, moves, an LCS oracle) and its cascade."""

from __future__ import annotations

import random
import re
from collections import Counter
from itertools import pairwise
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import provdiff
from provdiff.alignment import align, reconstruct, units
from provdiff.claims.features import _STOP, features, stem
from provdiff.model import AlignOptions, EditKind, LinkKind, Metadata
from provdiff.normalize import normalize
from provdiff.read import read_file
from provdiff.segment import figures, plain
from tests.conftest import SEED_000, SEED_002

SENTENCES = [
    "The council approved the budget on Monday.",
    "Officials said the harbour would reopen within a week.",
    "Repairs to the northern pier will cost $2.5 million.",
    "Fishing crews returned to sea at dawn.",
    "The mayor declined to comment on the delay.",
    "Ferries resumed their usual timetable by the afternoon.",
    "Tariffs on steel rose to 25 percent in March.",
    "The opposition called for an independent inquiry.",
    "Residents were told to boil their water until Friday.",
    "A spokesperson said the storm caused no injuries.",
]
WORDS = ["storm", "council", "quickly", "new", "north", "forty", "report", "city"]


def _lcs(a: list[str], b: list[str]) -> int:
    """Textbook dynamic programme: the oracle for the in-place backbone."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            table[i][j] = table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
    return table[0][0]


@st.composite
def document_pairs(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """A document and a revision of it: units dropped, added, moved, reworded, re-figured, split, merged."""
    a = draw(st.lists(st.sampled_from(SENTENCES), min_size=0, max_size=8))
    rng = random.Random(draw(st.integers(0, 10**6)))
    b = list(a)
    for _ in range(draw(st.integers(0, 6))):
        action = rng.choice(["drop", "add", "move", "word", "figure", "split", "merge"])
        if action == "add" or not b:
            b.insert(rng.randint(0, len(b)), rng.choice(SENTENCES) + " " + rng.choice(WORDS) + ".")
        elif action == "drop":
            b.pop(rng.randrange(len(b)))
        elif action == "move":
            b.insert(rng.randint(0, len(b) - 1), b.pop(rng.randrange(len(b))))
        elif action == "word":
            k = rng.randrange(len(b))
            words = b[k].split(" ")
            words[rng.randrange(len(words))] = rng.choice(WORDS)
            b[k] = " ".join(words)
        elif action == "figure":
            k = rng.randrange(len(b))
            b[k] = b[k].replace("25", "30").replace("2.5", "3.1")
        elif action == "split":
            k = rng.randrange(len(b))
            b[k : k + 1] = [b[k] + " " + rng.choice(WORDS).capitalize() + " said.", rng.choice(SENTENCES)]
        elif action == "merge" and len(b) > 1:
            k = rng.randrange(len(b) - 1)
            b[k : k + 2] = [b[k] + " " + b[k + 1]]
    return a, b


@given(document_pairs())
def test_applying_the_alignment_to_a_rebuilds_b_exactly(pair: tuple[list[str], list[str]]) -> None:
    a, b = pair
    alignment = align(a, b)
    assert reconstruct(a, alignment.links) == b
    assert sorted(i for link in alignment.links for i in link.a) == list(range(len(a)))
    assert sorted(j for link in alignment.links for j in link.b) == list(range(len(b)))


@given(document_pairs())
def test_opcodes_have_difflib_shape(pair: tuple[list[str], list[str]]) -> None:
    a, b = pair
    ops = align(a, b).opcodes
    i = j = 0
    for tag, i1, i2, j1, j2 in ops:
        assert tag in {"equal", "replace", "delete", "insert"}
        assert (i1, j1) == (i, j)
        assert (i2 > i1) or (j2 > j1)
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
        if tag == "delete":
            assert j1 == j2
        if tag == "insert":
            assert i1 == i2
        i, j = i2, j2
    assert (i, j) == (len(a), len(b))


@given(st.lists(st.sampled_from(SENTENCES), max_size=10))
def test_a_document_against_itself_is_all_unchanged(a: list[str]) -> None:
    alignment = align(a, a)
    assert alignment.same
    assert all(link.kind is LinkKind.UNCHANGED for link in alignment.links)
    assert alignment.opcodes == ((("equal", 0, len(a), 0, len(a)),) if a else ())


@given(document_pairs())
def test_swapping_sides_swaps_added_and_deleted(pair: tuple[list[str], list[str]]) -> None:
    """For documents without repeated units (normalization collapses repeats before any diff)."""
    a, b = (list(dict.fromkeys(side)) for side in pair)
    forward = Counter(link.kind for link in align(a, b).links)
    backward = Counter(link.kind for link in align(b, a).links)
    assert forward[LinkKind.ADDED] == backward[LinkKind.DELETED]
    assert forward[LinkKind.DELETED] == backward[LinkKind.ADDED]
    assert forward[LinkKind.SPLIT] == backward[LinkKind.MERGED]


@given(st.permutations(SENTENCES))
def test_a_shuffled_copy_is_all_moves_and_the_backbone_is_the_lcs(shuffled: list[str]) -> None:
    alignment = align(SENTENCES, shuffled)
    kinds = Counter(link.kind for link in alignment.links)
    assert set(kinds) <= {LinkKind.UNCHANGED, LinkKind.MOVED}
    assert kinds[LinkKind.UNCHANGED] == _lcs(SENTENCES, shuffled)
    assert kinds[LinkKind.MOVED] == len(SENTENCES) - _lcs(SENTENCES, shuffled)


@given(st.lists(st.sampled_from("abcd"), max_size=8), st.lists(st.sampled_from("abcd"), max_size=8))
def test_exact_matching_agrees_with_a_multiset_oracle(a: list[str], b: list[str]) -> None:
    """Single letters never match fuzzily, so every link is exact: as many as the multisets share."""
    alignment = align(a, b)
    matched = [link for link in alignment.links if link.a and link.b]
    assert len(matched) == sum((Counter(a) & Counter(b)).values())
    unchanged = sum(link.kind is LinkKind.UNCHANGED for link in matched)
    assert unchanged == _lcs(a, b)


def test_a_changed_figure_is_an_edit_of_the_same_claim() -> None:
    a = ["Seoul pledged $350B in investments.", "Tariffs fell to 15 percent."]
    b = ["Seoul pledged $400 billion in investments.", "Tariffs fell to 15%."]
    first, second = align(a, b).links
    assert (first.kind, first.edit) == (LinkKind.EDITED, EditKind.SUBSTANTIVE)
    assert first.edit_rule == "figures changed: $350B -> $400 billion"  # compared by value, shown as written
    assert (second.kind, second.edit) == (LinkKind.EDITED, EditKind.COSMETIC)
    assert second.reason == "exact after normalizing"


def test_paragraph_moved_from_end_to_top_is_a_move() -> None:
    a = SENTENCES[:6]
    b = [a[-1], *a[:-1]]
    kinds = [link.kind for link in align(a, b).links]
    assert kinds == [LinkKind.MOVED] + [LinkKind.UNCHANGED] * 5


def test_split_and_merge_are_recognized() -> None:
    whole = "The council approved the budget on Monday after a long debate. It takes effect in May."
    parts = ["The council approved the budget on Monday after a long debate.", "It takes effect in May."]
    (split,) = align([whole], parts).links
    assert (split.kind, split.a, split.b) == (LinkKind.SPLIT, (0,), (0, 1))
    (merged,) = align(parts, [whole]).links
    assert (merged.kind, merged.a, merged.b) == (LinkKind.MERGED, (0, 1), (0,))


def test_cosmetic_and_substantive_rules() -> None:
    a = ["He said it was “final”.", "The mayor will not resign.", "The goverment denied it."]
    b = ['He said it was "final".', "The mayor will resign.", "The government denied it."]
    rules = [(link.edit, link.edit_rule) for link in align(a, b).links]
    assert rules == [
        (EditKind.COSMETIC, "typography or spacing only"),
        (EditKind.SUBSTANTIVE, "negation changed"),
        (EditKind.COSMETIC, "spelling (1 word)"),
    ]


def test_package_level_api_is_align() -> None:
    result = provdiff.align(["One claim here."], ["One claim here."])
    assert result.same


def _seed_units(path: Path) -> list[str]:
    (doc,) = read_file(path, meta=Metadata(source="s"))
    return units(normalize(doc).paragraphs, "sentence")


def test_seeds_000_and_002_share_the_expected_claims() -> None:
    a, b = _seed_units(SEED_000), _seed_units(SEED_002)
    alignment = align(a, b, AlignOptions(granularity="sentence", related=True))
    shared = [(a[i], b[j]) for link in (*alignment.links, *alignment.related) for i in link.a for j in link.b]

    def linked(in_a: str, in_b: str) -> bool:
        return any(in_a in left and in_b in right for left, right in shared)

    assert linked("$350 billion in U.S. projects", "pledged $350 billion")
    assert linked(
        "$100 billion in American energy purchases", "$100 billion worth of US liquefied natural gas"
    )
    # sentences on one topic that state no common fact are not paired (issue: "olive branch to
    # Beijing" was once a shared claim with "a strategic step to strengthen trilateral ties")
    assert not linked("olive branch to Beijing", "trilateral ties")
    assert not linked("raise defense spending", "tariffs, defense spending")
    # and the rest stays unique to one side
    only_b = [b[link.b[0]] for link in alignment.links if not link.a]
    assert any("15 percent" in text for text in only_b)
    assert any("Tokyo" in text and "Ishiba" in text for text in only_b)
    assert len(shared) <= 5


_TEXT = st.text(st.sampled_from("aZéß²½١3 0.,-'’_s$€%ΣΩ"), max_size=60) | st.sampled_from(SENTENCES)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@given(_TEXT)
def test_terms_and_wording_are_what_their_own_patterns_find(text: str) -> None:
    """Oracle: a claim's wording is its words (letters joined by apostrophes or hyphens) outside
    its figures, stemmed; its word terms are those without stopwords and one-letter words, and its
    pair terms join them in order."""
    found = features(text)
    flat = re.sub(r"['’]s\b", "", plain(text))
    for figure in reversed(figures(flat)):
        flat = flat[: figure.start] + " " + flat[figure.end :]
    words = [stem(w) for w in _WORD.findall(flat)]
    content = [w for w in words if len(w) > 1 and w not in _STOP]
    assert found.wording == set(words)
    assert {t for t in found.terms if t[0] != "#" and "_" not in t} == set(content)
    assert {t for t in found.terms if "_" in t} == {f"{x}_{y}" for x, y in pairwise(content)}
