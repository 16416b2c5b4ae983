"""Rendering of corpus listings: ingest outcome, article list, revision log, one article.

JSON output carries a ``schema`` number so scripts can detect format changes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from provdiff.model import Action, Article, IngestOutcome, Metadata, RepairEvent, Revision, Story
from provdiff.segment.language import article_language, paragraph_languages

JSON_SCHEMA = 1


def _json(document: dict[str, object]) -> str:
    return json.dumps({"schema": JSON_SCHEMA, **document}, ensure_ascii=False, indent=2)


# (field of IngestOutcome, words in the summary line, label on an article's line; "" = not listed)
_OUTCOME_KINDS = (
    ("added", "added", "added"),
    ("updated", "revised", "revised"),
    ("reextracted", "re-extracted", "re-extracted"),
    ("metadata", "metadata corrected", "metadata"),
    ("suspect", "flagged as suspected extraction failures", "suspect"),
    ("unchanged", "unchanged", ""),
)


def ingest_text(outcome: IngestOutcome) -> str:
    """One summary line plus one line per changed article."""
    groups = [(getattr(outcome, name), words, label) for name, words, label in _OUTCOME_KINDS]
    head = ", ".join(f"{len(ids)} {words}" for ids, words, _ in groups if ids) or "nothing to ingest"
    if outcome.commit is None:
        return f"{head}; no commit (nothing new)"
    lines = [f"{head}; commit {outcome.commit[:12]}"]
    for ids, _, label in groups:
        if label:
            lines.extend(f"  {label:<13} {article_id}" for article_id in ids)
    return "\n".join(lines)


def ingest_json(outcome: IngestOutcome) -> str:
    """The outcome as JSON."""
    return _json(
        {
            "commit": outcome.commit,
            "added": list(outcome.added),
            "revised": list(outcome.updated),
            "reextracted": list(outcome.reextracted),
            "metadata": list(outcome.metadata),
            "suspect": list(outcome.suspect),
            "unchanged": list(outcome.unchanged),
            "refused": list(outcome.refused),
        }
    )


def list_text(rows: Sequence[tuple[str, Metadata, int]]) -> str:
    """One line per article: id, revisions, published date, title."""
    if not rows:
        return "no articles yet; add some with: provdiff ingest FILE..."
    lines = []
    for article_id, meta, count in rows:
        lines.append(f"{article_id}  r{count}  {meta.published or '-':<20}  {meta.title or ''}")
    return "\n".join(lines)


def list_json(rows: Sequence[tuple[str, Metadata, int]]) -> str:
    """Articles as JSON."""
    return _json(
        {
            "articles": [
                {"id": article_id, "revisions": count, **_meta(meta)} for article_id, meta, count in rows
            ]
        }
    )


def log_text(revisions: Sequence[Revision]) -> str:
    """One line per revision, oldest first."""
    return "\n".join(f"@{r.number}  {r.commit[:12]}  {r.committed_at}  {r.kind.value}" for r in revisions)


def log_json(revisions: Sequence[Revision]) -> str:
    """Revisions as JSON."""
    return _json(
        {
            "article": revisions[0].article_id if revisions else None,
            "revisions": [
                {"number": r.number, "commit": r.commit, "committed_at": r.committed_at, "kind": r.kind.value}
                for r in revisions
            ],
        }
    )


def show_text(article: Article, revision: Revision, *, repairs: bool = False) -> str:
    """Header, paragraphs, and (with ``repairs``) the repair record."""
    meta = article.meta
    lines = [
        f"{article.article_id}@{revision.number} ({revision.commit[:12]}, {revision.kind.value})",
        f"title:     {meta.title or ''}",
        f"source:    {meta.source or ''}",
    ]
    for label, value in (
        ("url", meta.url),
        ("published", meta.published),
        ("modified", meta.modified),
        ("captured", article.captured_at),
        ("language", _language(article)),
    ):
        if value:
            lines.append(f"{label + ':':<10} {value}")
    lines.append("")
    lines.extend(f"[{n}] {p}\n" for n, p in enumerate(article.paragraphs, start=1))
    flagged = [e for e in article.repairs if e.action is Action.FLAGGED]
    if flagged:
        lines.extend(f"warning: {e.kind}: {e.detail}" for e in flagged)
    if repairs:
        lines.append(f"{len(article.repairs)} repair event(s):")
        lines.extend(f"  {_event_line(e)}" for e in article.repairs)
    return "\n".join(lines).rstrip("\n")


def _short(text: str, limit: int = 72) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _event_line(event: RepairEvent) -> str:
    """``action kind (block n): detail: 'before' -> 'after'``, long texts shortened (JSON has them whole)."""
    where = f" (block {event.position})" if event.position is not None else ""
    line = f"{event.action.value} {event.kind}{where}: {event.detail}"
    if event.before and event.after:
        return f"{line}: {_short(event.before)} -> {_short(event.after)}"
    if event.before or event.after:
        return f"{line}: {_short(event.before or event.after)}"
    return line


def show_json(article: Article, revision: Revision) -> str:
    """One article version as JSON, with its repair record."""
    return _json(
        {
            "id": article.article_id,
            "revision": revision.number,
            "commit": revision.commit,
            "kind": revision.kind.value,
            "format": article.format.value,
            **_meta(article.meta),
            "lang": article_language(article.paragraphs, article.meta.lang),
            "paragraphs": list(article.paragraphs),
            "paragraph_languages": list(paragraph_languages(article.paragraphs, article.meta.lang)),
            "repairs": [
                {
                    "kind": e.kind,
                    "action": e.action.value,
                    "detail": e.detail,
                    "before": e.before,
                    "after": e.after,
                    "position": e.position,
                }
                for e in article.repairs
            ],
        }
    )


def _language(article: Article) -> str | None:
    """ "ko", "ko (given)", or "ko; paragraph 3 en" for a mixed article; None when unknown."""
    lang = article_language(article.paragraphs, article.meta.lang)
    if lang is None:
        return None
    others = [
        f"paragraph {n} {own}"
        for n, own in enumerate(paragraph_languages(article.paragraphs, article.meta.lang), start=1)
        if own is not None and own != lang
    ]
    return "; ".join([lang + (" (given)" if article.meta.lang else ""), *others])


def _meta(meta: Metadata) -> dict[str, str]:
    return {k: v for k in meta.__slots__ if (v := getattr(meta, k)) is not None}


def stories_text(stories: Sequence[Story], threshold: float) -> str:
    """Stories covered by two or more articles, each article on a line; then how many stand alone."""
    shared = [story for story in stories if len(story.articles) > 1]
    lines = [
        f"{len(stories)} stor{'y' if len(stories) == 1 else 'ies'}, {len(shared)} covered by several "
        f"articles (similarity threshold {threshold})"
    ]
    for story in shared:
        lines += ["", f"story {story.number}: {len(story.articles)} articles, {len(story.sources)} source(s)"]
        for (article_id, meta), closest in zip(story.articles, story.closest, strict=True):
            lines.append(f"  {meta.published or '-':<20}  {article_id}  {meta.title or ''}")
            if closest is not None:
                lines.append(f"  {'':<20}  closest: {closest[0]} (similarity {closest[1]:.3f})")
    return "\n".join(lines)


def stories_json(stories: Sequence[Story], threshold: float) -> str:
    """The stories as JSON (``provdiff.stories/1``)."""
    return _json(
        {
            "schema": "provdiff.stories/1",
            "threshold": threshold,
            "stories": [
                {
                    "story": story.number,
                    "sources": list(story.sources),
                    "articles": [
                        {
                            "id": article_id,
                            "source": meta.source,
                            "published": meta.published,
                            "title": meta.title,
                            "closest": {"id": closest[0], "similarity": closest[1]} if closest else None,
                        }
                        for (article_id, meta), closest in zip(story.articles, story.closest, strict=True)
                    ],
                }
                for story in stories
            ],
        }
    )
