"""Rendering of the source audit: terminal, Markdown, JSON (``provdiff.audit/1``) and CSV.

Every view is built from one column table, so the four formats cannot disagree about what a column
holds. A rate is shown beside the counts it comes from ("3/10 30%"), never alone, and a row whose
rates rest on few items carries a small-sample note: the audit describes, it does not judge.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from provdiff.audit import AuditOptions, Evidence, SourceAudit

SCHEMA = "provdiff.audit/1"
DISCLAIMER = (
    "Counts and rates describe what the corpus holds; they are not verdicts on a source "
    "(definitions: docs/guides/audit.md)."
)


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    show: Callable[[SourceAudit], str]


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} {part / whole:.0%}" if whole else "-"


def _hours(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


SECTIONS: tuple[tuple[str, tuple[Column, ...]], ...] = (
    (
        "Claims",
        (
            Column("articles", lambda r: str(r.articles)),
            Column("claims", lambda r: str(r.claims)),
            Column("corroborated", lambda r: _share(r.corroborated, r.claims)),
            Column("exclusive", lambda r: _share(r.exclusive, r.claims)),
            Column("varies", lambda r: str(r.varies)),
            Column("conflicts", lambda r: str(r.conflicts)),
            Column("vs majority", lambda r: str(r.against_majority)),
            Column("copied paragraphs", lambda r: _share(r.copied_paragraphs, r.paragraphs)),
        ),
    ),
    (
        "Revisions",
        (
            Column("revised articles", lambda r: f"{r.revised_articles}/{r.articles}"),
            Column("edits", lambda r: str(r.edits)),
            Column("substantive", lambda r: str(r.substantive)),
            Column("cosmetic", lambda r: str(r.cosmetic)),
            Column("silent", lambda r: _share(r.silent, r.substantive)),
            Column("median h to 1st edit", lambda r: _hours(r.median_hours_to_first_edit)),
            Column("re-extractions", lambda r: str(r.reextractions)),
            Column("metadata only", lambda r: str(r.metadata_revisions)),
            Column("suspect extractions", lambda r: str(r.suspect_extractions)),
        ),
    ),
    (
        "Hygiene",
        (
            Column("boilerplate", lambda r: str(r.boilerplate)),
            Column("duplicates", lambda r: str(r.duplicates)),
            Column("encoding repairs", lambda r: str(r.encoding)),
            Column("salvaged", lambda r: str(r.salvaged)),
            Column("modified < published", lambda r: str(r.date_inconsistent)),
            Column("no published date", lambda r: str(r.missing_dates)),
        ),
    ),
)

# Every count of a row, in CSV and JSON order.
COUNTS = (
    "articles",
    "claims",
    "corroborated",
    "exclusive",
    "varies",
    "conflicts",
    "against_majority",
    "paragraphs",
    "copied_paragraphs",
    "revised_articles",
    "edits",
    "substantive",
    "cosmetic",
    "silent",
    "reextractions",
    "metadata_revisions",
    "suspect_extractions",
    "boilerplate",
    "duplicates",
    "encoding",
    "salvaged",
    "date_inconsistent",
    "missing_dates",
)
RATES = ("corroboration", "exclusivity", "conflict_rate", "copied_share", "original_share", "silent_share")


def _scope(options: AuditOptions) -> str:
    parts = [f"small sample below {options.min_sample}"]
    if options.since:
        parts.insert(0, f"articles since {options.since}")
    return "; ".join(parts)


def _notes(rows: Sequence[SourceAudit], options: AuditOptions) -> list[str]:
    return [
        f"{row.source}: small sample, {'; '.join(notes)}"
        for row in rows
        if (notes := row.small_samples(options.min_sample))
    ]


def _evidence(row: SourceAudit) -> dict[str, list[Evidence]]:
    """The row's evidence grouped by metric, metrics and refs sorted."""
    grouped: dict[str, list[Evidence]] = {}
    for item in sorted(row.evidence, key=lambda e: (e.metric, e.ref)):
        grouped.setdefault(item.metric, []).append(item)
    return grouped


