"""Evaluation of claim matching on MRPC (../shared/data/mrpc-dev): "same claim" decisions on 4,076
human-labelled pairs of news sentences from different articles on one story.

Each sentence is a claim of its own article; the corpus for term rarity is every sentence of the set
(7,800 sentences). Scored, against the labels:

* provdiff's ``verify`` exactly as the corpus uses it, with its default thresholds;
* the plain fuzzy-ratio baseline (rapidfuzz ``ratio``) and provdiff's rarity-weighted overlap, each
  with its threshold chosen on one half of the pairs and measured on the other (two-fold), so no
  number is tuned on the pairs it is reported on.

Reference points (data README): always "same" 0.675 accuracy; fuzzy-ratio threshold 0.716 / F1 0.807.

Run: ``.venv/bin/python -m benchmarks.eval_mrpc [--data PATH]``
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from rapidfuzz import fuzz

from provdiff.alignment.claims import term_set
from provdiff.cluster.verify import ClusterOptions, Rarity, Side, term_weight, verify
from provdiff.model import Claim

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
    held: Counter[str] = Counter(t for s in sentences for t in term_set(s))
    rarity = Rarity(held, len(sentences))
    options = ClusterOptions()

    def side(text: str, name: str) -> Side:
        terms = term_set(text)
        return Side(Claim(name, 1, 0, 0, text, name, ""), terms, Counter(terms))

    def corpus_decision(left: str, right: str) -> bool:
        return verify(side(left, "a"), side(right, "b"), rarity, options) is not None

    def weighted_overlap(left: str, right: str) -> float:
        """Rarity-weighted share of the heavier side's terms that the other side also has."""
        a, b = term_set(left), term_set(right)

        def mass(terms: frozenset[str]) -> float:
            return sum(term_weight(t) * rarity.weight(t) for t in terms)

        heavier = max(mass(a), mass(b))
        return mass(a & b) / heavier if heavier else 0.0

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
        ("provdiff weighted overlap", weighted_overlap),
    ):
        accuracy, f1, chosen = two_fold(pairs, scorer)
        print(f"{name:<27} two-fold: accuracy {accuracy:.3f}  F1 {f1:.3f}  (thresholds {chosen})")
    print(f"always 'same': accuracy {positive:.3f}")


if __name__ == "__main__":
    main()
