"""The normalize stage on the seeds (exact counts) and its invariants (property tests)."""

from __future__ import annotations

import itertools

from hypothesis import assume, given
from hypothesis import strategies as st

from provdiff.model import Action, Metadata
from provdiff.normalize import normalize
from provdiff.normalize.blocks import clean, html_blocks, text_blocks
from provdiff.normalize.boilerplate import remove_boilerplate
from provdiff.normalize.dedup import DedupOptions, _candidates, collapse_duplicates
from provdiff.normalize.identity import article_id, canonical_url, identity_key, slugify
from provdiff.normalize.mojibake import repair_mojibake
from provdiff.read import read_bytes, read_file
from tests.conftest import SEED_000, SEED_002, SEED_004
from tests.test_read import PAGE

THAI = range(0x0E00, 0x0E80)


def _text(paragraphs: tuple[str, ...]) -> str:
    return "\n".join(paragraphs)


def test_seed_000_mojibake_fully_repaired() -> None:
    (doc,) = read_file(SEED_000, meta=Metadata(source="blog"))
    article = normalize(doc)
    text = _text(article.paragraphs) + (article.meta.title or "")
    assert not any(ord(ch) in THAI for ch in text)
    # Counts over the whole repaired document (before dedup drops copies): the measured facts.
    repaired, events = repair_mojibake(tuple(text_blocks(SEED_000.read_text(encoding="utf-8"))))
    whole = _text(repaired)
    assert not any(ord(ch) in THAI for ch in whole)
    assert (whole.count("’"), whole.count("—"), whole.count("“"), whole.count("”")) == (19, 10, 2, 2)
    assert len(events) == 33
    lost_byte = [e for e in events if "lost" in e.detail]
    assert [(e.before, e.after) for e in lost_byte] == [("โ€", "”"), ("โ€", "”")]


def test_text_that_is_not_mojibake_is_left_byte_identical() -> None:
    (doc,) = read_file(SEED_002, meta=Metadata(source="s"))
    article = normalize(doc)
    assert _text(article.paragraphs) == SEED_002.read_text(encoding="utf-8").strip()
    assert not [e for e in article.repairs if e.kind == "mojibake"]


@given(st.lists(st.text(min_size=1, max_size=80), min_size=1, max_size=6))
def test_mojibake_repair_never_touches_clean_utf8(paragraphs: list[str]) -> None:
    """Text that was never mis-decoded (here: any text mojibake could not produce) is unchanged."""
    candidate = tuple(paragraphs)
    repaired, events = repair_mojibake(candidate)
    if not events:
        assert repaired == candidate
    # Re-running the repair on its own output changes nothing more (idempotence).
    assert repair_mojibake(repaired)[0] == repaired


@given(st.text(alphabet=st.characters(min_codepoint=0x80, max_codepoint=0x2FFF), min_size=1, max_size=30))
def test_mojibake_round_trip(original: str) -> None:
    """UTF-8 read as windows-1252 (the common case) comes back exactly when it is unambiguous: the
    original is not itself mojibake (``Â\xa0`` is UTF-8's no-break space read as windows-1252 in
    all but name, and is repaired as such, layer after layer)."""
    try:
        broken = original.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        return
    repaired, _ = repair_mojibake((broken,))
    if repair_mojibake((original,))[1]:
        assert repaired == repair_mojibake((original,))[0]
    else:
        assert repaired == (original,)


def test_seed_000_in_document_duplicates_18_to_12() -> None:
    blocks = text_blocks(SEED_000.read_text(encoding="utf-8"))
    assert len(blocks) == 18
    repaired, _ = repair_mojibake(tuple(blocks))
    kept, events = collapse_duplicates(list(enumerate(repaired)))
    assert len(kept) == 12
    assert [e.kind for e in events].count("duplicate") == 4
    assert [e.kind for e in events].count("near-duplicate") == 2


def test_seed_000_boilerplate_and_every_removal_recorded() -> None:
    (doc,) = read_file(SEED_000, meta=Metadata(source="blog"))
    article = normalize(doc)
    removed = {(e.detail, e.before) for e in article.repairs if e.kind == "boilerplate"}
    assert removed == {
        ("ad marker", "Advertisment"),
        ("byline", "Roushan Kumar"),
        ("comment form", "Leave a Reply"),
        ("comment form", "Your email address will not be published. Required fields are marked *"),
    }
    assert len(article.paragraphs) == 7
    assert "Advertisment" not in article.paragraphs
    # Nothing silently lost: every block of the source is kept, or is the text of a removal event
    # or of a repair (the stuffed copy a clean paragraph was rebuilt from).
    repaired, _ = repair_mojibake(tuple(text_blocks(doc.body)))
    accounted = set(article.paragraphs) | {
        e.before for e in article.repairs if e.action is not Action.FLAGGED
    }
    assert set(repaired) <= accounted


