"""The relation over a whole set of claims at once: candidates, judgements, cohesive groups.

``relate`` is the one computation behind every claim group provdiff reports. It takes the current
claims of a corpus (or of two documents, for ``diff``) and returns the links with their evidence and
the groups, as a function of the claims alone: the same claims in any order give the same result
(a property test shuffles them), so an index built incrementally and one rebuilt from git agree.

Claims with the same match key (the same sentence, up to typography and figure notation) are one
*node*: they are verbatim copies of one another, judged once. Nodes are numbered in the order of
their keys, which breaks every tie in the grouping. Two nodes are judged only when they are
candidates (``claims.candidates``) and their claims are not all of one article.

Both costly steps are functions of texts alone: a node's candidate terms of its text, a judgement
of the two texts. ``Memo`` keeps them by text, so relating a corpus again after a few articles
changed computes only what is new (the index stores the memo); the result is the same with a
memo, warm or cold, as without one.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from provdiff.claims import meaning
from provdiff.claims.candidates import joined_pairs, term_hashes
from provdiff.claims.features import Features, features
from provdiff.claims.groups import claim_order, classify, partition
from provdiff.claims.options import RelationOptions
from provdiff.claims.relation import Judgement, judge
from provdiff.cluster.engine import Engine, LocalEngine
from provdiff.model import COPIES, Article, Claim, ClaimGroup, ClaimLink, Evidence, Relation
from provdiff.segment import is_heading, match_key, sentences, states_something

if TYPE_CHECKING:  # numpy loads only when a corpus is related: every command imports this module
    import numpy as np
    import numpy.typing as npt


@dataclass(slots=True)
class Memo:
    """What relating found, by text, to be reused: each node's candidate term hashes (the bytes of
    its ``candidates.term_hashes``), each judgement, by the two texts as judged (the earlier key
    first), and the vector of each text the semantic model read (``claims.meaning``). Judgements
    hold for one ``RelationOptions``: a caller keeps one memo per options."""

    terms: dict[str, bytes] = field(default_factory=dict)
    judged: dict[tuple[str, str], Judgement] = field(default_factory=dict)
    meanings: dict[str, bytes] = field(default_factory=dict)  # ``meaning.stored`` of texts judged with it


@dataclass(frozen=True, slots=True)
class Cluster:
    """One group as found: its claims, and the claims of other groups that also state it."""

    claims: tuple[Claim, ...]
    also: tuple[Claim, ...]


@dataclass(frozen=True, slots=True)
class Related:
    """What ``relate`` found: the links (verbatim copies and judged pairs, each with its evidence)
    and the clusters of two or more claims (claims in none are alone)."""

    links: tuple[ClaimLink, ...]
    clusters: tuple[Cluster, ...]
    options: RelationOptions

    def groups(self) -> Iterator[ClaimGroup]:
        """Each cluster classed (``claims.groups.classify``), in the order of ``clusters``."""
        by_claim: dict[str, list[ClaimLink]] = {}
        for link in self.links:
            by_claim.setdefault(link.a.claim_id, []).append(link)
        for cluster in self.clusters:
            inside = {c.claim_id for c in (*cluster.claims, *cluster.also)}
            links = [
                link
                for claim in (*cluster.claims, *cluster.also)
                for link in by_claim.get(claim.claim_id, ())
                if link.b.claim_id in inside
            ]
            yield classify(cluster.claims, links, cluster.also)


def relate(
    claims: Sequence[Claim],
    options: RelationOptions | None = None,
    engine: Engine | None = None,
    memo: Memo | None = None,
) -> Related:
    """Links and cohesive clusters of ``claims`` (see the module docstring). The candidates' terms
    of a large corpus are found on ``engine`` (default: worker processes on every core here); what
    ``memo`` holds is reused, and what is found is added to it."""
    options = options or RelationOptions()
    memo = memo if memo is not None else Memo()
    for text, data in memo.meanings.items():
        meaning.remember(text, data)
    by_key: dict[str, list[Claim]] = {}
    for claim in claims:
        by_key.setdefault(match_key(claim.text), []).append(claim)
    keys = sorted(by_key)
    held = [sorted(by_key[key], key=claim_order) for key in keys]
    texts = [members[0].text for members in held]
    # candidates need each node's terms only; the full features (names, weights, skeleton) are
    # computed for the nodes of candidate pairs, once each, which most nodes are not
    full: dict[int, Features] = {}

    def node(n: int) -> Features:
        found = full.get(n)
        if found is None:
            found = full[n] = features(texts[n])
        return found

    def judged(i: int, j: int) -> Judgement:
        pair = (texts[i], texts[j])
        found = memo.judged.get(pair)
        if found is None:
            found = memo.judged[pair] = judge(node(i), node(j), options)
        return found

    pairs = joined_pairs(*_term_hashes(texts, memo, engine or LocalEngine(os.cpu_count() or 1)), options)
    links: dict[tuple[int, int], Judgement] = {}
    for i, j in pairs.tolist():
        if not _one_article(held[i], held[j]):
            found = judged(i, j)
            if found.same:
                links[(i, j)] = found
    links = _in_context(links, held, options)
    split = partition(
        len(held),
        {pair: (found.relation, found.score) for pair, found in links.items()},
        lambda i, j: judged(i, j).relation,
    )
    out: list[ClaimLink] = []
    for n, members in enumerate(held):
        # the claims of one node are the same sentence: each later one a verbatim copy of the first
        if len(members) > 1 and states_something(members[0].text):
            same = judged(n, n)
            out.extend(_link(members[0], other, same) for other in members[1:])
    out.extend(_link(held[i][0], held[j][0], found) for (i, j), found in sorted(links.items()))
    memo.meanings.update((t, meaning.stored(t)) for t in texts if t not in memo.meanings and meaning.known(t))
    clusters = []
    for inside, also in zip(split.members, split.also, strict=True):
        claims_in = tuple(c for n in inside for c in held[n])
        extra = tuple(c for n in also for c in held[n])
        if len(claims_in) > 1 or extra:
            clusters.append(Cluster(claims_in, extra))
    return Related(tuple(out), tuple(clusters), options)


def _in_context(
    links: dict[tuple[int, int], Judgement], held: Sequence[Sequence[Claim]], options: RelationOptions
) -> dict[tuple[int, int], Judgement]:
    """The links that stand in their articles' context. A weak link (``anchors`` false) stands only
    between articles that an anchored link also joins (two reports of one story): a restatement
    that shares no name and no figure ("A .38-caliber revolver was recovered at the scene", "Riot
    police fired tear gas") is told of every shooting and every riot, and on ECB+ such links joined
    articles of different topics (``eval_links_ecbplus``); an overlap of a shared amount and name
    alone joined unrelated generated articles (``bench_relate``). A function of the links, so of
    the corpus: any order of ingest gives the same."""
    # nodes by article, and each node's anchored neighbours: a weak link's articles are checked
    # against these, never enumerated as pairs (a sentence repeated in n articles makes n^2 of them)
    nodes_of: dict[str, set[int]] = {}
    for n, members in enumerate(held):
        if states_something(members[0].text):  # a verbatim copy between two articles anchors them
            for claim in members:
                nodes_of.setdefault(claim.article_id, set()).add(n)
    near: dict[int, set[int]] = {}
    for (i, j), found in links.items():
        if anchors(found, options):
            near.setdefault(i, set()).add(j)
            near.setdefault(j, set()).add(i)

    def joined(a: str, b: str) -> bool:
        ours, theirs = nodes_of.get(a, set()), nodes_of.get(b, set())
        return bool(ours & theirs) or any(near.get(n, set()) & theirs for n in ours)

    def stands(i: int, j: int) -> bool:
        ours, theirs = {c.article_id for c in held[i]}, {c.article_id for c in held[j]}
        return any(joined(a, b) for a in ours for b in theirs if a != b)

    return {pair: found for pair, found in links.items() if anchors(found, options) or stands(*pair)}


def anchors(found: Judgement, options: RelationOptions) -> bool:
    """A link that ties its two articles to one story on its own: a copy, a restatement sharing a
    name or a figure, or an overlap of a shared figure and part of the wording (not one of a
    shared amount and name alone: in unrelated articles both recur by chance)."""
    if found.relation is Relation.OVERLAPS:
        return found.evidence.wording >= options.overlap
    return found.relation in COPIES or bool(found.evidence.shared_names or found.evidence.shared_figures)


def group_links(links: Sequence[ClaimLink], options: RelationOptions | None = None) -> Related:
    """Cohesive clusters of the claims of links found elsewhere (the bulk copy engine,
    ``cluster.shingles``), by the same grouping as ``relate``; claims are numbered by text."""
    options = options or RelationOptions()
    claims = sorted({c.claim_id: c for link in links for c in (link.a, link.b)}.values(), key=_by_text)
    number = {c.claim_id: n for n, c in enumerate(claims)}
    pairs: dict[tuple[int, int], tuple[Relation, float]] = {}
    for link in links:
        i, j = sorted((number[link.a.claim_id], number[link.b.claim_id]))
        pairs[(i, j)] = (link.relation, link.score)
    split = partition(
        len(claims),
        pairs,
        lambda i, j: judge(features(claims[i].text), features(claims[j].text), options).relation,
    )
    clusters = tuple(
        Cluster(tuple(claims[n] for n in members), tuple(claims[n] for n in also))
        for members, also in zip(split.members, split.also, strict=True)
        if len(members) > 1 or also
    )
    return Related(tuple(links), clusters, options)


def _term_hashes(
    texts: Sequence[str], memo: Memo, engine: Engine
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """``candidates.term_hashes`` of ``texts``, those of texts the memo lacks computed (on
    ``engine``) and added to it."""
    import numpy as np  # noqa: PLC0415

    missing = [t for t in texts if t not in memo.terms]
    hashes, counts = term_hashes(missing, engine)
    raw, at = hashes.tobytes(), 0
    for text, count in zip(missing, counts.tolist(), strict=True):
        memo.terms[text] = raw[at : at + count * 8]
        at += count * 8
    known = [memo.terms[t] for t in texts]
    return (
        np.frombuffer(b"".join(known), dtype=np.int64),
        np.array([len(k) // 8 for k in known], dtype=np.int64),
    )


def _by_text(claim: Claim) -> tuple[str, tuple[str, str, int, int, int]]:
    return features(claim.text).key, claim_order(claim)


def _one_article(left: Sequence[Claim], right: Sequence[Claim]) -> bool:
    """True when every claim of both nodes is of one article (a sentence and its neighbour)."""
    articles = {c.article_id for c in left} | {c.article_id for c in right}
    return len(articles) == 1


def _link(a: Claim, b: Claim, found: Judgement) -> ClaimLink:
    """The link from the earlier of ``a`` and ``b`` to the later, with the relation's evidence."""
    if claim_order(b) < claim_order(a):
        a, b = b, a
        found = Judgement(found.relation, found.score, _swapped(found.evidence))
    return ClaimLink(
        a, b, found.relation, found.score, found.conflict_text(a.source, b.source), found.evidence
    )


def _swapped(found: Evidence) -> Evidence:
    """The evidence of a pair read the other way round (names and figures per side swapped)."""
    return replace(
        found,
        differing_figures=tuple((theirs, ours) for ours, theirs in found.differing_figures),
        names_only_a=found.names_only_b,
        names_only_b=found.names_only_a,
    )


def extract_claims(article: Article, revision: int, when: str) -> list[Claim]:
    """The claims (sentences) of one revision of an article. Headings are structure, not claims
    (``segment.is_heading``): "WHY IT MATTERS" is no unique claim of its source; they keep their
    paragraph number, so claim ids stay the positions a reader sees."""
    return [
        Claim(article.article_id, revision, p, s, text, article.meta.source or "", when)
        for p, paragraph in enumerate(article.paragraphs)
        if not is_heading(paragraph)
        for s, text in enumerate(sentences(paragraph))
    ]


def shared_pairs(
    a: Sequence[str], b: Sequence[str], options: RelationOptions | None = None
) -> list[tuple[int, int, str, float]]:
    """(sentence of ``a``, sentence of ``b``, relation, score) for every two sentences of the two
    documents that sit in one claim group when the two are related alone: what ``diff`` across
    sources pairs. The relation and score are the direct link's, else the group's strongest link of
    either sentence (the two are one claim through the group)."""
    claims = [Claim("a", 1, 0, i, text, "a", "") for i, text in enumerate(a)]
    claims += [Claim("b", 1, 0, j, text, "b", "") for j, text in enumerate(b)]
    return pairs_in_groups(relate(claims, options).groups(), {c: c.sentence for c in claims}, "a", "b")


def pairs_in_groups(
    groups: Iterable[ClaimGroup], unit: Mapping[Claim, int], left: str, right: str
) -> list[tuple[int, int, str, float]]:
    """The pairs of ``shared_pairs`` from groups of claims, between the articles ``left`` and
    ``right``: ``unit`` numbers each of their claims as the alignment's units (sentences in order)."""
    found: dict[tuple[int, int], tuple[str, float]] = {}
    for group in groups:
        members = [c for c in (*group.claims, *group.also) if c in unit]
        ours = [c for c in members if c.article_id == left]
        theirs = [c for c in members if c.article_id == right]
        if not ours or not theirs:
            continue
        direct = {frozenset((link.a.claim_id, link.b.claim_id)): link for link in group.links}
        strongest = max(group.links, key=lambda link: link.score)
        for x in ours:
            for y in theirs:
                link = direct.get(frozenset((x.claim_id, y.claim_id)), strongest)
                key = (unit[x], unit[y])
                if key not in found or found[key][1] < link.score:
                    found[key] = (link.relation.value, link.score)
    return [(i, j, relation, score) for (i, j), (relation, score) in sorted(found.items())]
