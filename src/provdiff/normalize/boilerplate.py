"""Site chrome that leaks into saved article text: ad markers, bylines, comment forms, share bars.

Rules are line-level patterns that match a whole paragraph, never part of one, so that article text
that merely mentions "advertisement" is kept. A byline is a short name-like line ("By Jo Bloggs", or a
bare name the document repeats or ends with); a name inside a sentence is never touched.
"""

from __future__ import annotations

import re

from provdiff.model import Action, RepairEvent

Block = tuple[int, str]

_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.I))
    for name, pattern in (
        (
            "ad marker",
            r"(?:advertis(?:e?ment|ing)|sponsored(?: content)?|ad|story continues below"
            r"(?: advertisement)?|scroll to continue with content)",
        ),
        (
            "comment form",
            r"(?:leave a (?:reply|comment)|cancel reply|post comment|comments are closed"
            r"|\d+ comments?|your email address will not be published\..*"
            r"|required fields are marked \*|save my name, email,? and website.*)",
        ),
        (
            "share bar",
            r"(?:share this(?: article)?:?|share on (?:facebook|twitter|x|linkedin|whatsapp)"
            r"|click to share on .*|like this:?|loading\.\.\.|related(?: posts| articles)?:?"
            r"|(?:subscribe|sign up) (?:to|for) our newsletter.*)",
        ),
    )
)
_NAME_LINE = re.compile(r"(?:by\s+)?(?:[A-Z][a-z][\w'’.-]*\s+){1,3}[A-Z][a-z][\w'’.-]*")
_BY_LINE = re.compile(r"by\s+\S.{0,60}", re.I)


def remove_boilerplate(blocks: list[Block], repeated: set[str]) -> tuple[list[Block], list[RepairEvent]]:
    """Drop whole-paragraph chrome. ``repeated`` holds the texts the raw document had more than once.

    >>> blocks = [(0, "Text."), (1, "Advertisement"), (2, "Jo Bloggs")]
    >>> kept, events = remove_boilerplate(blocks, {"Jo Bloggs"})
    >>> kept, [e.detail for e in events]
    ([(0, 'Text.')], ['ad marker', 'byline'])
    """
    kept: list[Block] = []
    events: list[RepairEvent] = []
    for index, text in blocks:
        rule = _matching_rule(text, repeated)
        if rule is None:
            kept.append((index, text))
        else:
            events.append(RepairEvent("boilerplate", Action.REMOVED, rule, before=text, position=index))
    # A bare name that ends the article once the chrome after it is gone is its byline. Judged
    # after the other rules, so cleaning an already cleaned text finds nothing more to remove.
    while kept and _name_line(kept[-1][1]):
        index, text = kept.pop()
        events.append(RepairEvent("boilerplate", Action.REMOVED, "byline", before=text, position=index))
    return kept, events


def _name_line(text: str) -> bool:
    stripped = text.strip()
    return (
        len(stripped) <= 60
        and not stripped.endswith((".", "!", "?", ":", ";"))
        and _NAME_LINE.fullmatch(stripped) is not None
    )


def _matching_rule(text: str, repeated: set[str]) -> str | None:
    stripped = text.strip()
    for name, pattern in _RULES:
        if pattern.fullmatch(stripped):
            return name
    if _name_line(stripped) and (_BY_LINE.fullmatch(stripped) or stripped in repeated):
        return "byline"
    return None