def test_near_duplicate_keeps_the_unstuffed_wording() -> None:
    (doc,) = read_file(SEED_000, meta=Metadata(source="blog"))
    article = normalize(doc)
    finally_paragraph = [p for p in article.paragraphs if p.startswith("Finally")]
    assert finally_paragraph == [p for p in finally_paragraph if "Strategic Pivot" not in p]
    assert len(finally_paragraph) == 1


def test_seed_004_metadata_inconsistency_is_flagged() -> None:
    (doc,) = read_file(SEED_004, meta=Metadata(source="koreapro"))
    article = normalize(doc)
    assert len(article.paragraphs) == 5
    flagged = [e.detail for e in article.repairs if e.kind == "metadata"]
    assert flagged == [
        "modified date 2025-02-16T13:00:32Z is earlier than published date 2025-02-16T23:00:33Z"
    ]


def test_html_page_keeps_main_content_only() -> None:
    (doc,) = read_bytes(PAGE.encode(), "page.html", meta=Metadata(source="tide"))
    article = normalize(doc)
    joined = _text(article.paragraphs)
    assert article.paragraphs[0].startswith("The harbour reopened on Saturday")
    assert "2.5 million euros" in joined
    for chrome in ("Home", "window.track", "color: red", "Leave a Reply", "Post Comment", "Copyright"):
        assert chrome not in joined


def test_html_page_without_main_content_falls_back_to_the_walker() -> None:
    page = "<html><body><nav>Menu</nav><div><p>Short note.</p></div><footer>f</footer></body></html>"
    (doc,) = read_bytes(page.encode(), "p.html", meta=Metadata(source="s"))
    article = normalize(doc)
    assert "Short note." in article.paragraphs
    assert "Menu" not in article.paragraphs


def test_html_fragment_blocks_survive_stray_end_tags() -> None:
    assert html_blocks("a<br>b</p>c<ul><li>d</li></ul><!-- x --><style>s</style>e") == [
        "a",
        "b",
        "c",
        "d",
        "e",
    ]


def test_boilerplate_rules_match_whole_paragraphs_only() -> None:
    blocks = [(0, "The advertisement market grew 4% last year."), (1, "ADVERTISEMENT"), (2, "WHY IT MATTERS")]
    kept, events = remove_boilerplate(blocks, set())
    assert [text for _, text in kept] == ["The advertisement market grew 4% last year.", "WHY IT MATTERS"]
    assert [e.before for e in events] == ["ADVERTISEMENT"]


@given(st.lists(st.text(alphabet="abc .\n", min_size=1, max_size=40), max_size=12))
def test_text_blocks_are_clean_and_normalization_is_idempotent(parts: list[str]) -> None:
    body = "\n\n".join(parts)
    blocks = text_blocks(body)
    assert all(block == clean(block) and block for block in blocks)
    assert text_blocks("\n\n".join(blocks)) == blocks


def test_normalizing_stored_text_again_changes_nothing() -> None:
    for seed in (SEED_000, SEED_002, SEED_004):
        (doc,) = read_file(seed, meta=Metadata(source="s"))
        first = normalize(doc)
        derived = any(e.kind == "title" and e.action is Action.FLAGGED for e in first.repairs)
        headline = "" if derived else f"{first.meta.title}\n\n"
        again_raw = (headline + "\n\n".join(first.paragraphs)).encode()
        (again_doc,) = read_bytes(again_raw, "again.txt", meta=Metadata(source="s"))
        assert normalize(again_doc).paragraphs == first.paragraphs


def test_identity_is_stable_and_ids_are_safe_paths() -> None:
    by_url = Metadata(url="https://Example.com/a/?utm_source=x#frag")
    assert identity_key(by_url, "s", "file") == identity_key(Metadata(url="https://example.com/a"), "s", None)
    assert article_id(Metadata(native_id="9"), "s", "v1") == article_id(Metadata(native_id="9"), "s", "v2")
    assert canonical_url("http://x.example:80/p") == "http://x.example/p"
    assert identity_key(Metadata(native_id="7", url="https://x"), "s", None)[0] == "id:s:7"
    hostile = article_id(Metadata(title="../../etc/passwd\n--force"), "-rf /", "../x")
    source, rest = hostile.split("/")
    assert source == "rf" and ".." not in rest and not rest.startswith("-")
    assert slugify("—") == "x"


