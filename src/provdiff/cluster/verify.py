"""Is claim y the same claim as claim x, and how do they relate? The verification step.

Candidates come from shared rare terms (``candidates``); each is then checked, first rule that holds:

1. verbatim: equal match keys (the same sentence, up to typography and figure notation);
2. figure variant: similarity of figure-blind skeletons >= ``copy`` (0.9) and a figure disagrees
   (a copy that changed a number: the case a fact-checker most needs to see);
3. edited copy: rapidfuzz similarity of the match keys >= ``copy``;
4. reworded (a restatement): the wording overlap of the two claims >= ``restate`` (0.55). Every
   word and number of each claim (``alignment.claims.wording``: function words too) weighs the square
   root of its corpus rarity (below); the overlap is the harmonic mean of the two shares of weight
   that the other claim repeats, so a sentence that adds or drops a clause falls short. On MRPC's
   news paraphrases this is what tells "says the same" from "says more" (benchmarks/eval_mrpc.py);
5. overlaps (shares a fact, says more or less): evidence from shared terms rare within both
   articles >= ``claim`` (0.5): the anchor score of ``alignment.claims`` (each term worth
   ``1 / (df in x's article * df in y's article)``), times how rare the term is across articles,
   ``log(N / n) / log(N / 2)`` for a term in ``n`` of ``N`` articles: 1 for a term only the two
   articles share, 0 for one every article has ("South Korea" in a corpus about Korea), so a story's
   common vocabulary cannot make two claims one. At least two shared terms (a figure counts twice)
   must also be *anchors*, held by at most ``anchor_share`` (1%) of the articles: without that,
   words each article happens to use once (common across the corpus, rare in each article) linked
   unrelated claims of random text. And the two claims must share a rare figure with a unit (an
   amount, a percent; not a bare count) or a ``related`` (0.3) share of their wording: without
   that, sentences of one story that only share its topic words ("defense spending", "energy
   security") were linked, and on ECB+'s real news 11% of these links joined articles of different
   topics; with it, 4% (benchmarks/eval_links_ecbplus.py). Two outlets' "$350 billion" sentences are
   linked this way.

Datelines and other sentences that state nothing (``segment.states_something``) are never linked.

A reworded or overlapping claim is a second witness only when the two *articles* report one story:
the cosine of their content words (``cluster.stories.profile``) must reach ``story`` (0.1). A
sentence-level matcher cannot tell a shared fact from a coincidence ("$866.4 billion" in two
unrelated reports); the rest of the two articles can. On ECB+ this drops 18 of the 31 overlaps links
and 13 of the 18 reworded links that join articles of different topics, and none within one event
(benchmarks/eval_links_ecbplus.py). Copies need no such check: a copied sentence is evidence of
itself. Matching applies it (``cluster.matcher``), since it knows the articles; ``verify`` sees two
claims.

Reworded and overlapping claims are both independent witnesses of what they share; copies are not.

A figure of one unit that differs between the two claims is a conflict, whatever the relation.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat

from rapidfuzz import fuzz

from provdiff.alignment.claims import measure_terms, term_set, wording
from provdiff.alignment.edits import compare_figures
from provdiff.model import Claim, ClaimLink, EditKind, Relation
from provdiff.segment import figures, match_key, plain, skeleton, states_something

_FIGURE_WEIGHT = 2.0  # a shared figure is strong evidence
_PAIR_WEIGHT = 0.5  # a shared word pair adds to its words (which already count), not twice as much
_EVIDENCE_SCALE = 2.0


def term_weight(term: str) -> float:
    """Base weight of a term kind: figures ``#...`` 2, word pairs ``a_b`` 0.5, words 1."""
    if term.startswith("#"):
        return _FIGURE_WEIGHT
    return _PAIR_WEIGHT if "_" in term else 1.0


@dataclass(frozen=True, slots=True)
class ClusterOptions:
    """Thresholds of claim matching across the corpus (0..1), echoed in reports."""

    copy: float = 0.9  # key similarity of an edited copy (and skeleton similarity of a variant)
    claim: float = 0.5  # anchor evidence of an overlapping claim
    # wording overlap of a restatement: 0.547 and 0.552 chosen on either half of MRPC, 0.735 accuracy
    # on the other half (benchmarks/eval_mrpc.py)
    restate: float = 0.55
    gram_cap: int = 100  # a term in more claims than this never proposes candidates
    min_shared: int = 2  # shared looked-up terms to become a candidate
    # a figure held by at most this many claims counts as two of them, so alone it makes its holders
    # candidates; a more common one counts once, like any term (``matcher.count_votes``)
    lone_figure: int = 3
    lookup_terms: int = 8  # each claim looks candidates up by its rarest terms only: bounded work
    anchor_share: float = 0.01  # a reworded match needs two shared terms held by at most 1% of articles
    related: float = 0.3  # wording overlap of claims that share a fact but no rare figure
    # cosine of the two articles' content words that a reworded or overlapping claim needs (below)
    story: float = 0.1


