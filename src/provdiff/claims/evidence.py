"""The evidence for a pair of claims: scores, and the figures and names they share or not.

Every number is a function of the two claims' features (``claims.features``), so a judgement can be
repeated by anyone with the two sentences, and does not change as the corpus grows.

* **wording**: each word of each claim weighs the square root of its general-language weight
  (``lexicon.word_weight``: "the" little, "tariff" more, a name or a rare word most); the overlap is
  the harmonic mean of the two shares of weight that the other claim repeats, so a sentence that
  adds or drops a clause falls short of a restatement. Numbers are left out: a figure variant keeps
  its wording;
* **copy** / **skeleton** / **word set**: rapidfuzz ``ratio`` of the match keys, of the keys with
  each figure replaced by its unit, and ``token_set_ratio`` of the keys (lower case);
* **lengths**: the shorter claim's word count over the longer's;
* **figures**, unit by unit: a unit both claims state agrees when a value is shared, and differs when
  none is ("18%" vs "21%", whatever other figure they share);
* **names**: the entities of each claim matched to the other's (one place, or a shared name word).
  Two claims are about **other subjects** when each names countries and none is the other's, or
  when each has a subject (a name among its first words, or a speaker) that names nothing the other
  names: "Prime Minister Ishiba said..." and "Prime Minister Starmer said...".
"""

from __future__ import annotations

from dataclasses import replace

from rapidfuzz import fuzz

from provdiff.claims.features import Features
from provdiff.claims.lexicon import root_weight
from provdiff.model import Evidence


def evidence(a: Features, b: Features, *, names: bool = True) -> Evidence:
    """The evidence for the pair (``a``, ``b``); symmetric but for which side a name is listed on.

    With ``names`` false the names are left out (``with_names`` adds them): they cost most of the
    evidence, and most candidate pairs are told different without them (``claims.relation``)."""
    shared_figures, differing = _figures(a, b)
    copy = fuzz.ratio(a.key, b.key) / 100.0
    # without a figure on either side the skeletons are the keys, lower-cased
    outline = fuzz.ratio(a.skeleton, b.skeleton) / 100.0 if a.measures or b.measures else copy
    sizes = sorted((len(a.wording), len(b.wording)))
    found = Evidence(
        wording=round(_harmonic(_shared_mass(a, b), a.mass, b.mass), 4),
        copy=round(copy, 4),
        skeleton=round(outline, 4),
        word_set=round(fuzz.token_set_ratio(a.key, b.key, processor=str.lower) / 100.0, 4),
        lengths=round(sizes[0] / sizes[1], 4) if sizes[1] else 0.0,
        shared_figures=shared_figures,
        differing_figures=differing,
    )
    return with_names(found, a, b) if names else found


def with_names(found: Evidence, a: Features, b: Features) -> Evidence:
    """``found`` with the names of the pair: shared, unmatched on either side, other subject."""
    shared_names, only_a, only_b, other, placed = _names(a, b)
    unnamed = round(fuzz.ratio(_unnamed(a), _unnamed(b)) / 100.0, 4) if other and not placed else 0.0
    return replace(
        found,
        shared_names=shared_names,
        names_only_a=only_a,
        names_only_b=only_b,
        other_subject=other,
        other_place=placed,
        unnamed=unnamed,
    )


def _unnamed(side: Features) -> str:
    """The claim's skeleton with each of its names blanked (longest first: "South Korea" before "Korea")."""
    text = side.skeleton
    for name in sorted((e.name.lower() for e in side.entities), key=len, reverse=True):
        text = text.replace(name, "@")
    return text


def wording_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Harmonic mean of the shares of each wording's weight that the other repeats (0..1).

    >>> round(wording_overlap(frozenset("seoul pledged the money".split()),
    ...                       frozenset("seoul promised the money".split())), 2)
    0.67
    """
    return _harmonic(sum(map(root_weight, a & b)), sum(map(root_weight, a)), sum(map(root_weight, b)))


def _shared_mass(a: Features, b: Features) -> float:
    small, large = (a, b) if len(a.wording) <= len(b.wording) else (b, a)
    roots = small.roots
    return sum(roots[w] for w in small.wording if w in large.wording)


def _harmonic(shared: float, mass_a: float, mass_b: float) -> float:
    """The harmonic mean of the shares ``shared`` is of ``mass_a`` and of ``mass_b`` (0 if any is 0)."""
    if not shared or not mass_a or not mass_b:
        return 0.0
    share_a, share_b = shared / mass_a, shared / mass_b
    return 2 * share_a * share_b / (share_a + share_b)


def _figures(a: Features, b: Features) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """(figures both state, (a's, b's) for each unit both state with no value in common)."""
    theirs = dict(b.measures)
    shared: list[str] = []
    differing: list[tuple[str, str]] = []
    for unit, ours in a.measures:
        other = theirs.get(unit)
        if other is None:
            continue
        common = ours & other
        if common:
            shared.extend(sorted(common))
        else:
            differing.append((", ".join(sorted(ours)), ", ".join(sorted(other))))
    return tuple(shared), tuple(differing)


def _names(a: Features, b: Features) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str, bool]:
    """(names of ``a`` matched in ``b``, ``a``'s unmatched, ``b``'s unmatched, other subject, and
    whether the other subject is another place)."""
    shared = tuple(e.name for e in a.entities if any(e.matches(o) for o in b.entities))
    only_a = tuple(e.name for e in a.entities if not any(e.matches(o) for o in b.entities))
    only_b = tuple(e.name for e in b.entities if not any(e.matches(o) for o in a.entities))
    places_a = {e.place for e in a.entities if e.place}
    places_b = {e.place for e in b.entities if e.place}
    if places_a and places_b and not places_a & places_b:
        return shared, only_a, only_b, f"{_listed(a, only_a)} vs {_listed(b, only_b)}", True
    other = f"{_subjects(a)} vs {_subjects(b)}" if _subjects_differ(a, b) else ""
    return shared, only_a, only_b, other, False


def _listed(side: Features, unmatched: tuple[str, ...]) -> str:
    """The unmatched names of one side that are places."""
    return ", ".join(e.name for e in side.entities if e.name in unmatched and e.place is not None)


def _subjects_differ(a: Features, b: Features) -> bool:
    """Both claims have a subject (``features.entities``), and neither's matches a name of the other."""
    ours = [e for e in a.entities if e.subject]
    theirs = [e for e in b.entities if e.subject]
    if not ours or not theirs:
        return False
    return not any(e.matches(o) for e in ours for o in b.entities) and not any(
        e.matches(o) for e in theirs for o in a.entities
    )


def _subjects(side: Features) -> str:
    return ", ".join(e.name for e in side.entities if e.subject)