def test_seed_000_keeps_the_copy_that_reads_as_a_sentence() -> None:
    """Of "South Korea Strategic Pivot the center is Lee's…" and "At the center is Lee's… partner.
    South Korea Strategic Pivot", the kept paragraph is the sentence without the keyphrase, and the
    repair says so with both copies."""
    (doc,) = read_file(SEED_000, meta=Metadata(source="blog"))
    article = normalize(doc)
    (kept,) = [p for p in article.paragraphs if "balancing act" in p]
    assert kept.startswith("At the center is Lee") and "Strategic Pivot" not in kept
    assert kept.endswith("alienate its largest trading partner.")
    (stuffed,) = [e for e in article.repairs if e.kind == "stuffed keyphrase"]
    assert "'South Korea Strategic Pivot'" in stuffed.detail and stuffed.after == kept
    (near,) = [e for e in article.repairs if e.kind == "near-duplicate" and e.after == kept]
    assert (
        near.before.startswith("South Korea Strategic Pivot the center")
        and "starts as a sentence" in near.detail
    )


HARBOR = (
    "The harbour authority said dredging of the northern channel would start in March and cost "
    "$12 million, paid from the port's reserve fund."
)


def test_a_moved_clause_is_an_edit_not_stuffing() -> None:
    """A distractor of the same shape: "In March" moved from the start of one copy to the middle
    of the other is part of what the sentence says (lower case where it was moved), so nothing is
    cut from either copy."""
    moved = "In March the harbour authority said dredging of the northern channel would start and " + (
        "cost $12 million, paid from the port's reserve fund."
    )
    kept, events = collapse_duplicates([(0, moved), (1, HARBOR)])
    assert kept in ([(0, moved)], [(0, HARBOR)])
    assert "stuffed keyphrase" not in [e.kind for e in events]
    assert "March" in kept[0][1]


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=8)


@given(
    st.lists(_WORD, min_size=30, max_size=50, unique=True),  # a paragraph, near copies at 4 words more
    st.lists(_WORD.map(str.capitalize), min_size=2, max_size=4, unique=True),
    st.data(),
)
def test_a_keyphrase_stuffed_into_both_copies_is_cut_and_the_sentence_rebuilt(
    body: list[str], phrase: list[str], data: st.DataObject
) -> None:
    """Oracle: a sentence and a capitalised keyphrase pushed into two copies of it at different
    places (over its first word in one, as SEO tools do, in the second half of the other) collapse
    to the sentence itself."""
    assume(not {word.lower() for word in phrase} & set(body))
    sentence = " ".join([body[0].capitalize(), *body[1:]]) + "."
    words = sentence.split()
    # far from the first place: two words apart, "the keyphrase moved" and "two words moved" read alike
    at = data.draw(st.integers(min_value=len(words) // 2 + len(phrase), max_value=len(words)), label="place")
    first = " ".join([*phrase, *words[1:]])  # the keyphrase over the sentence's first word
    later = " ".join([*words[:at], *phrase, *words[at:]])
    kept, events = collapse_duplicates([(0, first), (1, later)])
    assert kept == [(0, sentence)]
    assert [e.kind for e in events] == ["near-duplicate", "stuffed keyphrase"]
    assert {events[0].before, events[1].before} == {first, later}


def _all_pairs(words: list[list[str]], near: float, min_words: int) -> list[tuple[int, int]]:
    """The definition, every pair compared: the oracle of the prefix-filtered join."""
    grams = [set(itertools.pairwise(w)) for w in words]
    found = []
    for i, j in itertools.combinations(range(len(words)), 2):
        if min(len(words[i]), len(words[j])) < min_words:
            continue
        small, large = sorted((len(words[i]), len(words[j])))
        if small < near * large:
            continue
        if len(grams[i] & grams[j]) >= (2 * near - 1) * max(len(grams[i]), len(grams[j])):
            found.append((i, j))
    return found


@given(
    st.lists(st.lists(st.sampled_from("abcdefgh"), min_size=6, max_size=30), min_size=2, max_size=25),
    st.data(),
)
def test_near_copy_candidates_are_exactly_the_pairs_that_pass_the_filters(
    words: list[list[str]], data: st.DataObject
) -> None:
    """Oracle: the indexed join finds every pair the all-pairs comparison does, and no other,
    on blocks from a tiny vocabulary (where word pairs are shared most) with planted near copies."""
    for _ in range(data.draw(st.integers(0, 5), label="copies")):
        source = list(data.draw(st.sampled_from(words), label="copied"))
        if source:
            source[data.draw(st.integers(0, len(source) - 1), label="at")] = "z"
        words.append(source)
    options = DedupOptions()
    assert _candidates(words, options) == _all_pairs(words, options.near_duplicate, options.min_words)
