"""JSON Lines: one article record per line, as exported by scrapers and datasets.

A record needs text (``text``, ``content`` or ``body``); ``id``, ``title``, ``source``, ``url``,
``date``/``published`` and ``modified`` are used when present. Each record keeps its own line's bytes
as its raw evidence.
"""

from __future__ import annotations

import json

from provdiff.errors import ParseError
from provdiff.model import BodyKind, Format, Metadata, RawDocument
from provdiff.read.dates import parse_date

_TEXT_KEYS = ("text", "content", "body")
_HTML_HINT = ("<p>", "<p ", "<div", "<br")


def _field(record: dict[str, object], *keys: str) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return None


def read_jsonl(data: bytes, origin: str) -> list[RawDocument]:
    """One document per non-empty line; a bad line is an error that names its line number."""
    docs = [
        doc
        for number, line in enumerate(data.split(b"\n"), start=1)
        if (doc := jsonl_record(line, f"{origin}:{number}")) is not None
    ]
    if not docs:
        raise ParseError(f"{origin}: no records in the JSON Lines file")
    return docs


def jsonl_record(line: bytes, where: str, text: str | None = None) -> RawDocument | None:
    """The document of one line (None for a blank line); ``text`` is the line already decoded when
    it was not UTF-8. A bad line is an error that names ``where`` (file and line number)."""
    if not line.strip():
        return None
    try:
        record = json.loads(line.decode("utf-8") if text is None else text, strict=False)
    except (ValueError, RecursionError) as exc:  # undecodable, malformed, a 5,000-digit number, 50k deep
        raise ParseError(f"{where}: not a JSON record ({exc}); fix or remove that line") from exc
    if not isinstance(record, dict):
        raise ParseError(f"{where}: expected a JSON object per line")
    body = _field(record, *_TEXT_KEYS)
    if body is None:
        raise ParseError(f"{where}: the record has no text (one of: {', '.join(_TEXT_KEYS)})")
    published = _field(record, "published", "date")
    modified = _field(record, "modified", "updated")
    return RawDocument(
        data=line.rstrip(b"\r\n"),
        origin=where,
        format=Format.JSONL,
        body=body,
        body_kind=BodyKind.HTML_FRAGMENT if any(h in body.lower() for h in _HTML_HINT) else BodyKind.TEXT,
        meta=Metadata(
            source=_field(record, "source", "outlet", "site"),
            url=_field(record, "url", "link"),
            title=_field(record, "title", "headline"),
            published=parse_date(published) if published else None,
            modified=parse_date(modified) if modified else None,
            native_id=_field(record, "id"),
        ),
    )
