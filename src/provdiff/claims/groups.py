"""Cohesive claim groups, and what each says: recurs, varies or unique, with copies and conflicts.

**Cohesion.** Groups are not the connected components of the links: through one sentence that
states two facts ("$350 billion in investment and $100 billion of gas"), union-find fused the
investment claim and the gas claim into one group. Here two clusters of claims merge only when no
claim of one is *different* from a claim of the other by the relation (``claims.relation``; a
pair that is not linked must at least be *compatible*). The links are taken strongest first
(copies, then restatements, then overlaps; then by score; ties by the claims' text), so the
partition is a function of the links and the relation alone: any order of ingest gives it.

A claim linked to a group it could not join (its own group holds a claim the other's members are
different from) is listed in that group's ``also`` when it is compatible with every member and
every claim listed there before it (links in the same order): a sentence stating two facts is a
witness of both, and is counted in the claims of one.

**Status.** Within a group claims are ordered by ``when`` (published date, else ingest time), then
article id and position, so the first is where the claim first appeared. A claim linked to an
earlier claim of another source as a verbatim copy, an edited copy or a figure variant is a copy:
it does not make its source an independent witness. *varies* when claims of different sources
disagree on figures (a conflict, with both values and sources) or names; else *recurs* with two or
more independent sources; else *unique*. A source that contradicts itself across its own articles
stays *unique*, with the conflict still listed (``claims --status conflict``).

Groups come largest first (most sources), then by first appearance, ties in document order. Most
claims of a large corpus have no link at all: ``stream_groups`` takes those as a stream already in
that order (the index sorts them) and merges them in, so only linked claims are held in memory.
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from provdiff.model import COPIES, Claim, ClaimGroup, ClaimLink, GroupStatus, Relation
from provdiff.read.dates import sort_key

# which links merge first: the surer the relation, the earlier
_STRENGTH = {
    Relation.VERBATIM: 0,
    Relation.EDITED_COPY: 1,
    Relation.FIGURE_VARIANT: 2,
    Relation.REWORDED: 3,
    Relation.OVERLAPS: 4,
}


def claim_order(claim: Claim) -> tuple[str, str, int, int, int]:
    """First appearance (``when``), then document order: the order of claims within and across groups.

    ``index.Index.unlinked_claims`` sorts by the same key in SQL.
    """
    return sort_key(claim.when), claim.article_id, claim.revision, claim.paragraph, claim.sentence


@dataclass(frozen=True, slots=True)
class Partition:
    """Clusters of nodes (numbers from 0): ``members`` per cluster, ascending, and ``also`` per
    cluster, the nodes of other clusters that state its claim too."""

    members: tuple[tuple[int, ...], ...]
    also: tuple[tuple[int, ...], ...]


def partition(
    count: int,
    links: Mapping[tuple[int, int], tuple[Relation, float]],
    relation: Callable[[int, int], Relation],
) -> Partition:
    """Cohesive clusters of ``count`` nodes from their ``links`` ((i, j) with i < j -> relation and
    score), asking ``relation(i, j)`` (i < j) for pairs that are not linked. Nodes are numbered in
    a fixed order (the caller sorts them by text), which breaks every tie.

    >>> links = {(0, 1): (Relation.OVERLAPS, 0.4), (1, 2): (Relation.OVERLAPS, 0.3)}
    >>> apart = lambda i, j: Relation.DIFFERENT
    >>> partition(3, links, apart)
    Partition(members=((0, 1), (2,)), also=((), (1,)))
    """
    cluster = list(range(count))
    members: dict[int, list[int]] = {n: [n] for n in range(count)}
    known: dict[tuple[int, int], Relation] = {pair: found for pair, (found, _) in links.items()}

    def related(u: int, v: int) -> Relation:
        pair = (u, v) if u < v else (v, u)
        found = known.get(pair)
        if found is None:
            found = known[pair] = relation(*pair)
        return found

    def fits(node: int, group: Sequence[int]) -> bool:
        return all(related(node, other) is not Relation.DIFFERENT for other in group)

    ordered = sorted(links.items(), key=lambda item: (_STRENGTH[item[1][0]], -item[1][1], item[0]))
    for (i, j), _ in ordered:
        left, right = cluster[i], cluster[j]
        if left == right:
            continue
        if all(fits(u, members[right]) for u in members[left]):
            keep, gone = min(left, right), max(left, right)
            for node in members[gone]:
                cluster[node] = keep
            members[keep] = sorted(members[keep] + members.pop(gone))
    also: dict[int, list[int]] = {}
    for (i, j), _ in ordered:
        for node, other in ((i, j), (j, i)):
            target = cluster[other]
            extra = also.setdefault(target, [])
            if cluster[node] != target and node not in extra and fits(node, [*members[target], *extra]):
                extra.append(node)
    roots = sorted(members)
    return Partition(
        tuple(tuple(members[r]) for r in roots), tuple(tuple(sorted(also.get(r, ()))) for r in roots)
    )


def classify(claims: Sequence[Claim], links: Sequence[ClaimLink], also: Sequence[Claim] = ()) -> ClaimGroup:
    """One group: its claims (any order), the links among them and the claims of other groups that
    also state it, classed as the module docstring says."""
    ordered = sorted(claims, key=claim_order)
    everyone = sorted([*ordered, *also], key=claim_order)
    links = sorted(links, key=lambda link: (claim_order(link.a), claim_order(link.b)))
    rank = {c.claim_id: k for k, c in enumerate(everyone)}
    copies: list[str] = []
    for link in links:
        if link.relation in COPIES and link.a.source != link.b.source:
            later = link.a if rank[link.a.claim_id] > rank[link.b.claim_id] else link.b
            copies.append(later.claim_id)
    copy_set = set(copies)
    independent = tuple(dict.fromkeys(c.source for c in everyone if c.claim_id not in copy_set))
    conflicts = tuple(dict.fromkeys(link.conflict for link in links if link.conflict))
    variations: list[str] = []
    if conflicts:
        variations.append("figures: " + "; ".join(conflicts))
    for link in links:
        found = link.evidence
        # only a copy's names are comparable one for one: a restatement names things its own way
        named = found is not None and found.names_only_a and found.names_only_b
        if found is not None and named and link.relation in COPIES and link.a.source != link.b.source:
            gone, new = ", ".join(found.names_only_a), ", ".join(found.names_only_b)
            variations.append(f"names: {gone} ({link.a.source}) vs {new} ({link.b.source})")
    if variations and len({c.source for c in everyone}) > 1:
        status = GroupStatus.VARIES
    elif len(independent) >= 2:
        status = GroupStatus.RECURS
    else:
        status = GroupStatus.UNIQUE
    digest = hashlib.sha256(ordered[0].claim_id.encode()).hexdigest()[:10]
    return ClaimGroup(
        group_id=f"g-{digest}",
        status=status,
        claims=tuple(ordered),
        links=tuple(links),
        independent_sources=independent,
        copies=tuple(dict.fromkeys(copies)),
        variations=tuple(dict.fromkeys(variations)),
        conflicts=conflicts,
        also=tuple(sorted(also, key=claim_order)),
    )


def stream_groups(linked: Iterable[ClaimGroup], alone: Iterable[Claim]) -> Iterator[ClaimGroup]:
    """Every group in order: the groups of linked claims (any order), then merged with the claims
    without a link, which must come in ``claim_order`` and are read one at a time."""
    shared: list[ClaimGroup] = []
    single: list[ClaimGroup] = []
    for group in linked:
        (shared if len(group.sources) > 1 else single).append(group)
    yield from sorted(shared, key=lambda g: (-len(g.sources), claim_order(g.claims[0])))
    single.sort(key=lambda g: claim_order(g.claims[0]))
    lone = (classify([claim], []) for claim in alone)
    yield from heapq.merge(single, lone, key=lambda g: claim_order(g.claims[0]))
