"""In-document duplicate paragraphs: exact copies and near copies (SEO stuffing, template repeats).

Blogs that republish or "optimize" an article often carry it twice, the second time with a keyword
phrase pushed into some paragraphs. Counting both copies would double every claim, so later copies
are collapsed into the first position. Every dropped text stays in a repair event.

Near copies are compared word by word with difflib (``autojunk=False``: on short sequences the
autojunk heuristic would discard common words and inflate the score), after two cheap filters (length
ratio, shared-vocabulary share) that rule out almost every pair before the quadratic step. Of two near
copies the one with fewer words outside their common subsequence is kept: stuffing adds words.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from provdiff.model import Action, RepairEvent

Block = tuple[int, str]  # (index in the document's original block list, text)


@dataclass(frozen=True, slots=True)
class DedupOptions:
    """Thresholds of near-duplicate detection (similarity is 0..1, word level)."""

    near_duplicate: float = 0.85
    min_words: int = 8  # shorter paragraphs collapse only when exactly equal


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


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
    for index, text in blocks:
        key = _key(text)
        if key in seen:
            events.append(
                RepairEvent(
                    "duplicate",
                    Action.REMOVED,
                    f"exact copy of paragraph {seen[key]}",
                    before=text,
                    position=index,
                )
            )
            continue
        seen[key] = index
        kept.append((index, text))
    return _collapse_near(kept, options, events), events


def _collapse_near(
    blocks: list[Block], options: DedupOptions, events: list[RepairEvent]
) -> list[Block]:
    words = [text.split() for _, text in blocks]
    vocab = [set(_key(text).split()) for _, text in blocks]
    removed: set[int] = set()
    replaced: dict[int, str] = {}
    for i in range(len(blocks)):
        if i in removed or len(words[i]) < options.min_words:
            continue
        for j in range(i + 1, len(blocks)):
            if j in removed or len(words[j]) < options.min_words:
                continue
            shorter, longer = sorted((len(words[i]), len(words[j])))
            if shorter < options.near_duplicate * longer:
                continue
            shared = len(vocab[i] & vocab[j])
            if shared < options.near_duplicate * max(len(vocab[i]), len(vocab[j])) - 2:
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
                words[i], vocab[i] = words[j], vocab[j]
            removed.add(j)
            events.append(
                RepairEvent(
                    "near-duplicate",
                    Action.REMOVED,
                    f"near copy (word similarity {score:.2f}) of paragraph {first_index}; kept the "
                    f"{'later' if keep_later else 'first'} wording (fewer extra words) at the "
                    "first position",
                    before=first_text if keep_later else later_text,
                    after=later_text if keep_later else first_text,
                    position=first_index if keep_later else later_index,
                )
            )
    return [
        (index, replaced.get(k, text))
        for k, (index, text) in enumerate(blocks)
        if k not in removed
    ]
