"""Commit messages of ingest runs: a subject a person can scan in ``git log --oneline``, a body that
lists the articles, and trailers (``git interpret-trailers`` format) that tools can query.

Every value comes from normalized metadata, which is already one line; trailer values are cut at
line breaks once more so that no title or source name can forge a trailer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from provdiff import __version__
from provdiff.model import Metadata, RevisionKind
from provdiff.segment import sentences

_LISTED = 50  # articles named in the body before "... and N more"
_VERBS = {
    RevisionKind.FIRST: "added",
    RevisionKind.UPDATE: "revised",
    RevisionKind.REEXTRACT: "re-extracted",
    RevisionKind.METADATA: "metadata corrected",
    RevisionKind.SUSPECT: "flagged as suspected extraction failures",
}
Change = tuple[str, Metadata, RevisionKind, tuple[int, int]]  # id, metadata, kind, claims (+, -)


def claim_delta(before: Sequence[str], after: Sequence[str]) -> tuple[int, int]:
    """(claims added, claims removed) from paragraphs ``before`` to ``after``: sentences of one side
    the other lacks. Paragraphs both hold are not split at all: a revision costs what it changed.

    >>> claim_delta(["Same. Old one."], ["Same. New one.", "Extra."])
    (2, 1)
    """
    kept = set(before) & set(after)
    old = Counter(s for p in before if p not in kept for s in sentences(p))
    new = Counter(s for p in after if p not in kept for s in sentences(p))
    return sum((new - old).values()), sum((old - new).values())


def _one_line(value: str) -> str:
    """One line, without NUL (a commit object must not hold one, whatever the caller passed)."""
    return " ".join(value.replace("\x00", " ").split())


def _claims(added: int, removed: int) -> str:
    return f"claims +{added} -{removed}"


def commit_message(changes: list[Change], note: str = "") -> str:
    """The message of one ingest commit, from (article id, metadata, kind, claims) of each change.

    >>> print(commit_message([("src/x-1", Metadata(source="src", title="T"), RevisionKind.FIRST, (3, 0))]))
    Add src/x-1: T (claims +3 -0)
    <BLANKLINE>
    Added:
    - src/x-1: T (claims +3 -0)
    <BLANKLINE>
    Ingested-By: provdiff 0.1.0
    Provdiff-Change: first
    Articles-Changed: 1
    Claims-Added: 3
    Claims-Removed: 0
    Source: src
    Article: src/x-1
    """
    by_kind: dict[RevisionKind, list[tuple[str, Metadata, tuple[int, int]]]] = {}
    for article_id, meta, kind, claims in changes:
        by_kind.setdefault(kind, []).append((article_id, meta, claims))
    added = sum(claims[0] for *_, claims in changes)
    removed = sum(claims[1] for *_, claims in changes)
    if len(changes) == 1:
        article_id, meta, kind, _ = changes[0]
        verb = {RevisionKind.FIRST: "Add", RevisionKind.UPDATE: "Revise", RevisionKind.SUSPECT: "Flag"}.get(
            kind, "Re-record"
        )
        subject = f"{verb} {article_id}: {_one_line(meta.title or '')}"
    else:
        counts = ", ".join(f"{len(v)} {_VERBS[k]}" for k, v in by_kind.items())
        subject = f"Ingest {len(changes)} articles: {counts}"
    subject = f"{subject[:160]} ({_claims(added, removed)})"
    lines = [subject, ""]
    if note:
        lines += [_one_line(note), ""]
    for kind, articles in by_kind.items():
        lines.append(f"{_VERBS[kind].capitalize()}:")
        for article_id, meta, (plus, minus) in articles[:_LISTED]:
            lines.append(f"- {article_id}: {_one_line(meta.title or '')} ({_claims(plus, minus)})")
        if len(articles) > _LISTED:
            lines.append(f"- ... and {len(articles) - _LISTED} more")
        lines.append("")
    lines.append(f"Ingested-By: provdiff {__version__}")
    for kind in by_kind:
        lines.append(f"Provdiff-Change: {kind.value}")
    lines.append(f"Articles-Changed: {len(changes)}")
    lines.append(f"Claims-Added: {added}")
    lines.append(f"Claims-Removed: {removed}")
    for source in sorted({_one_line(meta.source or "") for _, meta, _, _ in changes}):
        lines.append(f"Source: {source}")
    if len(changes) == 1:
        article_id, meta, _, _ = changes[0]
        lines.append(f"Article: {article_id}")
        for key, value in (("URL", meta.url), ("Published", meta.published)):
            if value:
                lines.append(f"{key}: {_one_line(value)}")
    return "\n".join(lines)