def audit_text(rows: Sequence[SourceAudit], options: AuditOptions, explain: str | None = None) -> str:
    """Three aligned tables (claims, revisions, hygiene), notes, and the evidence when asked."""
    lines = [f"Source audit: {len(rows)} source(s); {_scope(options)}", DISCLAIMER]
    for title, columns in SECTIONS:
        table = [["source", *(c.header for c in columns)]]
        table += [[row.source, *(c.show(row) for c in columns)] for row in rows]
        widths = [max(len(line[k]) for line in table) for k in range(len(table[0]))]
        lines += ["", f"{title}:"]
        for line in table:
            cells = [line[0].ljust(widths[0])] + [
                cell.rjust(w) for cell, w in zip(line[1:], widths[1:], strict=True)
            ]
            lines.append("  " + "  ".join(cells).rstrip())
    if notes := _notes(rows, options):
        lines += ["", "Notes:", *(f"  - {n}" for n in notes)]
    for row in rows:
        if row.source == explain:
            lines += ["", f"Evidence for {row.source}:"]
            for metric, items in _evidence(row).items():
                lines += [f"  {metric}:", *(f"    {e.ref} - {e.detail}" for e in items)]
    return "\n".join(lines)


def audit_markdown(rows: Sequence[SourceAudit], options: AuditOptions, explain: str | None = None) -> str:
    """The same tables in Markdown, to paste into a pull request or a report."""
    lines = ["## provdiff source audit", "", f"{len(rows)} sources; {_scope(options)}. _{DISCLAIMER}_"]
    for title, columns in SECTIONS:
        lines += ["", f"### {title}", ""]
        lines.append("| source | " + " | ".join(c.header for c in columns) + " |")
        lines.append("|---" * (len(columns) + 1) + "|")
        lines += [f"| {row.source} | " + " | ".join(c.show(row) for c in columns) + " |" for row in rows]
    if notes := _notes(rows, options):
        lines += ["", "### Notes", "", *(f"- {n}" for n in notes)]
    for row in rows:
        if row.source == explain:
            lines += ["", f"### Evidence for {row.source}"]
            for metric, items in _evidence(row).items():
                lines += ["", f"#### {metric}", "", *(f"- `{e.ref}` {e.detail}" for e in items)]
    return "\n".join(lines) + "\n"


def _row_json(row: SourceAudit, options: AuditOptions, explain: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"source": row.source}
    out.update({name: getattr(row, name) for name in COUNTS})
    out["median_hours_to_first_edit"] = row.median_hours_to_first_edit
    out["rates"] = {name: getattr(row, name) for name in RATES}
    out["small_sample"] = row.small_samples(options.min_sample)
    if row.source == explain:
        out["evidence"] = [{"metric": e.metric, "ref": e.ref, "detail": e.detail} for e in row.evidence]
    return out


def audit_json(rows: Sequence[SourceAudit], options: AuditOptions, explain: str | None = None) -> str:
    """The audit as JSON (``provdiff.audit/1``); the explained source carries its evidence list."""
    document = {
        "schema": SCHEMA,
        "options": {"min_sample": options.min_sample, "since": options.since, "source": options.source},
        "sources": [_row_json(row, options, explain) for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


def audit_csv(rows: Sequence[SourceAudit], options: AuditOptions, explain: str | None = None) -> str:
    """One CSV row per source (counts, then rates); with ``explain``, the evidence rows instead."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if explain is not None:
        writer.writerow(["source", "metric", "ref", "detail"])
        for row in rows:
            if row.source == explain:
                writer.writerows([row.source, e.metric, e.ref, e.detail] for e in row.evidence)
        return buffer.getvalue()
    writer.writerow(["source", *COUNTS, "median_hours_to_first_edit", *RATES, "small_sample"])
    for row in rows:
        rates = ["" if (r := getattr(row, name)) is None else f"{r:.4f}" for name in RATES]
        median = "" if row.median_hours_to_first_edit is None else f"{row.median_hours_to_first_edit:.2f}"
        writer.writerow(
            [
                row.source,
                *(getattr(row, name) for name in COUNTS),
                median,
                *rates,
                "; ".join(row.small_samples(options.min_sample)),
            ]
        )
    return buffer.getvalue()
