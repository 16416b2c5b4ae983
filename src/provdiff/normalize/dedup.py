"""In-document duplicate paragraphs: exact copies and near copies (SEO stuffing, template repeats).

Blogs that republish or "optimize" an article often carry it twice, the second time with a keyword
phrase pushed into some paragraphs. Counting both copies would double every claim, so later copies
are collapsed into the first position. Every dropped text stays in a repair event.

Near copies are compared word by word with difflib (``autojunk=False``: on short sequences the
autojunk heuristic would discard common words and inflate the score), after two cheap filters (length
ratio, shared word pairs) that rule out almost every pair before the quadratic step. Of two near
copies the one with fewer words outside their common subsequence is kept: stuffing adds words.
"""

from __future__ import annotations

import itertools
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
    """Pairs (earlier, later) that pass the cheap filters, in document order.

    Blocks are visited by length so that the length-ratio filter ends each inner loop early; the
    word-pair filter then needs copies to share nearly all their adjacent word pairs, which text on
    the same topic rarely does.
    """
    ratio = options.near_duplicate
    eligible = sorted((len(w), k) for k, w in enumerate(words) if len(w) >= options.min_words)
    grams = {k: set(itertools.pairwise(words[k])) for _, k in eligible}
    pairs = []
    for a, (size_a, i) in enumerate(eligible):
        for size_b, j in eligible[a + 1 :]:
            if size_a < ratio * size_b:
                break
            shared = len(grams[i] & grams[j])
            if shared >= (2 * ratio - 1) * max(len(grams[i]), len(grams[j])):
                pairs.append((min(i, j), max(i, j)))
    return sorted(pairs)


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
        common = sum(block.size for block in matcher.get_matching_blocks())
        keep_later = len(words[j]) - common < len(words[i]) - common
        first_index, first_text = blocks[i]
        later_index, later_text = blocks[j]
        if keep_later:
            replaced[i] = later_text
        removed.add(j)
        kept_from = later_index if keep_later else first_index
        events.append(
            RepairEvent(
                "near-duplicate",
                Action.REMOVED,
                f"blocks {first_index} and {later_index} are near copies (word similarity "
                f"{score:.2f}); kept the wording of block {kept_from} (fewer extra words) at "
                f"position {first_index}",
                before=first_text if keep_later else later_text,
                after=later_text if keep_later else first_text,
                position=later_index,
            )
        )
    return [(index, replaced.get(k, text)) for k, (index, text) in enumerate(blocks) if k not in removed]
