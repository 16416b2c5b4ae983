"""Inside a matched pair: the word-level patch, and whether the edit is cosmetic or substantive.

Word diffs use difflib's ``SequenceMatcher`` on lossless tokens (words, single punctuation marks and
runs of whitespace). ``autojunk`` is off: it exists for long sequences with frequent lines, and on a
sentence it would discard common words such as "the". Whitespace tokens are marked junk instead, so a
match is never anchored on a space.

The cosmetic/substantive rule is checked in a fixed order and the first rule that decides is recorded
with the edit, so a reader can see why an edit was (or was not) taken as a change of meaning.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

from provdiff.model import EditKind, PatchOp
from provdiff.segment import figures, match_key, plain, tokens

_NEGATIONS = frozenset("not no never none nor neither nobody nothing nowhere cannot n't without".split())
_WORD = re.compile(r"\w+")
_SPELLING = 0.8  # two words this similar (and at least 4 letters) are a spelling fix


def word_patch(source: str, target: str) -> tuple[PatchOp, ...]:
    """Patch operations turning ``source`` into ``target``, over ``segment.tokens``.

    >>> word_patch("Tariffs of 15 percent.", "Tariffs of 20 percent.")
    (('replace', 2, 3, '20 '),)
    """
    if source == target:
        return ()
    left, right = tokens(source), tokens(target)
    matcher = SequenceMatcher(None, left, right, autojunk=False)
    return tuple(
        (tag, i1, i2, "".join(right[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    )


def classify_edit(source: str, target: str) -> tuple[EditKind, str]:
    """(cosmetic or substantive, the rule that decided) for two texts known to differ.

    >>> classify_edit("It said “yes”.", 'It said "yes".')
    (<EditKind.COSMETIC: 'cosmetic'>, 'typography or spacing only')
    >>> classify_edit("Tariffs of 15 percent.", "Tariffs of 20%.")
    (<EditKind.SUBSTANTIVE: 'substantive'>, 'figures changed: 15 percent -> 20%')
    >>> classify_edit("$350B in projects.", "$350 billion in projects.")
    (<EditKind.COSMETIC: 'cosmetic'>, 'same figures in another notation')
    >>> classify_edit("Korea US tariffs of 15 percent.", "Korea-US tariffs of 15%.")
    (<EditKind.COSMETIC: 'cosmetic'>, 'punctuation only')
    """
    left, right = plain(source), plain(target)
    if left == right:
        return EditKind.COSMETIC, "typography or spacing only"
    if left.casefold() == right.casefold():
        return EditKind.COSMETIC, "letter case only"
    found_left, found_right = figures(left), figures(right)
    before, after = Counter(f.token for f in found_left), Counter(f.token for f in found_right)
    if before != after:
        # compared by value ("$350B" = "$350 billion"), shown as each side wrote it
        written = {f.token: left[f.start : f.end] for f in found_left}
        written |= {f.token: right[f.start : f.end] for f in found_right if f.token not in written}
        gone = ", ".join(written[t] for t in sorted((before - after).elements())) or "none"
        new = ", ".join(written[t] for t in sorted((after - before).elements())) or "none"
        return EditKind.SUBSTANTIVE, f"figures changed: {gone} -> {new}"
    if match_key(source) == match_key(target):
        return EditKind.COSMETIC, "same figures in another notation"
    # words of the match keys: figures in one notation, so that "15 percent" -> "15%" beside another
    # cosmetic change is no change of wording ("percent" is no word dropped)
    old_words = _WORD.findall(match_key(source).lower())
    new_words = _WORD.findall(match_key(target).lower())
    if (_NEGATIONS & set(old_words)) != (_NEGATIONS & set(new_words)) or old_words.count(
        "not"
    ) != new_words.count("not"):
        return EditKind.SUBSTANTIVE, "negation changed"
    if old_words == new_words:
        return EditKind.COSMETIC, "punctuation only"
    changed = _changed_words(old_words, new_words)
    if all(_spelling(a, b) for a, b in changed):
        return EditKind.COSMETIC, f"spelling ({len(changed)} word{'s' * (len(changed) != 1)})"
    names_before, names_after = capitalized_names(left), capitalized_names(right)
    if (names_before - names_after) and (names_after - names_before):
        gone = ", ".join(sorted(names_before - names_after))
        new = ", ".join(sorted(names_after - names_before))
        return EditKind.SUBSTANTIVE, f"names changed: {gone} -> {new}"
    count = sum(max(len(a.split()), len(b.split())) for a, b in changed)
    return EditKind.SUBSTANTIVE, f"wording changed ({count} word{'s' * (count != 1)})"


def capitalized_names(text: str) -> set[str]:
    """Capitalized words other than a sentence's first: a rough but dependency-free name finder."""
    words = _WORD.findall(text)
    return {w for k, w in enumerate(words) if k and len(w) > 1 and w[0].isupper()}


def _changed_words(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    return [
        (" ".join(old[i1:i2]), " ".join(new[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _spelling(old: str, new: str) -> bool:
    if " " in old or " " in new or min(len(old), len(new)) < 4:
        return False
    return SequenceMatcher(None, old, new, autojunk=False).ratio() >= _SPELLING