@dataclass(frozen=True, slots=True)
class Rarity:
    """How many articles hold each term, to weight shared terms by their rarity in the corpus."""

    articles: Counter[str]
    total: int
    _weights: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    _roots: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    _masses: dict[frozenset[str], float] = field(default_factory=dict, compare=False, repr=False)
    _weight_of: dict[int, float] = field(default_factory=dict, compare=False, repr=False)
    _root_of: dict[int, float] = field(default_factory=dict, compare=False, repr=False)
    _id_roots: dict[int, float] = field(default_factory=dict, compare=False, repr=False)
    _id_masses: dict[frozenset[int], float] = field(default_factory=dict, compare=False, repr=False)

    def is_anchor(self, term: str, share: float) -> bool:
        """True for a term held by at most ``share`` of the articles (and never fewer than two)."""
        return self.articles[term] <= max(2.0, share * self.total)

    def weight(self, term: str) -> float:
        """1 for a term in at most two articles, falling to 0 for a term in every article."""
        known = self._weights.get(term)
        if known is None:
            count = self.articles.get(term, 0)
            known = self._weights[term] = self._count_weights([count])[count]
        return known

    def _count_weights(self, counts: Iterable[int]) -> dict[int, float]:
        """``weight`` by article count, for at least ``counts``. A weight depends on the count
        alone, and the ~1,000 words a match weighs share ~400 counts: weighing word by word took
        ~3 ms of a 16 ms match (3k generated articles)."""
        known = self._weight_of
        new = list(set(counts).difference(known))
        if new:
            known.update(zip(new, _weights(new, self.total), strict=True))
        return known

    def root_weights(self, terms: Iterable[str]) -> dict[str, float]:
        """The square roots of ``weight``, remembered, for at least ``terms`` (``wording_overlap``
        weighs every word of every candidate pair: the dict lookups it then sums run in C, and so
        do these, by article count)."""
        roots = self._roots
        missing = [t for t in terms if t not in roots]
        if missing:
            counts = list(map(self.articles.get, missing, repeat(0)))
            root_of = self._roots_of_counts(counts)
            roots.update(zip(missing, map(root_of.__getitem__, counts), strict=True))
        return roots

    def _roots_of_counts(self, counts: Iterable[int]) -> dict[int, float]:
        """``root_weights`` by article count, for at least ``counts``."""
        root_of = self._root_of
        new = set(counts).difference(root_of)
        if new:
            weights = self._count_weights(new)
            root_of.update({c: math.sqrt(weights[c]) for c in new})
        return root_of

    def weigh_ids(self, ids: Sequence[int], holders: Sequence[int]) -> None:
        """Remember the root weight of words by id (``cluster.vocabulary``), from how many
        articles hold each (``holders``, in the order of ``ids``): what ``id_overlap`` sums.
        Whoever gives the ids gives the counts the words' strings have in ``articles``."""
        root_of = self._roots_of_counts(holders)
        self._id_roots.update(zip(ids, map(root_of.__getitem__, holders), strict=True))

    def id_overlap(self, a: frozenset[int], b: frozenset[int]) -> float:
        """``wording_overlap`` of two wordings given as word ids, every one weighed (``weigh_ids``).

        The same formula on the same weights: a candidate claim's stored ids stand for its text,
        which then need not be read again. A claim's own sum is remembered (as in ``masses``)."""
        if not a or not b:
            return 0.0
        roots, known = self._id_roots, self._id_masses
        mass_a = known.get(a)
        if mass_a is None:
            mass_a = known[a] = sum(map(roots.__getitem__, a))
        mass_b = known.get(b)
        if mass_b is None:
            mass_b = known[b] = sum(map(roots.__getitem__, b))
        return _harmonic_share(sum(map(roots.__getitem__, a & b)), mass_a, mass_b)

    def masses(self, a: frozenset[str], b: frozenset[str]) -> tuple[float, float, float]:
        """The summed ``root_weights`` of the words ``a`` and ``b`` share, of ``a``'s and of ``b``'s.

        A claim's own sum is remembered: one article's matching compares each of its claims with
        tens of candidates, and summing both sides for every pair was a third of verification.
        """
        known = self._masses
        mass_a, mass_b = known.get(a), known.get(b)
        roots = self.root_weights(() if mass_a is not None else a)
        if mass_a is None:
            mass_a = known[a] = sum(map(roots.__getitem__, a))
        if mass_b is None:
            roots = self.root_weights(b)
            mass_b = known[b] = sum(map(roots.__getitem__, b))
        return sum(map(roots.__getitem__, a & b)), mass_a, mass_b


