"""How an article lies on disk in the corpus, and the conversion both ways. Pure: no git, no I/O.

Each article is a directory ``articles/<source>/<slug>-<hash>/`` holding:

* ``text.md``: front matter (one ``key: "json string"`` line per metadata field) and then one
  paragraph per line, blank lines between, so that ``git diff`` of the corpus reads paragraph by
  paragraph;
* ``raw``: the bytes exactly as received, so normalization can be re-run and nothing is lost;
* ``record.json``: how this revision was made (format, origin, kind, time) and every repair event.

Front-matter values are JSON strings, which are also valid YAML: a title holding quotes, newlines or
``---`` cannot break out of its line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from provdiff.errors import CorpusError
from provdiff.model import Action, Article, Format, Metadata, RepairEvent, RevisionKind

ARTICLES_DIR = "articles"
TEXT_NAME = "text.md"
RAW_NAME = "raw"
RECORD_NAME = "record.json"
RECORD_SCHEMA = 1

# Front matter keys in the order they are written; the id comes first so a diff names its article.
_META_KEYS = ("source", "title", "url", "published", "modified", "guid", "native_id", "slug", "lang")


def article_dir(article_id: str) -> str:
    """The corpus-relative directory of an article."""
    return f"{ARTICLES_DIR}/{article_id}"


def render_text(article: Article) -> bytes:
    """``text.md`` of an article: front matter, then paragraphs separated by blank lines."""
    lines = ["---", f"id: {json.dumps(article.article_id, ensure_ascii=False)}"]
    for key in _META_KEYS:
        value = getattr(article.meta, key)
        if value is not None:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    body = "\n\n".join(article.paragraphs)
    return ("\n".join(lines) + "\n\n" + body + "\n").encode("utf-8")


@dataclass(frozen=True, slots=True)
class Record:
    """What ``record.json`` says about one revision."""

    format: Format
    origin: str
    kind: RevisionKind
    ingested_at: str
    reader: str
    repairs: tuple[RepairEvent, ...]
    captured_at: str | None = None  # a web archive's capture time, when the version came from one
    http: tuple[tuple[str, str], ...] = ()  # status, ETag, Last-Modified of the fetch, when fetched
    # the article's language (given, else detected) and each paragraph's (numbered from 1) where it differs
    lang: str | None = None
    languages: tuple[tuple[int, str], ...] = ()


def render_record(record: Record) -> bytes:
    """``record.json`` with sorted keys and one event per line-friendly indent, for readable diffs."""
    document = {
        "schema": RECORD_SCHEMA,
        "format": record.format.value,
        "origin": record.origin,
        "kind": record.kind.value,
        "ingested_at": record.ingested_at,
        **({"captured_at": record.captured_at} if record.captured_at else {}),
        **({"http": dict(record.http)} if record.http else {}),
        **({"lang": record.lang} if record.lang else {}),
        **({"languages": {str(p): lang for p, lang in record.languages}} if record.languages else {}),
        "reader": record.reader,
        "repairs": [
            {
                "kind": e.kind,
                "action": e.action.value,
                "detail": e.detail,
                **({"before": e.before} if e.before else {}),
                **({"after": e.after} if e.after else {}),
                **({"position": e.position} if e.position is not None else {}),
            }
            for e in record.repairs
        ],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()


def parse_text(data: bytes, where: str) -> tuple[str, Metadata, tuple[str, ...]]:
    """Inverse of ``render_text``: (article id, metadata, paragraphs)."""
    text = data.decode("utf-8")
    head, sep, body = text.partition("\n---\n")
    if not text.startswith("---\n") or not sep:
        raise CorpusError(
            f"{where}: no front matter; the corpus file was edited by hand, restore it with git"
        )
    fields: dict[str, str] = {}
    for line in head.split("\n")[1:]:
        key, _, value = line.partition(": ")
        try:
            fields[key] = json.loads(value)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{where}: malformed front matter line {line!r}") from exc
    paragraphs = tuple(p for p in body.strip("\n").split("\n\n") if p)
    meta = Metadata(**{key: fields.get(key) for key in _META_KEYS})
    return fields.get("id", ""), meta, paragraphs


def parse_record(data: bytes) -> Record:
    """Inverse of ``render_record``."""
    document: dict[str, Any] = json.loads(data)
    return Record(
        format=Format(document["format"]),
        origin=document["origin"],
        kind=RevisionKind(document["kind"]),
        ingested_at=document["ingested_at"],
        reader=document["reader"],
        repairs=tuple(
            RepairEvent(
                kind=e["kind"],
                action=Action(e["action"]),
                detail=e["detail"],
                before=e.get("before", ""),
                after=e.get("after", ""),
                position=e.get("position"),
            )
            for e in document["repairs"]
        ),
        captured_at=document.get("captured_at"),
        http=tuple(document.get("http", {}).items()),
        lang=document.get("lang"),
        languages=tuple((int(p), lang) for p, lang in document.get("languages", {}).items()),
    )


def assemble(text: bytes, record: Record, raw: bytes, where: str) -> Article:
    """An ``Article`` from its three stored files."""
    article_id, meta, paragraphs = parse_text(text, where)
    return Article(
        article_id=article_id,
        meta=meta,
        format=record.format,
        paragraphs=paragraphs,
        repairs=record.repairs,
        raw=raw,
        origin=record.origin,
        captured_at=record.captured_at,
        http=record.http,
    )
