"""Batch manifests: which files to ingest, with the metadata the files themselves do not carry.

A manifest is TOML with one ``[[article]]`` table per file; paths are relative to the manifest::

    [[article]]
    file = "koreapro-2208400.json"
    source = "koreapro"
    url = "https://koreapro.org/..."
    published = "2025-02-16T23:00:33Z"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from provdiff.errors import OptionError
from provdiff.model import Format, Metadata
from provdiff.read.dates import parse_date
from provdiff.segment.language import parse_lang

_KEYS = {"file", "source", "url", "published", "modified", "title", "id", "format", "lang"}


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One file to ingest and the metadata given for it."""

    path: Path
    meta: Metadata
    format: Format | None


def load_manifest(path: Path) -> list[ManifestEntry]:
    """Parse and validate a manifest; every problem names the manifest and the entry."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise OptionError(f"{path}: manifest not found; check the path") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise OptionError(f"{path}: not a valid TOML manifest ({exc}); fix its syntax") from exc
    articles = document.get("article")
    if not isinstance(articles, list) or not articles:
        raise OptionError(f"{path}: the manifest lists no [[article]] tables")
    entries = []
    for number, item in enumerate(articles, start=1):
        where = f"{path}: article {number}"
        if not isinstance(item, dict) or not isinstance(item.get("file"), str):
            raise OptionError(f'{where}: needs a file = "..." key')
        unknown = set(item) - _KEYS
        if unknown:
            raise OptionError(f"{where}: unknown keys {sorted(unknown)}; allowed: {sorted(_KEYS)}")
        entries.append(
            ManifestEntry(
                path=path.parent / item["file"],
                meta=Metadata(
                    source=_text(item, "source", where),
                    url=_text(item, "url", where),
                    title=_text(item, "title", where),
                    published=_when(item, "published", where),
                    modified=_when(item, "modified", where),
                    native_id=_text(item, "id", where),
                    lang=parse_lang(item["lang"], where) if "lang" in item else None,
                ),
                format=parse_format(item["format"], where) if "format" in item else None,
            )
        )
    return entries


def parse_format(value: object, where: str) -> Format:
    """A format name as given by a user, or an ``OptionError`` listing the valid ones."""
    try:
        return Format(str(value))
    except ValueError as exc:
        names = ", ".join(f.value for f in Format)
        raise OptionError(f"{where}: unknown format {value!r}; use one of {names}") from exc


def _text(item: dict[str, object], key: str, where: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise OptionError(f"{where}: {key} must be a string")
    return str(value)


def _when(item: dict[str, object], key: str, where: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    parsed = parse_date(str(value))
    if parsed is None:
        raise OptionError(f"{where}: {key} = {value!r} is not a date; use ISO 8601 (2025-02-17)")
    return parsed