def _weights(counts: list[int], total: int) -> list[float]:
    """``Rarity.weight`` of each article count: ``log(total / max(count, 2)) / log(total / 2)``,
    at least 0, and 1 for a corpus of two articles or fewer. In numpy: a match weighs the ~600
    distinct counts of its words afresh (the total grows with every article), and one logarithm
    at a time in Python was most of weighing them."""
    if total <= 2:
        return [1.0] * len(counts)
    import numpy as np  # noqa: PLC0415 - ingest of a corpus without an index never loads numpy

    held = np.maximum(np.array(counts, dtype=np.float64), 2.0)
    weights: list[float] = np.maximum(0.0, np.log(total / held) / math.log(total / 2)).tolist()
    return weights


def evidence_score(
    shared: Iterable[str], df_x: Mapping[str, int], df_y: Mapping[str, int], rarity: Rarity
) -> float:
    """0..1 from shared terms, each worth its corpus rarity over ``df in x's article * df in y's``."""
    total = sum(term_weight(term) * rarity.weight(term) / (df_x[term] * df_y[term]) for term in shared)
    return 1.0 - math.exp(-total / _EVIDENCE_SCALE)


@dataclass(frozen=True, slots=True)
class Side:
    """A claim with its article's term frequencies (how many of the article's claims hold each
    term; only the overlaps rule reads them)."""

    claim: Claim
    df: Mapping[str, int]
    # its wording as word ids (``cluster.vocabulary``), when the caller has them: the wording
    # overlap then weighs these instead of the text's words (``Rarity.id_overlap``)
    words: frozenset[int] | None = None
    key: str | None = None  # its ``segment.match_key``, when the caller has it (the index stores it)

    @property
    def terms(self) -> frozenset[str]:
        """The claim's terms (``alignment.claims.term_set``), computed when a rule first asks:
        most candidates are turned down before the overlaps rule, which alone reads them."""
        return term_set(self.claim.text)


def verify_copy(x: Claim, y: Claim, options: ClusterOptions) -> ClaimLink | None:
    """Rules 1-3: the link when ``y`` is a verbatim copy, figure variant or edited copy of ``x``.

    Sentences that state nothing (``segment.states_something``: datelines) are never linked.
    """
    if not (states_something(x.text) and states_something(y.text)):
        return None
    return _copy_link(x, y, options)


def _copy_link(x: Claim, y: Claim, options: ClusterOptions, key_x: str | None = None) -> ClaimLink | None:
    """Rules 1-3 on two sentences that both state something (``key_x``: x's match key, if known)."""
    key_y = match_key(y.text)
    if key_x is None:
        key_x = match_key(x.text)
    if key_x == key_y:
        return ClaimLink(x, y, Relation.VERBATIM, 1.0, _conflict(x, y))
    # most candidate pairs are no copy: rapidfuzz stops early below the cutoff (a hair under the
    # threshold, which is then applied to the score as before), and figures are compared only for
    # a pair that is one
    cutoff = options.copy * 100.0 - 1e-6
    conflict: str | None = ""  # no figure on a side: no conflict (``_conflict``), no variant
    if figures(plain(y.text)) and figures(plain(x.text)):
        # so only then are the skeletons built: 93% of generated sentences hold no figure
        variant = fuzz.ratio(skeleton(x.text), skeleton(y.text), score_cutoff=cutoff) / 100.0
        conflict = _conflict(x, y) if variant >= options.copy else None
        if conflict:
            return ClaimLink(x, y, Relation.FIGURE_VARIANT, round(variant, 4), conflict)
    copy = fuzz.ratio(key_x, key_y, score_cutoff=cutoff) / 100.0
    if copy < options.copy:
        return None
    return ClaimLink(
        x, y, Relation.EDITED_COPY, round(copy, 4), _conflict(x, y) if conflict is None else conflict
    )


