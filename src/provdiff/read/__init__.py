"""Stage ``read``: bytes from a file or stdin to ``RawDocument``s, one reader per format.

Formats are detected from content (the file name only breaks ties between plain text and Markdown),
because saved articles rarely carry a trustworthy extension. Every reader is lenient about structure
and strict about giving up: when nothing usable is left it raises an ``InputError`` naming the input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from provdiff.errors import OptionError, OversizeInputError, ParseError
from provdiff.model import DEFAULT_MAX_BYTES, Format, Metadata, RawDocument
from provdiff.read import lenient_json
from provdiff.read.decode import decode
from provdiff.read.html import read_html
from provdiff.read.jsonl import jsonl_record, read_jsonl
from provdiff.read.markdown import read_markdown
from provdiff.read.text import read_text
from provdiff.read.warc import looks_like_warc, read_warc
from provdiff.read.wordpress import looks_like_post, read_wordpress

__all__ = ["DEFAULT_MAX_BYTES", "ReadOptions", "detect_format", "iter_file", "read_bytes", "read_file"]


_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_MARKDOWN_HINTS = (  # (cheap substring test, regex that confirms it)
    ("#", re.compile(r"^#{1,6} \S", re.M)),
    ("](", re.compile(r"\[[^\]\n]+\]\([^)\n]+\)")),
    ("---\n", re.compile(r"\A---\n")),
)
_MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown"}


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read: a forced format (None = detect) and the largest input accepted, in bytes."""

    format: Format | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    encoding: str | None = None  # a charset the source declared (HTTP Content-Type), tried after UTF-8


def detect_format(text: str, name: str = "") -> Format:
    """Guess the format from the content; ``name`` only separates Markdown from plain text.

    >>> detect_format('{"id": 1, "guid": {"rendered": "x"}, "content": {"rendered": "<p>a</p>"}}')
    <Format.WORDPRESS: 'wordpress'>
    >>> detect_format('{"text": "a"}\\n{"text": "b"}\\n')
    <Format.JSONL: 'jsonl'>
    >>> detect_format("<!DOCTYPE html><html><body><p>x</p></body></html>")
    <Format.HTML: 'html'>
    >>> detect_format("Title\\n\\nBody.")
    <Format.TEXT: 'text'>
    """
    head = text.lstrip()
    if head.startswith("{"):
        first_line = head.split("\n", 1)[0]
        try:
            first = json.loads(first_line)
        except (ValueError, RecursionError):  # malformed, a 5,000-digit number, nested 50k deep
            first = None
        if isinstance(first, dict) and not looks_like_post(first):
            return Format.JSONL
        try:
            if looks_like_post(lenient_json.parse(head).value):
                return Format.WORDPRESS
        except ValueError:
            pass
        if isinstance(first, dict):
            return Format.JSONL
    if _HTML_START.match(text):
        return Format.HTML
    sample = text[:4096]
    if Path(name).suffix.lower() in _MARKDOWN_SUFFIXES or any(
        cheap in sample and pattern.search(sample) for cheap, pattern in _MARKDOWN_HINTS
    ):
        return Format.MARKDOWN
    return Format.TEXT


def read_bytes(
    data: bytes, origin: str, options: ReadOptions = ReadOptions(), meta: Metadata = Metadata()
) -> list[RawDocument]:
    """Read ``data`` (named ``origin`` in messages) into documents; ``meta`` fields override found ones."""
    if len(data) > options.max_bytes:
        raise OversizeInputError(_oversize(origin, len(data), options.max_bytes))
    if options.format is Format.WARC or (options.format is None and looks_like_warc(data, origin)):
        captures = read_warc(data, origin, options.max_bytes)
        if meta.url or meta.native_id or meta.title:
            raise OptionError(
                f"{origin}: an archive holds many captures; --url, --id and --title do not apply"
            )
        return [_override(doc, meta) for doc in captures]
    text, events = decode(data, origin, options.encoding)
    fmt = options.format or detect_format(text, origin)
    if fmt is Format.JSONL:
        docs = read_jsonl(data if not events else text.encode("utf-8"), origin)
    elif fmt is Format.WORDPRESS:
        docs = [read_wordpress(data, text, origin, events)]
    elif fmt is Format.HTML:
        docs = [read_html(data, text, origin, events)]
    elif fmt is Format.MARKDOWN:
        docs = [read_markdown(data, text, origin, events)]
    else:
        docs = [read_text(data, text, origin, events)]
    if len(docs) > 1 and (meta.url or meta.native_id or meta.title):
        raise OptionError(
            f"{origin}: holds {len(docs)} records; --url, --id and --title apply to one article only"
        )
    return [_override(doc, meta) for doc in docs]


def read_file(
    path: Path, options: ReadOptions = ReadOptions(), meta: Metadata = Metadata()
) -> list[RawDocument]:
    """Read one file, refusing oversize files before loading them into memory."""
    size = path.stat().st_size
    if size > options.max_bytes:
        raise OversizeInputError(_oversize(str(path), size, options.max_bytes))
    with path.open("rb") as handle:
        data = handle.read(options.max_bytes + 1)
    return read_bytes(data, str(path), options, meta)


def iter_file(
    path: Path, options: ReadOptions = ReadOptions(), meta: Metadata = Metadata()
) -> Iterator[RawDocument]:
    """The documents of one file as they are read: a JSON Lines file one record at a time (so a
    batch of any size streams, and ``max_bytes`` bounds each record, not the file), any other
    format through ``read_file``."""
    with path.open("rb") as handle:
        first = handle.readline(options.max_bytes + 1)
        if not _streams_as_jsonl(first, options):
            yield from read_file(path, options, meta)
            return
        handle.seek(0)
        count = 0
        for number, line in enumerate(iter(lambda: handle.readline(options.max_bytes + 1), b""), start=1):
            where = f"{path}:{number}"
            if len(line) > options.max_bytes:
                raise OversizeInputError(
                    f"{where}: record over the {options.max_bytes:,}-byte limit; "
                    "fix that line or raise --max-bytes"
                )
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                text, _ = decode(line, where, options.encoding)
            doc = jsonl_record(line, where, text)
            if doc is None:
                continue
            count += 1
            if count > 1 and (meta.url or meta.native_id or meta.title):
                raise OptionError(f"{path}: holds several records; --url, --id and --title apply to one only")
            yield _override(doc, meta)
        if not count:
            raise ParseError(f"{path}: no records in the JSON Lines file")


def _streams_as_jsonl(first_line: bytes, options: ReadOptions) -> bool:
    """True when a file whose first line is ``first_line`` is read as JSON Lines."""
    if options.format is not None:
        return options.format is Format.JSONL
    try:
        text = first_line.decode("utf-8")
    except UnicodeDecodeError:
        return False  # a file in another encoding is decoded as a whole first
    return text.lstrip().startswith("{") and detect_format(text) is Format.JSONL


def _oversize(origin: str, size: int, limit: int) -> str:
    return f"{origin}: {size:,} bytes is over the {limit:,}-byte limit; split the file or raise --max-bytes"


def _override(doc: RawDocument, meta: Metadata) -> RawDocument:
    given = {name: getattr(meta, name) for name in meta.__slots__ if getattr(meta, name) is not None}
    return replace(doc, meta=replace(doc.meta, **given)) if given else doc
