"""In-document duplicate paragraphs: exact copies and near copies (SEO stuffing, template repeats).

Blogs that republish or "optimize" an article often carry it twice, the second time with a keyword
phrase pushed into some paragraphs. Counting both copies would double every claim, so later copies
are collapsed into the first position. Every dropped text stays in a repair event.

Near copies are compared word by word with difflib (``autojunk=False``: on short sequences the
autojunk heuristic would discard common words and inflate the score), after two cheap filters (length
ratio, shared word pairs) that rule out almost every pair before the quadratic step.

Of two near copies the one that reads as a sentence is kept: a keyphrase stuffed into both copies at
different places (the same run of words outside their common subsequence on both sides, as in
"South Korea Strategic Pivot the center is…" and "At the center is… partner. South Korea Strategic
Pivot") is cut out of both first, then a copy that starts as a sentence starts (a capital, a digit,
a quote, a caseless script) wins over one that starts mid-sentence, then the one with fewer words
outside the common subsequence: stuffing adds words. A rebuilt text is recorded as a repair event
with both copies, so the choice can be checked and undone.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from provdiff.model import Action, RepairEvent

Block = tuple[int, str]  # (index in the document's original block list, text)


@dataclass(frozen=True, slots=True)
class DedupOptions:
    """Thresholds of near-duplicate detection (similarity is 0..1, word level)."""

    near_duplicate: float = 0.85
    min_words: int = 8  # shorter paragraphs collapse only when exactly equal


def collapse_duplicates(
    blocks: list[Block], options: DedupOptions = DedupOptions()
) -> tuple[list[Block], list[RepairEvent]]:
    """Drop exact and near copies of earlier blocks; return the survivors and one event per drop.

    >>> kept, events = collapse_duplicates([(0, "A b."), (1, "Other."), (2, "a  B.")])
    >>> kept, [e.kind for e in events]
    ([(0, 'A b.'), (1, 'Other.')], ['duplicate'])
    """
    events: list[RepairEvent] = []
    seen: dict[str, int] = {}
    kept: list[Block] = []
    words: list[list[str]] = []
    for index, text in blocks:
        folded = text.casefold().split()
        key = " ".join(folded)
        if key in seen:
            events.append(
                RepairEvent(
                    "duplicate",
                    Action.REMOVED,
                    f"exact copy of block {seen[key]}",
                    before=text,
                    position=index,
                )
            )
            continue
        seen[key] = index
        kept.append((index, text))
        words.append(folded)
    return _collapse_near(kept, words, options, events), events


def _candidates(words: list[list[str]], options: DedupOptions) -> list[tuple[int, int]]:
    """Pairs (earlier, later) that pass the cheap filters, in document order: lengths within the
    similarity ratio, and nearly all adjacent word pairs ("grams") shared, which text on the same
    topic rarely does.

    Comparing every block with every other was quadratic (10,000 paragraphs: minutes, under the
    write lock). A prefix filter, as set-similarity joins do, finds the same pairs: with the grams of
    every block in one order (rarest first), two blocks that share at least ``need`` of a block's
    ``n`` grams share one among the first ``n - need + 1`` of each, so only those are indexed and
    only blocks meeting there are compared (each pair then checked exactly, as before).
    """
    ratio = options.near_duplicate
    share = 2 * ratio - 1  # of the larger block's grams, that two near copies have in common
    eligible = [k for k, w in enumerate(words) if len(w) >= options.min_words]
    grams = {k: set(itertools.pairwise(words[k])) for k in eligible}
    frequency = Counter(gram for k in eligible for gram in grams[k])
    postings: dict[tuple[str, str], list[tuple[int, int]]] = {}  # gram -> (block, its length)
    met: set[tuple[int, int]] = set()
    for k in eligible:
        size = len(words[k])
        ordered = sorted(grams[k], key=lambda gram: (frequency[gram], gram))
        for gram in ordered[: len(ordered) - math.ceil(share * len(ordered)) + 1]:
            posted = postings.setdefault(gram, [])
            met.update((i, k) for i, other in posted if ratio * max(size, other) <= min(size, other))
            posted.append((k, size))
    return [
        (i, j)
        for i, j in sorted(met)
        if len(grams[i] & grams[j]) >= share * max(len(grams[i]), len(grams[j]))
    ]


def _floating(
    a: list[str], b: list[str], matcher: SequenceMatcher[str], a_text: str, b_text: str
) -> tuple[set[int], set[int], str]:
    """Word positions, in each copy, of a keyphrase stuffed into both at different places, and the
    phrase as written: the longest run of two capitalised words or more that both copies hold
    outside their common subsequence, capitalised in both. A clause moved from the start of a
    sentence to its middle ("In March the…", "…start in March") is an edit, not stuffing, and
    stays."""
    gaps = [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    best = (0, 0, 0)  # size, start in a, start in b
    for i1, i2, _, _ in gaps:
        for _, _, j1, j2 in gaps:
            if min(i2 - i1, j2 - j1) > best[0]:
                found = SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False).find_longest_match()
                if found.size > best[0]:
                    best = (found.size, i1 + found.a, j1 + found.b)
    size, start_a, start_b = best
    phrase = a_text.split()[start_a : start_a + size]
    written = phrase + b_text.split()[start_b : start_b + size]
    if size < 2 or not all(_starts_a_sentence(word) for word in written):
        return set(), set(), ""
    return set(range(start_a, start_a + size)), set(range(start_b, start_b + size)), " ".join(phrase)


def _starts_a_sentence(text: str) -> bool:
    """A capital, a digit, an opening quote or bracket, or a letter of a script with no case."""
    first = text.lstrip()[:1]
    return bool(first) and not first.islower()


def _collapse_near(
    blocks: list[Block], words: list[list[str]], options: DedupOptions, events: list[RepairEvent]
) -> list[Block]:
    removed: set[int] = set()
    replaced: dict[int, str] = {}
    for i, j in _candidates(words, options):
        if i in removed or j in removed:
            continue
        matcher = SequenceMatcher(None, words[i], words[j], autojunk=False)
        score = matcher.ratio()
        if score < options.near_duplicate:
            continue
        (first_index, first_text), (later_index, later_text) = blocks[i], blocks[j]
        cut_first, cut_later, phrase = _floating(words[i], words[j], matcher, first_text, later_text)
        texts = [
            " ".join(word for k, word in enumerate(text.split()) if k not in cut) if cut else text
            for text, cut in ((first_text, cut_first), (later_text, cut_later))
        ]
        common = sum(block.size for block in matcher.get_matching_blocks())
        extra = [len(words[i]) - len(cut_first) - common, len(words[j]) - len(cut_later) - common]
        starts = [_starts_a_sentence(text) for text in texts]
        # the copy that reads as a sentence, then the one with fewer extra words, then the first
        keep = min((0, 1), key=lambda k: (not starts[k], extra[k], k))
        reason = "starts as a sentence" if starts[keep] != starts[1 - keep] else "fewer extra words"
        kept_text, kept_from = texts[keep], (first_index, later_index)[keep]
        if kept_text != first_text:
            replaced[i] = kept_text
        removed.add(j)
        events.append(
            RepairEvent(
                "near-duplicate",
                Action.REMOVED,
                f"blocks {first_index} and {later_index} are near copies (word similarity "
                f"{score:.2f}); kept the wording of block {kept_from} ({reason}) at "
                f"position {first_index}",
                before=(later_text, first_text)[keep],
                after=kept_text,
                position=later_index,
            )
        )
        if phrase:
            events.append(
                RepairEvent(
                    "stuffed keyphrase",
                    Action.REPAIRED,
                    f"the phrase {phrase!r} stands in both copies at different places, outside the "
                    f"sentence they share; cut from the kept wording of block {kept_from}",
                    before=(first_text, later_text)[keep],
                    after=kept_text,
                    position=first_index,
                )
            )
    return [(index, replaced.get(k, text)) for k, (index, text) in enumerate(blocks) if k not in removed]
