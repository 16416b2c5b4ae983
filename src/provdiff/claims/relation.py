"""The one decision: are two claims the same claim, and how do they relate?

``judge`` is the only place in provdiff that says so; ``claims``, ``diff`` across sources, ``blame``,
``audit``, ``review``, ``stories`` and the HTML report all get their "same claim" from it (through the
groups of ``claims.groups``). It reads the two claims' evidence (``claims.evidence``) and nothing else:
no corpus statistic, no other claim. First rule that holds:

1. a sentence that states nothing (a dateline) on either side: *different*;
2. equal match keys (the same sentence up to typography and figure notation): *verbatim*;
3. names of other subjects: *different* when the subjects are places with none in common
   ("Japan agreed to 15 percent" is no witness for "South Korea agreed to 15 percent"), or when
   the two are the same sentence but for their names (similarity with the names blanked at least
   ``copy``: "Prime Minister Ishiba said..." and "Prime Minister Starmer said..." the same words);
   otherwise another subject (a person or body where the other
   names a country: "Rumsfeld said" and "the US said", as MRPC's outlets write) is one input of
   the restatement model, which weighs it against the rest;
4. skeletons (figures blanked) at least ``copy`` similar: a *figure variant* when a unit's figures
   disagree, else an *edited copy* when the keys are ``copy`` similar too;
5. the restatement model (``claims.restatement``: logistic models over the evidence, fitted on
   MRPC; where the lexical one is unsure, the semantic one, which also reads what the two
   sentences mean, ``claims.meaning``) gives at least ``restate``: *reworded* (a figure that
   disagrees is a conflict on it);
6. a unit's figures disagree: *different* (other facts: "$350 billion in investment" and "$100
   billion of gas" are two claims);
7. a shared amount or percent, and wording overlap at least ``overlap`` (or, for an amount of
   money, a shared name): *overlaps* (one says more, or says it otherwise: two outlets' "$350
   billion" sentences about Seoul and South Korea);
8. the restatement model gives at least ``compatible``: *compatible*, not the same claim but nothing against
   it: the two may sit in one group (``claims.groups``), neither corroborates the other;
9. else *different*.

Copies (verbatim, edited copy, figure variant) are not independent witnesses; reworded and
overlapping claims are.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from provdiff.claims import meaning, restatement
from provdiff.claims.evidence import evidence, with_names
from provdiff.claims.features import Features, features
from provdiff.claims.options import RelationOptions
from provdiff.model import SAME, Evidence, Relation
from provdiff.segment.amounts import readable

_NOTHING = Evidence(wording=0.0, copy=0.0, skeleton=0.0)


@dataclass(frozen=True, slots=True)
class Judgement:
    """What the relation says of a pair: the relation, its score (0..1) and the evidence."""

    relation: Relation
    score: float
    evidence: Evidence

    @property
    def same(self) -> bool:
        """True when the two are one claim (a link)."""
        return self.relation in SAME

    @property
    def conflict(self) -> tuple[tuple[str, str], ...]:
        """The figures that disagree, (a's, b's) per unit, when the two are one claim."""
        return self.evidence.differing_figures if self.same else ()

    def conflict_text(self, source_a: str, source_b: str) -> str:
        """ "15% (src-a) vs 20% (src-b)" per unit that disagrees, "" when none does."""
        return readable(
            "; ".join(f"{ours} ({source_a}) vs {theirs} ({source_b})" for ours, theirs in self.conflict)
        )


def judge(a: Features, b: Features, options: RelationOptions | None = None) -> Judgement:
    """The relation of two claims (see the module docstring for the rules, in order). Without
    ``options``, those of this moment (``--lexical`` is read when called, not when imported)."""
    options = options or RelationOptions()
    if not (a.states and b.states):
        return Judgement(Relation.DIFFERENT, 0.0, replace(_NOTHING, reason="states nothing"))
    if a.key == b.key:
        return Judgement(Relation.VERBATIM, 1.0, replace(evidence(a, b), reason="the same sentence"))
    model = options.model or restatement.coefficients()
    if options.semantic and model.across is not None and a.lang and b.lang and a.lang != b.lang:
        return _across(a, b, model.across)
    found = evidence(a, b, names=False)
    floor = min(options.compatible, model.consult[0]) if options.semantic else options.compatible
    # Most candidate pairs fail every rule whatever their names say: no copy, no shared measure,
    # and a restatement probability under ``compatible`` even with the names at their most
    # favourable. They are different either way, and the names are most of the evidence's cost.
    if (
        found.skeleton < options.copy
        and not any(map(_measure, found.shared_figures))
        and model.lexical.most(restatement.vector(a, b, found), restatement.NAME_COLUMNS) < floor
    ):
        return _said(Relation.DIFFERENT, 0.0, found, "little in common (names not weighed)")
    found = with_names(found, a, b)
    inputs = restatement.vector(a, b, found)
    found = replace(found, restates=round(model.lexical.probability(inputs), 4))
    # another place, or the same words about another person or body: a distractor, not a witness
    if found.other_subject and (found.other_place or found.unnamed >= options.copy):
        return _said(Relation.DIFFERENT, 0.0, found, f"other subject: {found.other_subject}")
    if found.skeleton >= options.copy:
        if found.differing_figures:
            return _said(Relation.FIGURE_VARIANT, found.skeleton, found, "the same sentence, other figures")
        if found.copy >= options.copy:
            return _said(Relation.EDITED_COPY, found.copy, found, "nearly the same sentence")
    low, high = model.consult
    if options.semantic and low <= found.restates <= high:
        # the words alone cannot decide: what the two sentences mean does
        extra = restatement.meaning_inputs(meaning.vector(a.text), meaning.vector(b.text))
        found = replace(
            found,
            restates=round(model.semantic.probability([*inputs, *extra]), 4),
            meaning=round(extra[0], 4),
        )
    if found.restates >= options.restate:
        return _said(Relation.REWORDED, found.restates, found, "a restatement (fitted model)")
    if found.differing_figures:
        return _said(Relation.DIFFERENT, 0.0, found, "other figures, other wording")
    if any(map(_measure, found.shared_figures)):
        if found.wording >= options.overlap:
            return _said(Relation.OVERLAPS, found.wording, found, "a shared figure, part of the wording")
        if found.shared_names and any(map(_amount, found.shared_figures)):
            return _said(Relation.OVERLAPS, found.wording, found, "a shared amount and name")
    if found.restates >= options.compatible:
        return _said(Relation.COMPATIBLE, found.restates, found, "related wording, nothing against")
    return _said(Relation.DIFFERENT, 0.0, found, "little in common")


def _across(a: Features, b: Features, threshold: float) -> Judgement:
    """Two sentences in two languages: their words cannot be compared, their meaning can (the
    encoder places a translation next to its original), and their figures and places are
    language-independent. Measured on ``tests/fixtures/crosslingual.tsv``."""
    found = with_names(evidence(a, b, names=False), a, b)
    if found.other_subject and found.other_place:
        return _said(Relation.DIFFERENT, 0.0, found, f"other subject: {found.other_subject}")
    cosine = round(meaning.similarity(a.text, b.text), 4)
    found = replace(found, meaning=cosine)
    if found.differing_figures:
        return _said(Relation.DIFFERENT, 0.0, found, "another language, other figures")
    if cosine >= threshold:
        return _said(Relation.REWORDED, cosine, found, f"the same claim in {a.lang} and {b.lang} (meaning)")
    return _said(Relation.DIFFERENT, 0.0, found, f"{a.lang} and {b.lang}, another meaning")


def judge_texts(a: str, b: str, options: RelationOptions | None = None) -> Judgement:
    """``judge`` of two sentences as written."""
    return judge(features(a), features(b), options)


def _measure(token: str) -> bool:
    """A figure token with a unit ("USD350000000000", "15%"), not a bare count ("300")."""
    return not token.replace(".", "").isdigit()


def _amount(token: str) -> bool:
    """A figure token that is an amount of money ("USD350000000000"): rarer by chance than a percent."""
    return token[:1].isalpha()


def _said(relation: Relation, score: float, found: Evidence, reason: str) -> Judgement:
    return Judgement(relation, round(score, 4), replace(found, reason=reason))
