"""Rendering of claim groups, the corpus summary and blame: terminal, Markdown, JSON.

Status symbols make the views readable without colour: ``R`` recurs, ``V`` varies, ``U`` unique,
``!`` conflict. JSON documents carry ``schema`` (``provdiff.claims/1``, ``provdiff.report/1``,
``provdiff.blame/1``) and the thresholds used.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Any

from provdiff.claims.options import RelationOptions
from provdiff.model import (
    Article,
    BlameLine,
    Claim,
    ClaimGroup,
    ClaimLink,
    Evidence,
    GroupStatus,
    Relation,
    Revision,
)
from provdiff.segment import dates, figures, names, plain
from provdiff.segment.amounts import readable

if TYPE_CHECKING:  # the lookup's types only: rendering loads none of the relation
    from provdiff.claims.lookup import Lookup, Pair
    from provdiff.claims.relation import Judgement

SYMBOL = {GroupStatus.RECURS: "R", GroupStatus.VARIES: "V", GroupStatus.UNIQUE: "U"}
_OUTLIER_DAYS = 30  # a published date this far from its claim group's median is reported


def _thresholds(options: RelationOptions) -> str:
    return "thresholds: " + ", ".join(f"{name} {value}" for name, value in options.echo().items())


def explain(link: ClaimLink) -> str:
    """Why two claims are one, in a line: the relation, the rule, every score, figures and names."""
    return f"{link.a.claim_id} ~ {link.b.claim_id}: " + evidence_line(
        link.relation, link.score, link.evidence
    )


def evidence_line(relation: Relation, score: float, evidence: Evidence | None) -> str:
    """The relation of a pair and its evidence, in a line: the rule, every score, figures, names."""
    found = evidence or Evidence(wording=0.0, copy=0.0, skeleton=0.0)
    parts = [
        f"{relation.value} {score:.2f} ({found.reason or 'no evidence stored'})",
        f"wording {found.wording:.2f}, copy {found.copy:.2f}, skeleton {found.skeleton:.2f}, "
        f"word set {found.word_set:.2f}, restates {found.restates:.2f}"
        + (f", meaning {found.meaning:.2f}" if found.meaning is not None else ""),
    ]
    if found.shared_figures:
        parts.append("figures shared: " + readable(", ".join(found.shared_figures)))
    if found.differing_figures:
        differ = "; ".join(f"{a} vs {b}" for a, b in found.differing_figures)
        parts.append("figures differ: " + readable(differ))
    if found.shared_names:
        parts.append("names shared: " + ", ".join(found.shared_names))
    if found.names_only_a or found.names_only_b:
        parts.append(
            f"names differ: {', '.join(found.names_only_a) or '-'} vs {', '.join(found.names_only_b) or '-'}"
        )
    return "; ".join(parts)


def _claim_json(claim: Claim) -> dict[str, Any]:
    flat = plain(claim.text)
    return {
        "id": claim.claim_id,
        "article": claim.article_id,
        "revision": claim.revision,
        "source": claim.source,
        "when": claim.when,
        "text": claim.text,
        "figures": [
            {"text": flat[f.start : f.end], "value": f.value, "unit": f.unit, "token": f.token}
            for f in figures(flat)
        ],
        "dates": list(dates(flat)),
        "names": list(names(flat)),
    }


def _link_json(link: ClaimLink) -> dict[str, Any]:
    return {
        "a": link.a.claim_id,
        "b": link.b.claim_id,
        "relation": link.relation.value,
        "score": link.score,
        "conflict": link.conflict or None,
        "evidence": asdict(link.evidence) if link.evidence is not None else None,
    }


def group_json(group: ClaimGroup) -> dict[str, Any]:
    """One group as a JSON-ready dict."""
    claims = [_claim_json(c) for c in group.claims]
    return {
        "id": group.group_id,
        "status": group.status.value,
        "conflict": bool(group.conflicts),
        "sources": list(group.sources),
        "independent_sources": list(group.independent_sources),
        "first": claims[0],
        "claims": claims,
        "also": [_claim_json(c) for c in group.also],
        "links": [_link_json(link) for link in group.links],
        "copies": list(group.copies),
        "variations": list(group.variations),
        "conflicts": list(group.conflicts),
    }


def _head(group: ClaimGroup) -> str:
    flag = " !" if group.conflicts else ""
    first = group.claims[0]
    return (
        f"{SYMBOL[group.status]}{flag} {group.group_id} {group.status.value}: "
        f"{len(group.sources)} source(s), {len(group.independent_sources)} independent; "
        f"first {first.source} {first.when[:10]}"
    )


def groups_text(
    groups: Iterable[ClaimGroup], options: RelationOptions, *, why: bool = False
) -> Iterator[str]:
    """Groups for the terminal: a header line per group, then each appearance (``also``: a claim of
    another group that states this one too), the notes, and with ``why`` every link's evidence;
    the count last.

    Like every group renderer it yields one piece per group, written as it comes: a corpus of 100k
    articles has millions of groups, too many to hold as one string.
    """
    yield _thresholds(options)
    count = 0
    for count, group in enumerate(groups, 1):  # noqa: B007 - the count is read after the loop
        copies = set(group.copies)
        lines = ["", _head(group)]
        for claim in group.claims:
            mark = "copy " if claim.claim_id in copies else "     "
            lines.append(f"  {mark}{claim.source:<20} {claim.when[:10]}  {claim.text}")
        lines.extend(f"  also {c.source:<20} {c.when[:10]}  {c.text}" for c in group.also)
        lines.extend(f"  note: {text}" for text in group.variations)
        if why:
            lines.extend(f"  why: {explain(link)}" for link in group.links)
        yield "\n".join(lines)
    yield f"\n{count} group(s)"


def groups_markdown(
    groups: Iterable[ClaimGroup], options: RelationOptions, *, why: bool = False
) -> Iterator[str]:
    """Groups as Markdown: one section per group with a table of appearances (and with ``why`` the
    evidence of each link)."""
    yield f"_{_thresholds(options)}_"
    for group in groups:
        lines = ["", f"#### {_head(group)}", "", "| source | when | copy | claim |", "|---|---|---|---|"]
        copies = set(group.copies)
        for claim in group.claims:
            text = claim.text.replace("|", "\\|")
            copy = "yes" if claim.claim_id in copies else ""
            lines.append(f"| {claim.source} | {claim.when[:10]} | {copy} | {text} |")
        for claim in group.also:
            text = claim.text.replace("|", "\\|")
            lines.append(f"| {claim.source} | {claim.when[:10]} | also | {text} |")
        lines += [f"- {v}" for v in group.variations]
        if why:
            lines += [f"- why: {explain(link)}" for link in group.links]
        yield "\n".join(lines)


def groups_json(
    groups: Iterable[ClaimGroup], options: RelationOptions, *, why: bool = False
) -> Iterator[str]:
    """Groups as JSON (``provdiff.claims/1``), one group per line.

    Each group is encoded compactly by the C encoder and written before the next is built. Indenting
    the whole document forced Python's pure-Python encoder: at 3,000 generated articles that took
    47 of the command's 58 seconds and a gigabyte of memory. A group per line also suits line tools.
    """
    del why  # the JSON always carries every link's evidence
    head = json.dumps({"schema": "provdiff.claims/1", "thresholds": options.echo()}, ensure_ascii=False)
    yield head[:-1] + ', "groups": ['
    held = None  # each line but the last ends with a comma: hold one line back
    for group in groups:
        if held is not None:
            yield held + ","
        held = json.dumps(group_json(group), ensure_ascii=False)
    if held is not None:
        yield held
    yield "]}"


def matches_text(lookups: Iterable[Lookup], options: RelationOptions, *, why: bool = False) -> Iterator[str]:
    """A claim lookup for the terminal: each sentence looked up, then its matches, best first
    (relation, score, source, first seen, article and place, the corpus's sentence); ``weak``
    marks a match the corpus keeps only between articles of one story; with ``why`` the evidence."""
    yield _thresholds(options)
    total = 0
    for found in lookups:
        lines = ["", f"> {found.text}"]
        for match in found.matches:
            claim, judged = match.claim, match.judgement
            weak = " weak" if match.weak else ""
            lines.append(
                f"  {judged.relation.value + weak:<19} {judged.score:.2f}  {claim.source:<20} "
                f"{claim.when[:10]}  {claim.claim_id}"
            )
            lines.append(f"      {claim.text}")
            if why:
                lines.append(f"      why: {evidence_line(judged.relation, judged.score, judged.evidence)}")
        if not found.matches:
            lines.append("  no claim of the corpus states it")
        total += len(found.matches)
        yield "\n".join(lines)
    yield f"\n{total} match(es)"


def matches_json(lookups: Iterable[Lookup], options: RelationOptions) -> str:
    """A claim lookup as JSON (``provdiff.match/1``): each sentence and its matches, best first."""
    return json.dumps(
        {
            "schema": "provdiff.match/1",
            "thresholds": options.echo(),
            "queries": [
                {
                    "text": found.text,
                    "matches": [
                        {
                            "claim": _claim_json(match.claim),
                            "relation": match.judgement.relation.value,
                            "score": match.judgement.score,
                            "weak": match.weak,
                            "conflict": match.judgement.conflict_text("query", match.claim.source) or None,
                            "evidence": asdict(match.judgement.evidence),
                        }
                        for match in found.matches
                    ],
                }
                for found in lookups
            ],
        },
        ensure_ascii=False,
        indent=2,
    )


def pairs_text(judged: Iterable[tuple[Pair, Judgement]]) -> Iterator[str]:
    """Judged pairs as TSV: id, same, relation, score and the rule that decided, a pair per line."""
    yield "id\tsame\trelation\tscore\treason"
    for pair, found in judged:
        same = "true" if found.same else "false"
        yield f"{pair.id}\t{same}\t{found.relation.value}\t{found.score:.4f}\t{found.evidence.reason}"


def pairs_json(judged: Iterable[tuple[Pair, Judgement]]) -> Iterator[str]:
    """Judged pairs as JSON Lines: one object per pair, with its id, same, relation, score, the
    figures that conflict and the evidence."""
    for pair, found in judged:
        yield json.dumps(
            {
                "id": pair.id,
                "same": found.same,
                "relation": found.relation.value,
                "score": found.score,
                "conflict": found.conflict_text("a", "b") or None,
                "evidence": asdict(found.evidence),
            },
            ensure_ascii=False,
        )


def date_outliers(groups: Sequence[ClaimGroup], published: dict[str, str | None]) -> list[str]:
    """Articles whose published date is far from the median of a claim group they share."""
    found: dict[str, str] = {}
    for group in groups:
        days = {}
        for claim in group.claims:
            when = published.get(claim.article_id)
            if when:
                days[claim.article_id] = date.fromisoformat(when[:10]).toordinal()
        if len(days) < 3:
            continue
        middle = statistics.median(days.values())
        for article_id, day in days.items():
            if abs(day - middle) > _OUTLIER_DAYS and article_id not in found:
                found[article_id] = (
                    f"{article_id}: published {abs(day - middle):.0f} days from the median date of "
                    f"claim group {group.group_id}"
                )
    return sorted(found.values())


def summary(
    groups: Iterable[ClaimGroup],
    articles: Sequence[tuple[str, str, str | None, str | None, str | None, str, str]],
) -> dict[str, Any]:
    """The corpus summary as a dict: counts, top groups, conflicts, metadata warnings.

    Reads ``groups`` once and keeps only groups of two or more claims (a lone claim has no link,
    so no conflict and no date to compare), so it can take the index's stream of groups.
    """
    counts: Counter[str] = Counter()
    claims = 0
    linked = []
    for group in groups:
        counts[group.status.value] += 1
        claims += len(group.claims)
        if len(group.claims) + len(group.also) > 1:
            linked.append(group)
    published = {row[0]: row[3] for row in articles}
    warnings = [f"{row[0]}: {line}" for row in articles for line in row[6].splitlines() if line]
    warnings += date_outliers(linked, published)
    shared = [g for g in linked if len(g.sources) > 1]
    return {
        "articles": len(articles),
        "sources": len({row[1] for row in articles}),
        "claims": claims,
        "groups": {status.value: counts.get(status.value, 0) for status in GroupStatus},
        "conflicts": [c for g in linked for c in g.conflicts],
        "shared_groups": [group_json(g) for g in shared],
        "warnings": warnings,
    }


def report_text(data: dict[str, Any], options: RelationOptions) -> str:
    """The corpus summary for the terminal."""
    groups = data["groups"]
    lines = [
        f"{data['articles']} article(s) from {data['sources']} source(s); {data['claims']} claim(s)",
        f"claim groups: R recurs {groups['recurs']}, V varies {groups['varies']}, "
        f"U unique {groups['unique']}; ! conflicts {len(data['conflicts'])}",
        _thresholds(options),
        "",
        "Claims shared by several sources:",
    ]
    for group in data["shared_groups"]:
        first = group["first"]
        lines.append(
            f"  {SYMBOL[GroupStatus(group['status'])]}{' !' if group['conflict'] else ''} "
            f"{', '.join(group['sources'])}: {first['text']} (first: {first['source']} {first['when'][:10]})"
        )
    if data["conflicts"]:
        lines += ["", "Conflicts:", *(f"  ! {c}" for c in data["conflicts"])]
    if data["warnings"]:
        lines += ["", "Metadata warnings:", *(f"  - {w}" for w in data["warnings"])]
    return "\n".join(lines)


def report_markdown(data: dict[str, Any], options: RelationOptions) -> str:
    """The corpus summary as Markdown."""
    groups = data["groups"]
    lines = [
        "## provdiff corpus report",
        "",
        f"{data['articles']} articles from {data['sources']} sources; {data['claims']} claims. "
        f"_{_thresholds(options)}_",
        "",
        "| status | groups |",
        "|---|---|",
        f"| recurs (R) | {groups['recurs']} |",
        f"| varies (V) | {groups['varies']} |",
        f"| unique (U) | {groups['unique']} |",
        f"| conflicts (!) | {len(data['conflicts'])} |",
        "",
        "### Claims shared by several sources",
        "",
    ]
    for group in data["shared_groups"]:
        first = group["first"]
        lines.append(
            f"- **{group['status']}**{' (conflict)' if group['conflict'] else ''} — "
            f"{', '.join(group['sources'])}: {first['text']} "
            f"_(first: {first['source']}, {first['when'][:10]})_"
        )
    if data["conflicts"]:
        lines += ["", "### Conflicts", "", *(f"- {c}" for c in data["conflicts"])]
    if data["warnings"]:
        lines += ["", "### Metadata warnings", "", *(f"- {w}" for w in data["warnings"])]
    return "\n".join(lines) + "\n"


def report_json(data: dict[str, Any], options: RelationOptions) -> str:
    """The corpus summary as JSON (``provdiff.report/1``)."""
    return json.dumps(
        {"schema": "provdiff.report/1", "thresholds": options.echo(), **data}, ensure_ascii=False, indent=1
    )


def _blame_where(line: BlameLine) -> str:
    if line.first is None:
        return f"original (@{line.introduced})"
    first = line.first
    when = f"{'published' if line.dated else 'ingested'} {first.when[:10]}"
    return f"first in {first.article_id}@{first.revision} ({first.source}, {when}, {line.relation})"


def blame_text(article: Article, revision: Revision, lines: Sequence[BlameLine]) -> str:
    """Per paragraph, per sentence: the revision that introduced it and where it first appeared."""
    out = [f"{article.article_id}@{revision.number} ({revision.commit[:12]})"]
    paragraph = -1
    for line in lines:
        if line.claim.paragraph != paragraph:
            paragraph = line.claim.paragraph
            in_para = [x for x in lines if x.claim.paragraph == paragraph]
            borrowed = sum(x.first is not None for x in in_para)
            out += [
                "",
                f"[{paragraph + 1}] {borrowed} of {len(in_para)} sentence(s) first appeared elsewhere",
            ]
        out.append(f"  @{line.introduced:<3} {_blame_where(line)}")
        out.append(f"       {line.claim.text}")
    return "\n".join(out)


def blame_markdown(article: Article, revision: Revision, lines: Sequence[BlameLine]) -> str:
    """Blame as a Markdown table."""
    out = [
        f"### blame {article.article_id}@{revision.number}",
        "",
        "| ¶ | sentence | since | first appearance |",
        "|---|---|---|---|",
    ]
    for line in lines:
        text = line.claim.text.replace("|", "\\|")
        out.append(f"| {line.claim.paragraph + 1} | {text} | @{line.introduced} | {_blame_where(line)} |")
    return "\n".join(out) + "\n"


def blame_json(article: Article, revision: Revision, lines: Sequence[BlameLine]) -> str:
    """Blame as JSON (``provdiff.blame/1``)."""
    return json.dumps(
        {
            "schema": "provdiff.blame/1",
            "article": article.article_id,
            "revision": revision.number,
            "commit": revision.commit,
            "sentences": [
                {
                    **_claim_json(line.claim),
                    "introduced_in": line.introduced,
                    "first": _claim_json(line.first) if line.first else None,
                    # what the first appearance's "when" is: its article's published date, or the
                    # time its revision was ingested (the article has no published date)
                    "first_when": ("published" if line.dated else "ingested") if line.first else None,
                    "relation": line.relation or None,
                }
                for line in lines
            ],
        },
        ensure_ascii=False,
        indent=1,
    )
