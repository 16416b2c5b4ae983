"""The matching cascade: each stage links what the previous ones left, and records why.

1. exact: equal match keys (whitespace, quotes, dashes and figure notation normalized);
2. split / merge: one unit against several consecutive units joined (before 3, which would pair a
   split paragraph with only the half that kept its sentence);
3. shared sentence (paragraphs only): paragraphs that share a whole sentence;
4. fuzzy: rapidfuzz's normalized Indel similarity of figure-blind skeletons, so a changed figure
   still pairs the sentence with its old self;
Within one article's revisions a paragraph rewritten past the fuzzy threshold is reported as
deleted and added, which is what a reviewer wants to see.

Across sources (``AlignOptions.related``) the cascade does not judge: every pair is the relation's
(``provdiff.claims``: claims in one claim group), taken one-to-one from
the surest down; the others are *related* matches of units already linked. Two sentences of two
sources are never paired on a character similarity alone.

Stages 3-4 score all remaining pairs at once with ``rapidfuzz.process.cdist`` (C, multi-threaded)
and link greedily from the best score down, one partner per unit.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from provdiff.alignment.order import longest_increasing
from provdiff.model import AlignOptions
from provdiff.segment import match_key, plain, sentences, skeleton

# a pair the relation found: (unit of A, unit of B, relation, score)
ClaimPair = tuple[int, int, str, float]
_SURE = ("verbatim", "edited copy", "figure variant", "reworded", "overlaps")  # surest first
_SPLIT_MARGIN = 0.1  # a joined run must beat the best single unit by this much
_MAX_RUN = 3  # longest run of units considered for a split or merge


@dataclass
class Match:
    """A provisional link: A units, B units, the stage that linked them and its score (0..1)."""

    a: tuple[int, ...]
    b: tuple[int, ...]
    reason: str
    score: float


@dataclass
class Matching:
    """Units still free on each side, and the matches made so far."""

    n: int
    m: int
    matches: list[Match] = field(default_factory=list)
    used_a: set[int] = field(default_factory=set)
    used_b: set[int] = field(default_factory=set)

    def free_a(self) -> list[int]:
        return [i for i in range(self.n) if i not in self.used_a]

    def free_b(self) -> list[int]:
        return [j for j in range(self.m) if j not in self.used_b]

    def add(self, a: tuple[int, ...], b: tuple[int, ...], reason: str, score: float) -> None:
        self.matches.append(Match(a, b, reason, score))
        self.used_a.update(a)
        self.used_b.update(b)


def exact(a: Sequence[str], b: Sequence[str], state: Matching) -> None:
    """Pair units with equal match keys: first the longest in-order chain, then the rest as moves.

    The in-order chain is a longest common subsequence of the key sequences, found Hunt-Szymanski
    style: every (i, j) with equal keys, each i's candidates in decreasing j, and a longest strictly
    increasing run of j (so repeated paragraphs pair in order, never crosswise).
    """
    # A unit found verbatim on the other side is keyed by its text; only the rest pay for
    # normalization (most paragraphs of a revision are untouched, and this stage sees them all).
    raw_a, raw_b = set(a), set(b)
    positions: dict[str, list[int]] = defaultdict(list)
    for j, text in enumerate(b):
        positions[text if text in raw_a else match_key(text)].append(j)
    keys_a = [text if text in raw_b else match_key(text) for text in a]
    candidates = [(i, j) for i, key in enumerate(keys_a) for j in reversed(positions.get(key, ()))]
    for k in sorted(longest_increasing(candidates)):
        i, j = candidates[k]
        state.add((i,), (j,), "exact" if a[i] == b[j] else "exact after normalizing", 1.0)
    waiting: dict[str, deque[int]] = {
        key: deque(j for j in js if j not in state.used_b) for key, js in positions.items()
    }
    for i, key in enumerate(keys_a):
        queue = waiting.get(key)
        if i not in state.used_a and queue:
            j = queue.popleft()
            state.add((i,), (j,), "exact" if a[i] == b[j] else "exact after normalizing", 1.0)


def shared_sentences(a: Sequence[str], b: Sequence[str], state: Matching) -> None:
    """Pair paragraphs sharing at least half of the smaller one's distinct sentences, verbatim
    (up to typography: sentences are compared in ``plain`` form)."""
    holders: dict[str, set[int]] = defaultdict(set)
    distinct_b: dict[int, int] = {}
    for j in state.free_b():
        keys = {plain(part) for part in sentences(b[j])}
        distinct_b[j] = len(keys)
        for key in keys:
            holders[key].add(j)
    candidates: list[tuple[float, int, int]] = []
    for i in state.free_a():
        keys = {plain(part) for part in sentences(a[i])}
        shared: dict[int, int] = defaultdict(int)
        for key in keys:
            for j in holders.get(key, ()):
                shared[j] += 1
        for j, count in shared.items():
            share = count / min(len(keys), distinct_b[j])
            if share >= 0.5:
                candidates.append((share, i, j))
    _greedy(candidates, state, "shared sentence")


def split_merge(a: Sequence[str], b: Sequence[str], state: Matching, threshold: float) -> None:
    """Link one unit to a run of 2-3 consecutive free units when the joined run matches it well.

    Splits (one of A to a run of B) and merges (a run of A to one of B) compete in one ranking, so
    swapping the documents turns every split into the same merge.
    """
    candidates: list[tuple[float, tuple[int, ...], tuple[int, ...]]] = []
    free_a, free_b = state.free_a(), state.free_b()
    for source, target, rows, cols, flip in ((a, b, free_a, free_b, False), (b, a, free_b, free_a, True)):
        runs = _runs(cols)
        if not rows or not runs:
            continue
        singles = _scores([skeleton(source[i]) for i in rows], [skeleton(target[j]) for j in cols])
        joined = _scores(
            [skeleton(source[i]) for i in rows], [skeleton(" ".join(target[j] for j in run)) for run in runs]
        )
        for row, i in enumerate(rows):
            best_single = max(singles[row], default=0.0)
            for col, run in enumerate(runs):
                score = joined[row][col]
                if score >= threshold and score >= best_single + _SPLIT_MARGIN:
                    candidates.append((score, run, (i,)) if flip else (score, (i,), run))
    candidates.sort(key=lambda c: (-c[0], abs(c[1][0] - c[2][0]), c[1][0] + c[2][0]))
    for score, left, right in candidates:
        if any(i in state.used_a for i in left) or any(j in state.used_b for j in right):
            continue
        state.add(left, right, "split" if len(right) > 1 else "merge", score)


def fuzzy(a: Sequence[str], b: Sequence[str], state: Matching, threshold: float) -> None:
    """Pair remaining units by character similarity of their figure-blind skeletons."""
    free_a, free_b = state.free_a(), state.free_b()
    if not free_a or not free_b:
        return
    matrix = _scores([skeleton(a[i]) for i in free_a], [skeleton(b[j]) for j in free_b])
    candidates = [
        (float(matrix[r][c]), i, j)
        for r, i in enumerate(free_a)
        for c, j in enumerate(free_b)
        if matrix[r][c] >= threshold
    ]
    _greedy(candidates, state, "fuzzy")


def given(pairs: Sequence[ClaimPair], state: Matching) -> list[Match]:
    """Link the relation's pairs one-to-one, surest first (a copy before a restatement, then by
    score, then in document order); return the rest as related matches of linked units."""
    extra = []
    for i, j, relation, score in sorted(pairs, key=lambda p: (_SURE.index(p[2]), -p[3], p[0], p[1])):
        reason = f"claim: {relation}"
        if i not in state.used_a and j not in state.used_b:
            state.add((i,), (j,), reason, score)
        elif not any(i in match.a and j in match.b for match in state.matches):
            extra.append(Match((i,), (j,), reason, score))
    return extra


def cascade(
    a: Sequence[str], b: Sequence[str], options: AlignOptions, pairs: Sequence[ClaimPair] = ()
) -> tuple[list[Match], list[Match]]:
    """Run every stage; return the one-to-one matches and, across sources, the related matches."""
    state = Matching(len(a), len(b))
    if options.related:
        return state.matches, given(pairs, state)
    exact(a, b, state)
    split_merge(a, b, state, options.split_merge)
    if options.granularity == "paragraph":
        shared_sentences(a, b, state)
    fuzzy(a, b, state, options.fuzzy)
    return state.matches, []


def _scores(left: list[str], right: list[str]) -> list[list[float]]:
    """Similarity matrix 0..1 (rapidfuzz gives 0..100: converted here, at the boundary)."""
    if not left or not right:
        return [[] for _ in left]
    matrix = process.cdist(left, right, scorer=fuzz.ratio, workers=-1)
    return [[float(value) / 100.0 for value in row] for row in matrix]


def _runs(free: list[int]) -> list[tuple[int, ...]]:
    """Runs of 2.._MAX_RUN consecutive free indices."""
    free_set = set(free)
    runs = []
    for start in free:
        for length in range(2, _MAX_RUN + 1):
            run = tuple(range(start, start + length))
            if all(index in free_set for index in run):
                runs.append(run)
    return runs


def _greedy(candidates: list[tuple[float, int, int]], state: Matching, reason: str) -> None:
    """Link from the best score down; ties go to the pair closest to the diagonal, then the earliest.

    The tie-break is symmetric in the two documents, so swapping them links the same pairs.
    """
    candidates.sort(key=lambda c: (-c[0], abs(c[1] - c[2]), c[1] + c[2]))
    for score, i, j in candidates:
        if i not in state.used_a and j not in state.used_b:
            state.add((i,), (j,), reason, score)
