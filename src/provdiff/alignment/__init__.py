"""Stage ``align``: two documents to an ``Alignment`` of their paragraphs or sentences.

(The package is ``provdiff.alignment`` so that ``provdiff.align`` can be the function itself.)

The cascade (``match``) links units in any order; this module decides which links stay in place and
which moved (``order``), computes each link's word-level patch and classes its edit (``edits``), and
builds difflib-shaped opcodes, so callers that know ``SequenceMatcher.get_opcodes()`` can use it as is.

>>> old = ["Intro.", "Tariffs of 15 percent.", "Closing."]
>>> result = align(old, ["Closing.", "Intro.", "Tariffs of 20%."])
>>> [(link.kind.value, link.a, link.b) for link in result.links]
[('moved', (2,), (0,)), ('unchanged', (0,), (1,)), ('edited', (1,), (2,))]
>>> result.links[2].edit_rule
'figures changed: 15 percent -> 20%'
"""

from __future__ import annotations

from collections.abc import Sequence

from provdiff.alignment.edits import classify_edit, word_patch
from provdiff.alignment.match import ClaimPair, Match, cascade
from provdiff.alignment.order import longest_increasing, opcodes, reconstruct
from provdiff.claims.batch import shared_pairs
from provdiff.claims.relation import judge_texts
from provdiff.model import Alignment, AlignOptions, EditKind, Link, LinkKind, Relation
from provdiff.segment import sentences
from provdiff.segment.amounts import readable

__all__ = ["AlignOptions", "Alignment", "align", "reconstruct", "units"]


def units(paragraphs: Sequence[str], granularity: str) -> list[str]:
    """The units a document is aligned by: its paragraphs, or all its sentences in order."""
    if granularity == "sentence":
        return [sentence for paragraph in paragraphs for sentence in sentences(paragraph)]
    return list(paragraphs)


def align(
    a: Sequence[str],
    b: Sequence[str],
    options: AlignOptions = AlignOptions(),
    pairs: Sequence[ClaimPair] | None = None,
) -> Alignment:
    """Align unit lists ``a`` and ``b`` (already cut by ``units``).

    Across sources (``options.related``) the pairs are the claims of one claim group: ``pairs``
    when the caller has them (the corpus's own groups, so that ``diff`` and ``claims`` agree), else
    the groups of the two documents alone (``claims.shared_pairs``)."""
    if options.related and pairs is None:
        pairs = shared_pairs(a, b)
    matches, extra = cascade(a, b, options, pairs or ())
    matches.sort(key=lambda match: (match.a[0], match.b[0]))
    in_place = longest_increasing([(match.a[0], match.b[0]) for match in matches])
    links = [_link(a, b, match, index in in_place) for index, match in enumerate(matches)]
    backbone = [links[index] for index in sorted(in_place)]
    matched_a = {i for link in links for i in link.a}
    matched_b = {j for link in links for j in link.b}
    for j in range(len(b)):
        if j not in matched_b:
            links.append(Link(LinkKind.ADDED, (), (j,), "no match", 0.0, patch=word_patch("", b[j])))
    for i in range(len(a)):
        if i not in matched_a:
            links.append(Link(LinkKind.DELETED, (i,), (), "no match", 0.0, patch=word_patch(a[i], "")))
    links.sort(key=lambda link: (link.b[0] if link.b else len(b), link.a[0] if link.a else -1))
    return Alignment(
        a=tuple(a),
        b=tuple(b),
        links=tuple(links),
        opcodes=opcodes(len(a), len(b), backbone),
        options=options,
        related=tuple(_link(a, b, match, in_place=True, related=True) for match in extra),
    )


def _link(a: Sequence[str], b: Sequence[str], match: Match, in_place: bool, related: bool = False) -> Link:
    source = "\n".join(a[i] for i in match.a)
    target = "\n".join(b[j] for j in match.b)
    patch = word_patch(source, target)
    if len(match.a) > 1 or len(match.b) > 1:
        kind = LinkKind.MERGED if len(match.a) > 1 else LinkKind.SPLIT
    elif source == target:
        kind = LinkKind.UNCHANGED if in_place else LinkKind.MOVED
    else:
        kind = LinkKind.EDITED if in_place or related else LinkKind.MOVED_EDITED
    flat_source, flat_target = source.replace("\n", " "), target.replace("\n", " ")
    if source == target:
        edit, rule = None, ""
    elif match.reason.startswith("claim"):
        edit, rule = _claim_edit(flat_source, flat_target)
    else:
        edit, rule = classify_edit(flat_source, flat_target)
    return Link(kind, match.a, match.b, match.reason, round(match.score, 4), edit, rule, patch)


def _claim_edit(source: str, target: str) -> tuple[EditKind, str]:
    """How two sources' sentences of one claim differ, by the relation: figures that disagree, or
    one saying more, are substantive; a copy is classed by its word changes; a restatement with no
    figure against it says the same."""
    found = judge_texts(source, target)
    if found.conflict:
        return EditKind.SUBSTANTIVE, "figures disagree: " + readable(
            "; ".join(f"{x} vs {y}" for x, y in found.conflict)
        )
    if found.relation in (Relation.VERBATIM, Relation.EDITED_COPY):
        return classify_edit(source, target)
    if found.relation is Relation.OVERLAPS:
        return EditKind.SUBSTANTIVE, "one says more: a shared figure, part of the wording"
    return EditKind.COSMETIC, "reworded: the same claim"
