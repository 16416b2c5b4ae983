"""Web archives (WARC, plain or per-record gzip as crawlers write them): one article version per capture.

Every ``response`` record whose HTTP status is 200 and whose body is HTML becomes a page document,
read like any saved page (``read.html``) with the record's target URI as its URL and the record's
``WARC-Date`` as its capture time; versions are returned oldest first, so several captures of one
page become consecutive revisions dated by their captures. Other records (requests, metadata,
redirects, errors, images) are skipped and counted in a flagged event. A capture larger than the size
limit is refused, as a file would be.
"""

from __future__ import annotations

import io
from dataclasses import replace

from provdiff.errors import InputError, OversizeInputError
from provdiff.model import Action, RawDocument, RepairEvent
from provdiff.read.dates import parse_date
from provdiff.read.decode import decode
from provdiff.read.html import read_html

_GZIP = b"\x1f\x8b"


def looks_like_warc(data: bytes, name: str) -> bool:
    """A WARC file: it starts with a WARC version line, or it is gzip named ``.warc.gz``."""
    return data.startswith(b"WARC/") or (
        data.startswith(_GZIP) and name.lower().endswith((".warc.gz", ".warc"))
    )


def read_warc(data: bytes, origin: str, max_bytes: int) -> list[RawDocument]:
    """HTML captures of ``data``, oldest first; ``InputError`` if the archive holds none or is broken."""
    from warcio.archiveiterator import ArchiveIterator  # noqa: PLC0415 - WARC input only
    from warcio.exceptions import ArchiveLoadFailed  # noqa: PLC0415

    captures: list[tuple[str, int, RawDocument]] = []
    skipped = 0
    try:
        for number, record in enumerate(ArchiveIterator(io.BytesIO(data))):
            if record.rec_type != "response" or record.http_headers is None:
                skipped += record.rec_type == "response"
                continue
            status = record.http_headers.get_statuscode()
            kind = (record.http_headers.get_header("Content-Type") or "").lower()
            if status != "200" or "html" not in kind:
                skipped += 1
                continue
            body = record.content_stream().read(max_bytes + 1)
            where = f"{origin}:record {number + 1}"
            if len(body) > max_bytes:
                raise OversizeInputError(
                    f"{where}: capture over the {max_bytes:,}-byte limit; raise --max-bytes to read it"
                )
            captured = parse_date(record.rec_headers.get_header("WARC-Date") or "")
            text, events = decode(body, where)
            page = read_html(body, text, where, events)
            url = record.rec_headers.get_header("WARC-Target-URI")
            meta = replace(page.meta, url=url) if url else page.meta
            captures.append((captured or "", number, replace(page, meta=meta, captured_at=captured)))
    except (ArchiveLoadFailed, AttributeError, ValueError, EOFError) as exc:  # warcio on a cut archive
        raise InputError(f"{origin}: not a readable WARC file ({exc}); check the archive") from exc
    if not captures:
        raise InputError(
            f"{origin}: the archive holds no HTML page captured with status 200 "
            f"({skipped} other response(s)); nothing to ingest"
        )
    documents = [document for _, _, document in sorted(captures, key=lambda item: item[:2])]
    if skipped:
        note = RepairEvent("warc", Action.FLAGGED, f"{skipped} non-HTML or non-200 response(s) skipped")
        documents[0] = replace(documents[0], events=(*documents[0].events, note))
    return documents
