"""Classify: verified links into claim groups, each with its status, copies, variations, conflicts.

Groups are the connected components of the links (union-find). Within a group, claims are ordered by
``when`` (published date, else ingest time), so the first is where the claim first appeared. A claim
linked to an earlier claim of another source as a verbatim or edited copy is a copy: it does not make
its source an independent witness (nor does a copy that changed a figure). Status: *varies* when
claims of different sources disagree on figures or names, else *recurs* with two or more independent
sources, else *unique* (one source, and perhaps copies of it). A source that contradicts itself across
its own articles stays *unique*, with the conflict still listed (``claims --status conflict``).

Groups come largest first (most sources), then by first appearance, ties in document order. Most
claims of a large corpus have no link at all: ``stream_groups`` takes those as a stream already in
that order (the index sorts them) and merges them in, so only linked claims are held in memory.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from provdiff.alignment.edits import capitalized_names
from provdiff.model import Claim, ClaimGroup, ClaimLink, GroupStatus, Relation
from provdiff.read.dates import sort_key
from provdiff.segment import plain

_COPIES = (Relation.VERBATIM, Relation.EDITED_COPY, Relation.FIGURE_VARIANT)


def claim_order(claim: Claim) -> tuple[str, str, int, int, int]:
    """First appearance (``when``), then document order: the order of claims within and across groups.

    ``index.Index.unlinked_claims`` sorts by the same key in SQL.
    """
    return sort_key(claim.when), claim.article_id, claim.revision, claim.paragraph, claim.sentence


def build_groups(claims: Sequence[Claim], links: Sequence[ClaimLink]) -> list[ClaimGroup]:
    """Groups of all claims, largest first, then by first appearance."""
    linked = {c for link in links for c in (link.a.claim_id, link.b.claim_id)}
    alone = sorted((c for c in claims if c.claim_id not in linked), key=claim_order)
    return list(stream_groups([c for c in claims if c.claim_id in linked], links, alone))


def stream_groups(
    linked: Sequence[Claim], links: Sequence[ClaimLink], alone: Iterable[Claim]
) -> Iterator[ClaimGroup]:
    """Groups in ``build_groups`` order, from the claims with a link (and their links) and the claims
    without one, which must come in ``claim_order`` and are read one at a time."""
    shared: list[ClaimGroup] = []
    single: list[ClaimGroup] = []
    for group in _linked_groups(linked, links):
        (shared if len(group.sources) > 1 else single).append(group)
    yield from sorted(shared, key=lambda g: (-len(g.sources), claim_order(g.claims[0])))
    single.sort(key=lambda g: claim_order(g.claims[0]))
    lone = (_group([claim], []) for claim in alone)
    yield from heapq.merge(single, lone, key=lambda g: claim_order(g.claims[0]))


def _linked_groups(claims: Sequence[Claim], links: Sequence[ClaimLink]) -> list[ClaimGroup]:
    """The connected components of the links (union-find), each ordered by ``claim_order``."""
    parent: dict[str, str] = {c.claim_id: c.claim_id for c in claims}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for link in links:
        left, right = root(link.a.claim_id), root(link.b.claim_id)
        if left != right:
            parent[max(left, right)] = min(left, right)
    members: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        members[root(claim.claim_id)].append(claim)
    group_links: dict[str, list[ClaimLink]] = defaultdict(list)
    for link in links:
        group_links[root(link.a.claim_id)].append(link)
    return [_group(sorted(group, key=claim_order), group_links[key]) for key, group in members.items()]


def _group(claims: list[Claim], links: list[ClaimLink]) -> ClaimGroup:
    first = claims[0]
    rank = {c.claim_id: k for k, c in enumerate(claims)}
    copies: list[str] = []
    for link in links:
        if link.relation in _COPIES and link.a.source != link.b.source:
            later = link.a if rank[link.a.claim_id] > rank[link.b.claim_id] else link.b
            copies.append(later.claim_id)
    copy_set = set(copies)
    independent = tuple(dict.fromkeys(c.source for c in claims if c.claim_id not in copy_set))
    variations: list[str] = []
    conflicts = tuple(dict.fromkeys(link.conflict for link in links if link.conflict))
    if conflicts:
        variations.append("figures: " + "; ".join(conflicts))
    for link in links:
        names_a, names_b = capitalized_names(plain(link.a.text)), capitalized_names(plain(link.b.text))
        if link.relation in _COPIES and (names_a - names_b) and (names_b - names_a):
            gone, new = ", ".join(sorted(names_a - names_b)), ", ".join(sorted(names_b - names_a))
            variations.append(f"names: {gone} ({link.a.source}) vs {new} ({link.b.source})")
    if variations and len({c.source for c in claims}) > 1:
        status = GroupStatus.VARIES
    elif len(independent) >= 2:
        status = GroupStatus.RECURS
    else:
        status = GroupStatus.UNIQUE
    digest = hashlib.sha256(first.claim_id.encode()).hexdigest()[:10]
    return ClaimGroup(
        group_id=f"g-{digest}",
        status=status,
        claims=tuple(claims),
        links=tuple(links),
        independent_sources=independent,
        copies=tuple(dict.fromkeys(copies)),
        variations=tuple(dict.fromkeys(variations)),
        conflicts=conflicts,
    )
