"""Evaluation of claim matching on MRPC (../shared/data/mrpc-dev): "same claim" decisions on 4,076
human-labelled pairs of news sentences from different articles on one story.

Each sentence is a claim of its own article; the corpus for term rarity is every sentence of the set
(7,800 sentences). Scored, against the labels:

* provdiff's ``verify`` exactly as the corpus uses it, with its default thresholds: "same claim" is
  a copy or a restatement (``reworded``); ``overlaps`` (shares a fact, says more or less) is not,
  which is MRPC's own line between a paraphrase and a sentence with more information. The default
  ``restate`` threshold was itself chosen on these pairs (the two-fold line below shows what it is
  worth on pairs it was not chosen on);
* the plain fuzzy-ratio baseline (rapidfuzz ``ratio``) and provdiff's wording overlap, each with its
  threshold chosen on one half of the pairs and measured on the other (two-fold), so no number is
  tuned on the pairs it is reported on.

Reference points (data README): always "same" 0.675 accuracy; fuzzy-ratio threshold 0.716 / F1 0.807.

Run: ``.venv/bin/python -m benchmarks.eval_mrpc [--data PATH]``
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from rapidfuzz import fuzz

from provdiff.alignment.claims import term_set, wording
from provdiff.cluster.verify import ClusterOptions, Rarity, Side, verify, wording_overlap
from provdiff.model import Claim, Relation

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mrpc-dev"
Pair = tuple[int, str, str]


def load(data: Path) -> list[Pair]:
    """(label, sentence 1, sentence 2) of every pair of the train split."""
    with (data / "msr_paraphrase_train.txt").open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)
        return [(int(row[0]), row[3], row[4]) for row in rows if len(row) == 5]


def scores(pairs: Sequence[Pair], decide: Callable[[str, str], bool]) -> tuple[float, float]:
    """(accuracy, F1 of the positive class) of ``decide`` against the labels."""
    tp = fp = fn = tn = 0
    for label, left, right in pairs:
        guess = decide(left, right)
        tp += guess and label == 1
        fp += guess and label == 0
        fn += (not guess) and label == 1
        tn += (not guess) and label == 0
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return (tp + tn) / len(pairs), f1


def two_fold(pairs: Sequence[Pair], score: Callable[[str, str], float]) -> tuple[float, float, list[float]]:
    """Threshold chosen for accuracy on one half, measured on the other; mean over both folds."""
    halves = (pairs[0::2], pairs[1::2])
    results: list[tuple[float, float]] = []
    chosen: list[float] = []

    def at(threshold: float) -> Callable[[str, str], bool]:
        return lambda a, b: score(a, b) >= threshold

    for train, test in ((halves[0], halves[1]), (halves[1], halves[0])):
        grid = [k / 100 for k in range(101)]
        best = max(grid, key=lambda t: scores(train, at(t))[0])
        chosen.append(best)
        results.append(scores(test, at(best)))
    return sum(r[0] for r in results) / 2, sum(r[1] for r in results) / 2, chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    pairs = load(args.data)
    sentences = {s for _, a, b in pairs for s in (a, b)}
    held: Counter[str] = Counter(t for s in sentences for t in term_set(s) | wording(s))
    rarity = Rarity(held, len(sentences))
    options = ClusterOptions()

    def side(text: str, name: str) -> Side:
        return Side(Claim(name, 1, 0, 0, text, name, ""), Counter(term_set(text)))

    def corpus_decision(left: str, right: str) -> bool:
        link = verify(side(left, "a"), side(right, "b"), rarity, options)
        return link is not None and link.relation is not Relation.OVERLAPS

    start = time.perf_counter()
    accuracy, f1 = scores(pairs, corpus_decision)
    elapsed = time.perf_counter() - start
    positive = sum(p[0] for p in pairs) / len(pairs)
    print(f"pairs: {len(pairs)} (positive share {positive:.3f}); sentences {len(sentences)}")
    print(
        f"provdiff verify, default thresholds: accuracy {accuracy:.3f}  F1 {f1:.3f}  "
        f"({len(pairs) / elapsed:.0f} pairs/s)"
    )
    for name, scorer in (
        ("fuzzy ratio baseline", lambda a, b: fuzz.ratio(a, b) / 100),
        ("provdiff wording overlap", lambda a, b: wording_overlap(a, b, rarity)),
    ):
        accuracy, f1, chosen = two_fold(pairs, scorer)
        print(f"{name:<27} two-fold: accuracy {accuracy:.3f}  F1 {f1:.3f}  (thresholds {chosen})")
    print(f"always 'same': accuracy {positive:.3f}")
    ratio = [fuzz.ratio(a, b) / 100 for _, a, b in pairs]
    best = max(
        (k / 100 for k in range(101)),
        key=lambda t: sum((r >= t) == (p[0] == 1) for r, p in zip(ratio, pairs, strict=True)),
    )
    theirs = [(r >= best) == (p[0] == 1) for r, p in zip(ratio, pairs, strict=True)]
    ours = [corpus_decision(a, b) == (label == 1) for label, a, b in pairs]
    low, high = paired_bootstrap(ours, theirs)
    print(
        f"fuzzy ratio, best threshold on all pairs ({best:.2f}): accuracy {sum(theirs) / len(pairs):.3f}; "
        f"verify's accuracy gain over it {(sum(ours) - sum(theirs)) / len(pairs):+.3f} "
        f"(paired bootstrap 95%: {low:+.3f} .. {high:+.3f})"
    )


def paired_bootstrap(ours: Sequence[bool], theirs: Sequence[bool], rounds: int = 2000) -> tuple[float, float]:
    """95% interval of the accuracy difference, resampling pairs (both deciders see the same pairs)."""
    rng = random.Random(7)
    gains = [int(a) - int(b) for a, b in zip(ours, theirs, strict=True)]
    means = sorted(sum(rng.choices(gains, k=len(gains))) / len(gains) for _ in range(rounds))
    return means[int(0.025 * rounds)], means[int(0.975 * rounds)]


if __name__ == "__main__":
    main()
