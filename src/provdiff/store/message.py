"""Commit messages of ingest runs: a subject a person can scan in ``git log --oneline``, a body that
lists the articles, and trailers (``git interpret-trailers`` format) that tools can query.

Every value comes from normalized metadata, which is already one line; trailer values are cut at
line breaks once more so that no title or source name can forge a trailer.
"""

from __future__ import annotations

from provdiff import __version__
from provdiff.model import Metadata, RevisionKind

_LISTED = 50  # articles named in the body before "... and N more"
_VERBS = {
    RevisionKind.FIRST: "added",
    RevisionKind.UPDATE: "revised",
    RevisionKind.REEXTRACT: "re-extracted",
    RevisionKind.METADATA: "metadata corrected",
}


def _one_line(value: str) -> str:
    return " ".join(value.split())


def commit_message(changes: list[tuple[str, Metadata, RevisionKind]], note: str = "") -> str:
    """The message of one ingest commit, from (article id, metadata, kind) of each change.

    >>> print(commit_message([("src/x-1", Metadata(source="src", title="T"), RevisionKind.FIRST)]))
    Add src/x-1: T
    <BLANKLINE>
    Added:
    - src/x-1: T
    <BLANKLINE>
    Ingested-By: provdiff 0.1.0
    Provdiff-Change: first
    Articles-Changed: 1
    Source: src
    Article: src/x-1
    """
    by_kind: dict[RevisionKind, list[tuple[str, Metadata]]] = {}
    for article_id, meta, kind in changes:
        by_kind.setdefault(kind, []).append((article_id, meta))
    if len(changes) == 1:
        article_id, meta, kind = changes[0]
        verb = {RevisionKind.FIRST: "Add", RevisionKind.UPDATE: "Revise"}.get(kind, "Re-record")
        subject = f"{verb} {article_id}: {_one_line(meta.title or '')}"
    else:
        counts = ", ".join(f"{len(v)} {_VERBS[k]}" for k, v in by_kind.items())
        subject = f"Ingest {len(changes)} articles: {counts}"
    lines = [subject[:200], ""]
    if note:
        lines += [_one_line(note), ""]
    for kind, articles in by_kind.items():
        lines.append(f"{_VERBS[kind].capitalize()}:")
        for article_id, meta in articles[:_LISTED]:
            lines.append(f"- {article_id}: {_one_line(meta.title or '')}")
        if len(articles) > _LISTED:
            lines.append(f"- ... and {len(articles) - _LISTED} more")
        lines.append("")
    lines.append(f"Ingested-By: provdiff {__version__}")
    for kind in by_kind:
        lines.append(f"Provdiff-Change: {kind.value}")
    lines.append(f"Articles-Changed: {len(changes)}")
    for source in sorted({_one_line(meta.source or "") for _, meta, _ in changes}):
        lines.append(f"Source: {source}")
    if len(changes) == 1:
        article_id, meta, _ = changes[0]
        lines.append(f"Article: {article_id}")
        for key, value in (("URL", meta.url), ("Published", meta.published)):
            if value:
                lines.append(f"{key}: {_one_line(value)}")
    return "\n".join(lines)
