"""Source audit: per source, counts and rates that describe its claims, revisions and hygiene.

The audit is descriptive. It counts what the corpus shows (how often a source's claims are stated by
another independent source, how often it stands alone, where its figures disagree, how much of it
first appeared elsewhere, how it edits, what its pages needed at ingest) and never turns that into a
verdict: a source that is often alone may be the one doing original reporting. Every count is backed
by evidence entries (claim ids, ``ARTICLE@REV``), so each row can be traced (``audit --explain``).

Definitions (docs/guides/audit.md repeats them):

- *corroborated*: the claim's group recurs (two or more independent sources) and one of them is
  another source. A verbatim or edited copy never makes a source independent (``cluster.groups``).
- *exclusive*: the claim's group is unique and its one independent source is this one.
- *conflict*: the claim takes part in a figure disagreement with another source; *against majority*
  when three or more sources state the figures and more than half of them agree on other values.
- *copied paragraph*: at least half of its sentences are copies of an earlier claim of another source.
- *edit*: a revision whose content changed at the source (re-extractions, metadata-only revisions
  and suspected extraction failures are not edits). *Substantive* when a paragraph was added or
  removed or an edit changed figures, names, negation or wording (``alignment.edits``); *cosmetic*
  otherwise. *Silent*: substantive with no correction notice added to the text.
- *time to first edit*: from the published date (else the first ingest) to the first edit's modified
  date (else its ingest), in hours; the median over the source's edited articles.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from provdiff.alignment import align
from provdiff.model import (
    AlignOptions,
    Article,
    Claim,
    ClaimGroup,
    EditKind,
    GroupStatus,
    LinkKind,
    RepairEvent,
    Revision,
    RevisionKind,
)
from provdiff.read.dates import sort_key
from provdiff.segment import figures, plain

# A correction, clarification or update notice added to an article's text.
_NOTICE = re.compile(
    r"\b(?:corrections?|corrected|clarifications?|editor['’]s note|an earlier version of this"
    r"|this (?:article|story|post|report) (?:has been|was) (?:updated|amended|corrected|changed)"
    r"|updated? (?:on|at) )",
    re.IGNORECASE,
)
_HYGIENE = {
    "boilerplate": "boilerplate",
    "duplicate": "duplicates",
    "near-duplicate": "duplicates",
    "mojibake": "encoding",
    "salvage": "salvaged",
}
_MAJORITY_SOURCES = 3  # a majority of figures needs at least this many sources stating them


@dataclass(frozen=True, slots=True)
class AuditOptions:
    """What the audit counts and when a rate is marked as resting on a small sample."""

    min_sample: int = 20  # a rate over fewer claims, paragraphs or edits is flagged
    since: str | None = None  # only articles published (else first seen) on or after this date
    source: str | None = None  # only this source's row


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """What the audit needs of one article: its current text, dates and ingest repairs."""

    article_id: str
    source: str
    published: str | None
    modified: str | None
    first_seen: str
    paragraphs: int
    repairs: tuple[RepairEvent, ...]


@dataclass(frozen=True, slots=True)
class EditFacts:
    """One revision after the first: its kind and, for a source edit, its class and timing."""

    article_id: str
    revision: int
    kind: RevisionKind
    substantive: bool = False
    rule: str = ""  # why it is substantive or cosmetic
    notice: bool = False  # a correction or update notice was added
    hours_after_publication: float | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """One item behind a count: the metric, what it is about (claim id or ``ARTICLE@REV``), why."""

    metric: str
    ref: str
    detail: str


@dataclass
class SourceAudit:
    """One row of the audit. Rates are properties so that counts stay the single truth."""

    source: str
    articles: int = 0
    claims: int = 0
    corroborated: int = 0
    exclusive: int = 0
    varies: int = 0
    conflicts: int = 0
    against_majority: int = 0
    paragraphs: int = 0
    copied_paragraphs: int = 0
    revised_articles: int = 0
    edits: int = 0
    substantive: int = 0
    cosmetic: int = 0
    silent: int = 0
    reextractions: int = 0
    metadata_revisions: int = 0
    suspect_extractions: int = 0
    median_hours_to_first_edit: float | None = None
    boilerplate: int = 0
    duplicates: int = 0
    encoding: int = 0
    salvaged: int = 0
    date_inconsistent: int = 0
    missing_dates: int = 0
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def corroboration(self) -> float | None:
        return _rate(self.corroborated, self.claims)

    @property
    def exclusivity(self) -> float | None:
        return _rate(self.exclusive, self.claims)

    @property
    def conflict_rate(self) -> float | None:
        return _rate(self.conflicts, self.claims)

    @property
    def copied_share(self) -> float | None:
        return _rate(self.copied_paragraphs, self.paragraphs)

    @property
    def original_share(self) -> float | None:
        return _rate(self.paragraphs - self.copied_paragraphs, self.paragraphs)

    @property
    def silent_share(self) -> float | None:
        return _rate(self.silent, self.substantive)

    def small_samples(self, minimum: int) -> list[str]:
        """Which rates rest on fewer than ``minimum`` items, said in words."""
        out = []
        if 0 < self.claims < minimum:
            out.append(f"claim rates rest on {self.claims} claims")
        if 0 < self.paragraphs < minimum:
            out.append(f"originality rests on {self.paragraphs} paragraphs")
        if 0 < self.substantive < minimum:
            out.append(f"silent share rests on {self.substantive} substantive edits")
        return out


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def classify_revision(previous: Article, current: Article, revision: Revision, start: str) -> EditFacts:
    """Class one revision against the one before it (paragraph alignment, as ``provdiff diff`` does).

    ``start`` is when the article became public (published date, else first ingest): the time to an
    edit is counted from there to the edit's modified date, else its ingest.
    """
    hours = _hours(start, current.meta.modified or revision.committed_at)
    if revision.kind is not RevisionKind.UPDATE:
        return EditFacts(current.article_id, revision.number, revision.kind)
    substantive, rule = False, "moves only"
    cosmetic_rule = ""
    for link in align(previous.paragraphs, current.paragraphs, AlignOptions()).links:
        if link.kind is LinkKind.ADDED:
            substantive, rule = True, f"paragraph {link.b[0] + 1} added"
        elif link.kind is LinkKind.DELETED:
            substantive, rule = True, f"paragraph {link.a[0] + 1} removed"
        elif link.edit is EditKind.SUBSTANTIVE:
            substantive, rule = True, link.edit_rule
        elif link.edit is EditKind.COSMETIC:
            cosmetic_rule = cosmetic_rule or link.edit_rule
        if substantive:
            break
    before = len(_NOTICE.findall("\n".join(previous.paragraphs)))
    after = len(_NOTICE.findall("\n".join(current.paragraphs)))
    return EditFacts(
        current.article_id,
        revision.number,
        revision.kind,
        substantive=substantive,
        rule=rule if substantive else cosmetic_rule or rule,
        notice=after > before,
        hours_after_publication=hours,
    )


def _hours(start: str, end: str) -> float | None:
    try:
        delta = _instant(end) - _instant(start)
    except ValueError:
        return None
    return delta.total_seconds() / 3600


def _instant(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def audit(
    groups: Iterable[ClaimGroup],
    articles: Sequence[ArticleFacts],
    edits: Sequence[EditFacts],
    options: AuditOptions = AuditOptions(),
) -> list[SourceAudit]:
    """One row per source (sorted by name); ``options`` narrows to a source and a period.

    Reads ``groups`` once, so it can take the index's stream of groups.
    """
    kept = {a.article_id: a for a in articles if _in_scope(a, options)}
    rows: dict[str, SourceAudit] = {}

    def row(source: str) -> SourceAudit:
        return rows.setdefault(source, SourceAudit(source))

    for facts in kept.values():
        _hygiene(row(facts.source), facts)
    copies: set[str] = set()
    claims_by_paragraph: dict[tuple[str, int], list[Claim]] = defaultdict(list)
    for group in groups:
        copies.update(group.copies)  # a claim is a copy by its own group's links
        majority = _majority(group)
        for claim in group.claims:
            if claim.article_id not in kept:
                continue
            claims_by_paragraph[claim.article_id, claim.paragraph].append(claim)
            _claim(row(claim.source), claim, group, majority, claim.claim_id in group.copies)
    _originality(rows, kept, claims_by_paragraph, copies)
    _revisions(rows, kept, edits)
    return [rows[name] for name in sorted(rows) if options.source in (None, name)]


def _in_scope(facts: ArticleFacts, options: AuditOptions) -> bool:
    when = facts.published or facts.first_seen
    return options.since is None or sort_key(when) >= sort_key(options.since)


def _hygiene(row: SourceAudit, facts: ArticleFacts) -> None:
    row.articles += 1
    counts = Counter(_HYGIENE[e.kind] for e in facts.repairs if e.kind in _HYGIENE)
    for name, count in counts.items():
        setattr(row, name, getattr(row, name) + count)
        row.evidence.append(Evidence(name, facts.article_id, f"{count} event(s) at ingest"))
    if facts.published is None:
        row.missing_dates += 1
        row.evidence.append(Evidence("missing_dates", facts.article_id, "no published date"))
    elif facts.modified is not None and sort_key(facts.modified) < sort_key(facts.published):
        row.date_inconsistent += 1
        detail = f"modified {facts.modified} before published {facts.published}"
        row.evidence.append(Evidence("date_inconsistent", facts.article_id, detail))


def _signature(claim: Claim) -> tuple[str, ...]:
    return tuple(sorted(f.token for f in figures(plain(claim.text))))


def _majority(group: ClaimGroup) -> tuple[str, ...] | None:
    """The figures more than half of the group's sources state, when three or more state figures."""
    if not group.conflicts:
        return None
    by_source: dict[str, tuple[str, ...]] = {}
    for claim in group.claims:  # oldest first: a source's first statement stands for it
        signature = _signature(claim)
        if signature:
            by_source.setdefault(claim.source, signature)
    if len(by_source) < _MAJORITY_SOURCES:
        return None
    signature, count = Counter(by_source.values()).most_common(1)[0]
    return signature if count * 2 > len(by_source) else None


