"""Plain-text articles: the first line is the title when it reads like one."""

from __future__ import annotations

from provdiff.model import BodyKind, Format, Metadata, RawDocument, RepairEvent

# A first line longer than this, or ending like a sentence, is the lede rather than a headline.
_MAX_TITLE_CHARS = 200


def read_text(data: bytes, text: str, origin: str, events: tuple[RepairEvent, ...]) -> RawDocument:
    """Split off the headline (first line followed by a break, short, not a sentence) from the body."""
    lines = text.lstrip("\n").split("\n", 1)
    first = lines[0].strip()
    rest = lines[1] if len(lines) > 1 else ""
    title: str | None = None
    if first and len(first) <= _MAX_TITLE_CHARS and not first.endswith((".", "!", "?", ":")) and rest:
        title = first
    else:
        rest = text  # the first line is the lede; normalization derives and flags a title
    return RawDocument(
        data=data,
        origin=origin,
        format=Format.TEXT,
        body=rest,
        body_kind=BodyKind.TEXT,
        meta=Metadata(title=title),
        events=events,
    )