def verify(x_side: Side, y_side: Side, rarity: Rarity, options: ClusterOptions) -> ClaimLink | None:
    """The link between two claims of different articles, or None when they are not one claim."""
    found = screen(x_side, y_side, rarity, options)
    return overlap(found, rarity, options) if isinstance(found, Pending) else found


@dataclass(frozen=True, slots=True)
class Pending:
    """A pair that meets every condition of the overlaps rule but its evidence score, which reads
    the term frequencies of x's whole article (``Side.df``: for an indexed claim, a large row)."""

    x_side: Side
    y_side: Side

    @property
    def shared(self) -> frozenset[str]:
        """The terms the two claims share (``Side.terms``)."""
        return self.x_side.terms & self.y_side.terms


def screen(x_side: Side, y_side: Side, rarity: Rarity, options: ClusterOptions) -> ClaimLink | Pending | None:
    """``verify`` but the overlaps rule's evidence score: the link, the pair still to be scored
    (``overlap``), or None. Matching scores a pending pair only when the two articles report one
    story (``cluster.matcher``): otherwise its link would be dropped anyway, and at 100k generated
    articles a match had 61 articles to weigh for the story check, nearly all of other stories,
    each of whose profiles the score read (``benchmarks/bench_match_growth.py``)."""
    x, y = x_side.claim, y_side.claim
    if not (states_something(x.text) and states_something(y.text)):
        return None
    copied = _copy_link(x, y, options, x_side.key)
    if copied is not None:
        return copied
    if x_side.words is not None and y_side.words is not None:
        restated = rarity.id_overlap(x_side.words, y_side.words)
    else:
        restated = wording_overlap(x.text, y.text, rarity)
    if restated >= options.restate:
        return ClaimLink(x, y, Relation.REWORDED, round(restated, 4), _conflict(x, y))
    if restated < options.related:
        # below ``related`` the rule needs a rare measure both claims hold, which also makes the
        # two anchors (a figure counts twice): decided on the measures alone, so ``x``'s other
        # terms are computed only if the pair is scored. In matching ``x`` is the indexed
        # candidate: in a generated corpus 19 of 20 fail here, and at 100k articles ~60 per new
        # article are chance overlaps on a shared amount, which the story check then turns down.
        mine = measure_terms(y.text)
        if not mine or not any(
            rarity.is_anchor(t, options.anchor_share) for t in mine & measure_terms(x.text)
        ):
            return None
        return Pending(x_side, y_side)
    rare = [t for t in x_side.terms & y_side.terms if rarity.is_anchor(t, options.anchor_share)]
    if sum(2 if t.startswith("#") else 1 for t in rare) < 2:
        return None
    return Pending(x_side, y_side)


def overlap(pending: Pending, rarity: Rarity, options: ClusterOptions) -> ClaimLink | None:
    """The overlaps link of a pending pair (``screen``) whose evidence score reaches ``claim``."""
    score = evidence_score(pending.shared, pending.x_side.df, pending.y_side.df, rarity)
    if score < options.claim:
        return None
    x, y = pending.x_side.claim, pending.y_side.claim
    return ClaimLink(x, y, Relation.OVERLAPS, round(score, 4), _conflict(x, y))


def wording_overlap(x: str, y: str, rarity: Rarity) -> float:
    """Harmonic mean of the shares of each text's word weight that the other repeats (0..1)."""
    a, b = wording(x), wording(y)
    if not a or not b:
        return 0.0
    return _harmonic_share(*rarity.masses(a, b))


def _harmonic_share(shared: float, mass_a: float, mass_b: float) -> float:
    """The harmonic mean of the shares ``shared`` is of ``mass_a`` and of ``mass_b`` (0 if any is 0)."""
    if not shared or not mass_a or not mass_b:
        return 0.0
    share_a, share_b = shared / mass_a, shared / mass_b
    return 2 * share_a * share_b / (share_a + share_b)


def _conflict(x: Claim, y: Claim) -> str:
    """ "15% (src-a) vs 20% (src-b)" when a figure of one unit disagrees, else ""."""
    if not figures(plain(x.text)) or not figures(plain(y.text)):
        return ""
    kind, rule = compare_figures(x.text, y.text)
    if kind is EditKind.SUBSTANTIVE:
        ours, theirs = rule.removeprefix("figures disagree: ").split(" vs ")
        return f"{ours} ({x.source}) vs {theirs} ({y.source})"
    return ""
