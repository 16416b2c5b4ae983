"""Whole HTML pages: metadata from the page head; the body is cut into paragraphs by normalization.

Metadata comes from trafilatura's extractor, which knows the many places publishers put a headline,
canonical URL and publication date (OpenGraph, JSON-LD, ``<time>``, meta tags).
"""

from __future__ import annotations

from provdiff.model import BodyKind, Format, Metadata, RawDocument, RepairEvent
from provdiff.read.dates import parse_date


def read_html(data: bytes, text: str, origin: str, events: tuple[RepairEvent, ...]) -> RawDocument:
    """Keep the page as the body; take title, canonical URL and dates from its head."""
    from trafilatura import extract_metadata  # noqa: PLC0415 - 0.25 s of start-up, pages only

    found = extract_metadata(text)
    meta = Metadata()
    if found is not None:
        published = parse_date(found.date) if found.date else None
        meta = Metadata(
            url=found.url or None,
            title=found.title or None,
            published=published,
        )
    return RawDocument(
        data=data,
        origin=origin,
        format=Format.HTML,
        body=text,
        body_kind=BodyKind.HTML_PAGE,
        meta=meta,
        events=events,
    )
