"""Rendering of a range review: terminal, Markdown (to paste into a pull request), JSON.

Symbols make the views readable without colour: ``+`` claim added, ``-`` removed, ``#`` figures
changed, ``~`` edited, ``.`` cosmetic, ``>`` moved. JSON carries ``schema: provdiff.review/1``.
"""

from __future__ import annotations

import json
from typing import Any

from provdiff.review import ADDED, COSMETIC, EDITED, FIGURES, MOVED, REMOVED, ClaimChange, Review

SCHEMA = "provdiff.review/1"
SYMBOL = {ADDED: "+", REMOVED: "-", FIGURES: "#", EDITED: "~", COSMETIC: ".", MOVED: ">"}
_LABEL = {
    ADDED: "claim added",
    REMOVED: "claim removed",
    FIGURES: "figures changed",
    EDITED: "claim edited",
    COSMETIC: "cosmetic edit",
    MOVED: "moved",
}


def _verdict(review: Review) -> str:
    changed = sum(article.substantive for article in review.articles)
    if not review.articles:
        return "no article changed"
    if not changed:
        return f"{len(review.articles)} article(s) changed, none substantively"
    return f"{len(review.articles)} article(s) changed, {changed} substantively"


def _text(change: ClaimChange) -> str:
    if change.kind == ADDED:
        return change.after
    if change.kind == REMOVED:
        return change.before
    if change.kind == MOVED:
        return f"{change.after} ({change.detail})"
    return f"{change.before} -> {change.after} ({change.detail})"


def review_text(review: Review) -> str:
    """The review for a terminal."""
    lines = [f"Review of {review.spec} ({review.base[:12]}..{review.head[:12]}): {_verdict(review)}"]
    for article in review.articles:
        lines += ["", f"{article.status} {article.article_id}: {article.title}"]
        lines += [f"  {SYMBOL[c.kind]} {_LABEL[c.kind]}: {_text(c)}" for c in article.changes]
    if review.now_recur:
        lines += ["", "Claims that now recur:", *(f"  R {line}" for line in review.now_recur)]
    if review.new_conflicts:
        lines += ["", "Conflicts:", *(f"  ! {line}" for line in review.new_conflicts)]
    if review.gained:
        lines += ["", "Now the same claim as another article's:", *(f"  + {line}" for line in review.gained)]
    if review.lost:
        lines += [
            "",
            "No longer the same claim as another article's:",
            *(f"  - {line}" for line in review.lost),
        ]
    return "\n".join(lines)


_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|~#"})


def _md(text: str) -> str:
    return text.translate(_MD_SPECIAL)


def review_markdown(review: Review) -> str:
    """The review as Markdown, for a pull request description or comment."""
    lines = [
        f"## provdiff review: `{review.spec}`",
        "",
        f"`{review.base[:12]}..{review.head[:12]}`: {_verdict(review)}.",
    ]
    for article in review.articles:
        flag = " (substantive)" if article.substantive else ""
        lines += [
            "",
            f"### {article.status}: `{article.article_id}`{flag}",
            "",
            f"_{_md(article.title)}_",
            "",
        ]
        if not article.changes:
            lines.append("- no claim-level change (metadata only)")
        for change in article.changes:
            if change.kind in (ADDED, REMOVED):
                lines.append(f"- **{_LABEL[change.kind]}**: {_md(_text(change))}")
            elif change.kind == MOVED:
                lines.append(f"- **moved** ({change.detail}): {_md(change.after)}")
            else:
                lines.append(f"- **{_LABEL[change.kind]}** ({_md(change.detail)})")
                lines.append(f"  - before: {_md(change.before)}")
                lines.append(f"  - after: {_md(change.after)}")
    if review.now_recur:
        lines += ["", "### Claims that now recur", "", *(f"- {_md(line)}" for line in review.now_recur)]
    if review.new_conflicts:
        lines += ["", "### Conflicts", "", *(f"- {_md(line)}" for line in review.new_conflicts)]
    if review.gained:
        lines += [
            "",
            "### Now the same claim as another article's",
            "",
            *(f"- {_md(x)}" for x in review.gained),
        ]
    if review.lost:
        lines += [
            "",
            "### No longer the same claim as another article's",
            "",
            *(f"- {_md(x)}" for x in review.lost),
        ]
    return "\n".join(lines) + "\n"


def review_json(review: Review) -> str:
    """The review as JSON (``provdiff.review/1``)."""
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "range": review.spec,
        "base": review.base,
        "head": review.head,
        "substantive": review.substantive,
        "articles": [
            {
                "id": article.article_id,
                "status": article.status,
                "title": article.title,
                "substantive": article.substantive,
                "changes": [
                    {
                        "kind": change.kind,
                        "before": change.before,
                        "after": change.after,
                        "detail": change.detail,
                        "claim": change.claim_id or None,
                    }
                    for change in article.changes
                ],
            }
            for article in review.articles
        ],
        "now_recur": list(review.now_recur),
        "conflicts": list(review.new_conflicts),
        "links_gained": list(review.gained),
        "links_lost": list(review.lost),
    }
    return json.dumps(document, ensure_ascii=False, indent=1)