def _claim(
    row: SourceAudit, claim: Claim, group: ClaimGroup, majority: tuple[str, ...] | None, copy: bool
) -> None:
    row.claims += 1
    ref = claim.claim_id
    others = [s for s in group.independent_sources if s != claim.source]
    if group.status is GroupStatus.RECURS and others:
        row.corroborated += 1
        first = {c.source: c.claim_id for c in reversed((*group.claims, *group.also))}
        witnesses = ", ".join(f"{s} ({first[s]})" for s in others)
        row.evidence.append(Evidence("corroborated", ref, f"also stated by {witnesses}"))
    elif group.status is GroupStatus.UNIQUE and group.independent_sources == (claim.source,) and not copy:
        row.exclusive += 1
        row.evidence.append(Evidence("exclusive", ref, "no other independent source"))
    elif group.status is GroupStatus.VARIES:
        row.varies += 1
        row.evidence.append(Evidence("varies", ref, "; ".join(group.variations)))
    disputes = [
        link.conflict
        for link in group.links
        if link.conflict and claim in (link.a, link.b) and link.a.source != link.b.source
    ]
    if disputes:
        row.conflicts += 1
        row.evidence.append(Evidence("conflicts", ref, "; ".join(dict.fromkeys(disputes))))
        if majority is not None and _signature(claim) != majority:
            row.against_majority += 1
            row.evidence.append(
                Evidence("against_majority", ref, f"most sources state {', '.join(majority)}")
            )


