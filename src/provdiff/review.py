"""Review of a range of corpus commits: what changed at claim level, and what it did to the groups.

For a pull request over the corpus (``main..feature``) or the last ingests (``HEAD~5..HEAD``), a
reviewer needs the news, not the lines: which claims were added or removed, which figures changed,
what merely moved or was retouched, and whether the range made a claim recur or opened a conflict.
Each article version is aligned sentence by sentence with the one before the range (as ``provdiff
diff --granularity sentence`` does); a range is *substantive* when any article gained or lost a
claim or changed one substantively (figures, names, negation, wording).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from provdiff.alignment import align, units
from provdiff.model import AlignOptions, ClaimGroup, EditKind, GroupStatus, LinkKind
from provdiff.segment import match_key, sentence_spans

ADDED, REMOVED, FIGURES, EDITED, COSMETIC, MOVED = (
    "added",
    "removed",
    "figures",
    "edited",
    "cosmetic",
    "moved",
)
SUBSTANTIVE = frozenset({ADDED, REMOVED, FIGURES, EDITED})


@dataclass(frozen=True, slots=True)
class ClaimChange:
    """One claim-level change of an article: its kind, the text before and after, why."""

    kind: str  # added / removed / figures / edited / cosmetic / moved
    before: str
    after: str
    detail: str = ""
    claim_id: str = ""  # the claim at the head of the range ("" when removed)


@dataclass(frozen=True, slots=True)
class ArticleChange:
    """An article added, revised or removed in the range."""

    article_id: str
    status: str  # added / revised / removed
    title: str
    changes: tuple[ClaimChange, ...]

    @property
    def substantive(self) -> bool:
        return any(change.kind in SUBSTANTIVE for change in self.changes)


@dataclass(frozen=True, slots=True)
class Review:
    """The review of ``base..head``."""

    spec: str
    base: str
    head: str
    articles: tuple[ArticleChange, ...]
    now_recur: tuple[str, ...]  # "claim id: recurs with source, source"
    new_conflicts: tuple[str, ...]
    # claims of the range's articles that now share a group with a claim of another article, or no
    # longer do: "sentence ~ other-article (source): its sentence"
    gained: tuple[str, ...] = ()
    lost: tuple[str, ...] = ()

    @property
    def substantive(self) -> bool:
        return any(article.substantive for article in self.articles)


def claim_positions(paragraphs: Sequence[str]) -> list[tuple[int, int]]:
    """(paragraph, sentence) of each sentence in document order, as claim ids number them."""
    return [(p, s) for p, paragraph in enumerate(paragraphs) for s in range(len(sentence_spans(paragraph)))]


def compare(
    article_id: str, revision: int, before: Sequence[str], after: Sequence[str]
) -> tuple[ClaimChange, ...]:
    """The claim-level changes from ``before`` to ``after`` (paragraph lists), in ``after``'s order;
    ``revision`` is the head's revision number, for claim ids."""
    options = AlignOptions(granularity="sentence")
    alignment = align(units(before, "sentence"), units(after, "sentence"), options)
    positions = claim_positions(after)

    def claim_id(index: int) -> str:
        paragraph, sentence = positions[index]
        return f"{article_id}@{revision}#p{paragraph + 1}s{sentence + 1}"

    out: list[tuple[int, ClaimChange]] = []
    for link in alignment.links:
        old = " ".join(alignment.a[i] for i in link.a)
        new = " ".join(alignment.b[j] for j in link.b)
        order = link.b[0] if link.b else link.a[0]
        if link.kind is LinkKind.ADDED:
            out.append((order, ClaimChange(ADDED, "", new, claim_id=claim_id(link.b[0]))))
        elif link.kind is LinkKind.DELETED:
            out.append((order, ClaimChange(REMOVED, old, "")))
        elif link.edit is EditKind.SUBSTANTIVE:
            kind = FIGURES if link.edit_rule.startswith("figures") else EDITED
            out.append((order, ClaimChange(kind, old, new, link.edit_rule, claim_id(link.b[0]))))
        elif link.edit is EditKind.COSMETIC:
            out.append((order, ClaimChange(COSMETIC, old, new, link.edit_rule, claim_id(link.b[0]))))
        elif link.kind is LinkKind.MOVED:
            where = f"sentence {link.a[0] + 1} -> {link.b[0] + 1}"
            out.append((order, ClaimChange(MOVED, old, new, where, claim_id(link.b[0]))))
    return tuple(change for _, change in sorted(out, key=lambda item: item[0]))


def group_effects(
    groups: Iterable[ClaimGroup], articles: Sequence[ArticleChange]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Claims of the range that now recur, and conflicts the range's claims take part in."""
    changed = {
        change.claim_id: change
        for article in articles
        for change in article.changes
        if change.claim_id and change.kind in SUBSTANTIVE
    }
    now_recur: list[str] = []
    conflicts: list[str] = []
    for group in groups:
        mine = [claim for claim in group.claims if claim.claim_id in changed]
        if not mine:
            continue
        for claim in mine:
            others = [s for s in group.independent_sources if s != claim.source]
            if group.status is GroupStatus.RECURS and others:
                now_recur.append(f"{claim.claim_id}: recurs with {', '.join(others)}")
        for link in group.links:
            if link.conflict and (link.a.claim_id in changed or link.b.claim_id in changed):
                conflicts.append(f"{link.conflict} ({link.a.claim_id} / {link.b.claim_id})")
    return tuple(dict.fromkeys(now_recur)), tuple(dict.fromkeys(conflicts))


def shared_with(groups: Iterable[ClaimGroup], articles: Collection[str]) -> dict[tuple[str, ...], str]:
    """What the claims of ``articles`` share a group with, one entry per other article's claim of
    the group: keyed by (article, its sentence's match key, the other article, that claim's match
    key), so that a sentence a revision kept keeps its pairs; the value is the pair as one line."""
    found: dict[tuple[str, ...], str] = {}
    for group in groups:
        members = [*group.claims, *group.also]
        for mine in members:
            if mine.article_id not in articles:
                continue
            for other in members:
                if other.article_id != mine.article_id:
                    key = (mine.article_id, match_key(mine.text), other.article_id, match_key(other.text))
                    found[key] = (
                        f"{mine.claim_id} {mine.text} ~ {other.claim_id} ({other.source}) {other.text}"
                    )
    return found


def link_changes(
    before: dict[tuple[str, ...], str], after: dict[tuple[str, ...], str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(gained, lost): the pairs of ``shared_with`` at the head and not at the base, and the reverse."""
    gained = sorted(after[key] for key in after.keys() - before.keys())
    lost = sorted(before[key] for key in before.keys() - after.keys())
    return tuple(gained), tuple(lost)
