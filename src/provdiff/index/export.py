"""The corpus as plain SQLite tables, for Datasette, pandas, DuckDB or any SQL client.

The claim index (``.provdiff/index.sqlite``) is provdiff's own: packed columns, a memo of
judgements, no group status, rebuilt at will. An export is the reader's copy: one row per thing a
reader counts, columns named as the JSON outputs name them, figures and evidence as columns and
JSON text, the status and conflicts of every group, the audit figures of every source. It is a
snapshot of the corpus at one commit (``meta`` says which), written under a temporary name and
renamed when complete, so a reader never opens half a file. ``datasette FILE`` browses it with no
plugin (``provdiff[browse]``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path

from provdiff import __version__
from provdiff.audit import SourceAudit
from provdiff.errors import OptionError
from provdiff.model import Claim, ClaimGroup, Metadata, Revision
from provdiff.segment import dates, figures, names, plain

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE articles (
    id TEXT PRIMARY KEY, source TEXT, title TEXT, url TEXT, published TEXT, modified TEXT,
    lang TEXT, revisions INTEGER
);
CREATE TABLE revisions (
    article_id TEXT REFERENCES articles(id), number INTEGER, "commit" TEXT, committed_at TEXT, kind TEXT,
    PRIMARY KEY (article_id, number)
);
CREATE TABLE claims (
    id TEXT PRIMARY KEY, article_id TEXT REFERENCES articles(id), revision INTEGER, paragraph INTEGER,
    sentence INTEGER, source TEXT, "when" TEXT, text TEXT, group_id TEXT REFERENCES groups(id),
    dates TEXT, names TEXT
);
CREATE TABLE figures (
    claim_id TEXT REFERENCES claims(id), position INTEGER, text TEXT, value REAL, unit TEXT, token TEXT,
    PRIMARY KEY (claim_id, position)
);
CREATE TABLE groups (
    id TEXT PRIMARY KEY, status TEXT, conflict INTEGER, claims INTEGER, sources INTEGER,
    independent_sources INTEGER, source_names TEXT, first_claim TEXT REFERENCES claims(id),
    first_source TEXT, first_when TEXT, text TEXT, variations TEXT, conflicts TEXT
);
CREATE TABLE links (
    group_id TEXT REFERENCES groups(id), a TEXT REFERENCES claims(id), b TEXT REFERENCES claims(id),
    relation TEXT, score REAL, conflict TEXT, reason TEXT, evidence TEXT
);
CREATE TABLE sources (
    source TEXT PRIMARY KEY, articles INTEGER, claims INTEGER, corroborated INTEGER, exclusive INTEGER,
    varies INTEGER, conflicts INTEGER, against_majority INTEGER, paragraphs INTEGER,
    copied_paragraphs INTEGER, revised_articles INTEGER, edits INTEGER, substantive INTEGER,
    cosmetic INTEGER, silent INTEGER, reextractions INTEGER, metadata_revisions INTEGER,
    suspect_extractions INTEGER, median_hours_to_first_edit REAL, boilerplate INTEGER,
    duplicates INTEGER, encoding INTEGER, salvaged INTEGER, date_inconsistent INTEGER,
    missing_dates INTEGER
);
CREATE INDEX claims_by_group ON claims(group_id);
CREATE INDEX claims_by_article ON claims(article_id);
CREATE INDEX links_by_group ON links(group_id);
"""

# the audit's counts, in the order of the ``sources`` table (its evidence lists stay in --explain)
_AUDIT_COLUMNS = [name for name in SourceAudit.__dataclass_fields__ if name != "evidence"]


def write_sqlite(
    path: Path,
    *,
    head: str,
    articles: Sequence[tuple[str, Metadata, int, str | None]],
    revisions: Iterable[Revision],
    groups: Iterable[ClaimGroup],
    audit: Sequence[SourceAudit],
) -> dict[str, int]:
    """Write the export to ``path`` (replacing it only when complete); the row count per table.

    ``articles`` is (id, metadata, revisions, language) per article; ``groups`` every claim group,
    streamed (a claim is in exactly one group's ``claims``)."""
    part = path.with_name(f".{path.name}.part")
    try:
        part.unlink(missing_ok=True)
        db = sqlite3.connect(part)
    except (OSError, sqlite3.Error) as exc:
        raise OptionError(f"cannot write {path}: {exc}; give --sqlite a writable file") from None
    try:
        db.executescript(SCHEMA)
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("provdiff", __version__), ("commit", head), ("schema", "provdiff.export/1")],
        )
        db.executemany(
            "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (a_id, meta.source, meta.title, meta.url, meta.published, meta.modified, lang, count)
                for a_id, meta, count, lang in articles
            ],
        )
        db.executemany(
            "INSERT INTO revisions VALUES (?, ?, ?, ?, ?)",
            ((r.article_id, r.number, r.commit, r.committed_at, r.kind.value) for r in revisions),
        )
        for group in groups:
            _group(db, group)
        db.executemany(
            f"INSERT INTO sources VALUES ({', '.join('?' for _ in _AUDIT_COLUMNS)})",
            ([getattr(row, name) for name in _AUDIT_COLUMNS] for row in audit),
        )
        db.commit()
        counts = {
            table: int(db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
            for table in ("articles", "revisions", "claims", "figures", "groups", "links", "sources")
        }
    except (OSError, sqlite3.Error) as exc:
        raise OptionError(f"cannot write {path}: {exc}; give --sqlite a writable file") from None
    finally:
        db.close()
    try:
        part.replace(path)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise OptionError(f"cannot write {path}: {exc.strerror}; give --sqlite a writable file") from None
    return counts


def _group(db: sqlite3.Connection, group: ClaimGroup) -> None:
    first = group.claims[0]
    db.execute(
        "INSERT INTO groups VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            group.group_id,
            group.status.value,
            int(bool(group.conflicts)),
            len(group.claims),
            len(group.sources),
            len(group.independent_sources),
            json.dumps(list(group.sources), ensure_ascii=False),
            first.claim_id,
            first.source,
            first.when,
            first.text,
            json.dumps(list(group.variations), ensure_ascii=False),
            json.dumps(list(group.conflicts), ensure_ascii=False),
        ),
    )
    for claim in group.claims:
        _claim(db, claim, group.group_id)
    db.executemany(
        "INSERT INTO links VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                group.group_id,
                link.a.claim_id,
                link.b.claim_id,
                link.relation.value,
                link.score,
                link.conflict or None,
                link.evidence.reason if link.evidence is not None else None,
                json.dumps(asdict(link.evidence), ensure_ascii=False) if link.evidence is not None else None,
            )
            for link in group.links
        ),
    )


def _claim(db: sqlite3.Connection, claim: Claim, group_id: str) -> None:
    flat = plain(claim.text)
    db.execute(
        "INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            claim.claim_id,
            claim.article_id,
            claim.revision,
            claim.paragraph + 1,
            claim.sentence + 1,
            claim.source,
            claim.when,
            claim.text,
            group_id,
            json.dumps(list(dates(flat))),
            json.dumps(list(names(flat)), ensure_ascii=False),
        ),
    )
    db.executemany(
        "INSERT INTO figures VALUES (?, ?, ?, ?, ?, ?)",
        (
            (claim.claim_id, k, flat[f.start : f.end], f.value, f.unit, f.token)
            for k, f in enumerate(figures(flat), start=1)
        ),
    )