def _originality(
    rows: dict[str, SourceAudit],
    kept: Mapping[str, ArticleFacts],
    claims_by_paragraph: Mapping[tuple[str, int], Sequence[Claim]],
    copies: set[str],
) -> None:
    for facts in kept.values():
        row = rows[facts.source]
        row.paragraphs += facts.paragraphs
        for number in range(facts.paragraphs):
            claims = claims_by_paragraph.get((facts.article_id, number), ())
            copied = [c for c in claims if c.claim_id in copies]
            if claims and len(copied) * 2 >= len(claims):
                row.copied_paragraphs += 1
                detail = f"{len(copied)} of {len(claims)} sentences copied from an earlier source"
                row.evidence.append(
                    Evidence("copied_paragraphs", f"{facts.article_id}#p{number + 1}", detail)
                )


def _revisions(
    rows: dict[str, SourceAudit], kept: Mapping[str, ArticleFacts], edits: Iterable[EditFacts]
) -> None:
    first_edit: dict[str, EditFacts] = {}
    edited: dict[str, set[str]] = defaultdict(set)
    for edit in sorted(edits, key=lambda e: (e.article_id, e.revision)):
        facts = kept.get(edit.article_id)
        if facts is None:
            continue
        row = rows[facts.source]
        ref = f"{edit.article_id}@{edit.revision}"
        if edit.kind is RevisionKind.REEXTRACT:
            row.reextractions += 1
            row.evidence.append(Evidence("reextractions", ref, "same raw bytes, new reader output"))
            continue
        if edit.kind is RevisionKind.SUSPECT:
            row.suspect_extractions += 1
            row.evidence.append(Evidence("suspect_extractions", ref, "suspected extraction failure"))
            continue
        if edit.kind is RevisionKind.METADATA:
            row.metadata_revisions += 1
            row.evidence.append(Evidence("metadata_revisions", ref, "metadata changed, text the same"))
            continue
        if edit.kind is not RevisionKind.UPDATE:
            continue
        row.edits += 1
        edited[facts.source].add(edit.article_id)
        first_edit.setdefault(edit.article_id, edit)
        if edit.substantive:
            row.substantive += 1
            notice = "with a correction notice" if edit.notice else "no correction notice"
            row.evidence.append(Evidence("substantive", ref, f"{edit.rule}; {notice}"))
            if not edit.notice:
                row.silent += 1
                row.evidence.append(Evidence("silent", ref, edit.rule))
        else:
            row.cosmetic += 1
            row.evidence.append(Evidence("cosmetic", ref, edit.rule))
    for source, ids in edited.items():
        row = rows[source]
        row.revised_articles = len(ids)
        hours = [h for i in ids if (h := first_edit[i].hours_after_publication) is not None]
        row.median_hours_to_first_edit = statistics.median(hours) if hours else None
