"""Stage ``normalize``: a ``RawDocument`` becomes an ``Article``, every change recorded.

Order matters and is fixed: cut the body into blocks; repair mojibake (it must run before any
comparison, or a broken and a clean copy of one paragraph would not match); collapse duplicates
(before boilerplate, so a byline the page printed twice is seen as repeated); drop boilerplate; check
the metadata. Each step returns repair events that refer to positions in the original block list.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from provdiff.errors import InputError
from provdiff.model import Action, Article, BodyKind, Metadata, RawDocument, RepairEvent
from provdiff.normalize.blocks import clean, html_blocks, page_blocks, text_blocks
from provdiff.normalize.boilerplate import remove_boilerplate
from provdiff.normalize.dedup import DedupOptions, collapse_duplicates
from provdiff.normalize.identity import article_id, url_source
from provdiff.normalize.mojibake import repair_mojibake
from provdiff.read.dates import sort_key

__all__ = ["NormalizeOptions", "normalize"]

_FIRST_SENTENCE = re.compile(r"(.{20,}?[.!?])\s")
_MAX_DERIVED_TITLE = 120


@dataclass(frozen=True, slots=True)
class NormalizeOptions:
    """Every threshold normalization uses, in one place so reports can echo them."""

    dedup: DedupOptions = field(default_factory=DedupOptions)


def body_blocks(raw: RawDocument) -> tuple[list[str], tuple[RepairEvent, ...]]:
    """The document body cut into paragraph blocks, before any cleaning."""
    if raw.body_kind is BodyKind.HTML_PAGE:
        return page_blocks(raw.body)
    if raw.body_kind is BodyKind.HTML_FRAGMENT:
        return html_blocks(raw.body), ()
    return text_blocks(raw.body), ()


def normalize(raw: RawDocument, options: NormalizeOptions = NormalizeOptions()) -> Article:
    """Clean ``raw`` into an article; raise ``InputError`` when no text or no source is left."""
    blocks, found = body_blocks(raw)
    events: list[RepairEvent] = [*raw.events, *found]
    repaired, mojibake_events = repair_mojibake(tuple(blocks))
    events.extend(mojibake_events)
    title = raw.meta.title
    if title is not None:
        (title,), title_events = repair_mojibake((clean(title),))
        events.extend(replace(e, detail=f"{e.detail} (in the title)", position=None) for e in title_events)
    numbered = list(enumerate(repaired))
    if title and numbered and _same_words(numbered[0][1], title):
        events.append(
            RepairEvent(
                "title",
                Action.REMOVED,
                "headline repeated as the first paragraph",
                before=numbered[0][1],
                position=0,
            )
        )
        numbered = numbered[1:]
    counts = Counter(repaired)
    kept, dup_events = collapse_duplicates(numbered, options.dedup)
    kept, chrome_events = remove_boilerplate(kept, {text for text, n in counts.items() if n > 1})
    events.extend(dup_events)
    events.extend(chrome_events)
    paragraphs = tuple(text for _, text in kept)
    if not paragraphs:
        raise InputError(
            f"{raw.origin}: no article text left after removing markup and boilerplate; "
            "check that the file holds the article (use --format to choose another reader)"
        )
    source = raw.meta.source or (url_source(raw.meta.url) if raw.meta.url else None)
    if not source or not source.strip():
        raise InputError(
            f"{raw.origin}: no source known for this article; pass --source NAME "
            "(or a source in the manifest or record)"
        )
    if not title:
        title = _derived_title(paragraphs[0])
        events.append(
            RepairEvent(
                "title", Action.FLAGGED, "no headline found; title taken from the first sentence", after=title
            )
        )
    meta = _clean_meta(raw.meta, source.strip(), title)
    events.extend(check_metadata(meta))
    return Article(
        article_id=article_id(meta, meta.source or "", _name_hint(raw.origin)),
        meta=meta,
        format=raw.format,
        paragraphs=paragraphs,
        repairs=tuple(events),
        raw=raw.data,
        origin=raw.origin,
        captured_at=raw.captured_at,
        http=raw.http,
    )


def check_metadata(meta: Metadata) -> list[RepairEvent]:
    """Findings about the dates: none missing, and an edit cannot predate publication."""
    events = []
    if meta.published is None:
        events.append(
            RepairEvent("metadata", Action.FLAGGED, "no published date; provenance falls back to ingest time")
        )
    elif meta.modified is not None and sort_key(meta.modified) < sort_key(meta.published):
        events.append(
            RepairEvent(
                "metadata",
                Action.FLAGGED,
                f"modified date {meta.modified} is earlier than published date {meta.published}",
            )
        )
    return events


def _clean_meta(meta: Metadata, source: str, title: str) -> Metadata:
    """One-line fields without control characters (``blocks.clean``): a NUL in a title would end
    up in a commit message, which git then refuses to read past (fsck: nulInCommit)."""

    def one_line(value: str | None) -> str | None:
        return clean(value) or None if value is not None else None

    return Metadata(
        source=clean(source),
        url=one_line(meta.url),
        title=clean(title),
        published=meta.published,
        modified=meta.modified,
        guid=one_line(meta.guid),
        native_id=one_line(meta.native_id),
        slug=one_line(meta.slug),
        lang=meta.lang,
    )


def _same_words(left: str, right: str) -> bool:
    return left.casefold().split() == right.casefold().split()


def _derived_title(paragraph: str) -> str:
    match = _FIRST_SENTENCE.match(paragraph + " ")
    sentence = match.group(1) if match else paragraph
    if len(sentence) > _MAX_DERIVED_TITLE:
        sentence = sentence[: _MAX_DERIVED_TITLE - 1].rsplit(" ", 1)[0] + "…"
    return sentence


def _name_hint(origin: str) -> str | None:
    """A file's stem names an article whose metadata has no better key (stdin and records have none)."""
    if origin in ("-", "<stdin>") or re.search(r":\d+$", origin):
        return None
    return PurePath(origin).stem
