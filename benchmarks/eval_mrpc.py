"""Evaluation of the claim relation on MRPC (../shared/data/mrpc-dev): "same claim" decisions on
4,076 human-labelled pairs of news sentences from different articles on one story.

A pair is "the same" for MRPC when the relation (``provdiff.claims.relation.judge``) calls it a copy
or a restatement (``benchmarks.mrpc.same_claim``): *overlaps* (one says more) is not, which is MRPC's
own line between a paraphrase and a sentence with more information.

Everything is 5-fold cross-validated: for each fold, the relation's restatement model is fitted on
the other four folds (``benchmarks.fit_relation``) and each baseline's score cut chosen for accuracy
there, and both are measured on the held-out fold. The predictions of the five held-out folds are
pooled, and the gain over tuned
rapidfuzz ``token_set_ratio`` gets a paired bootstrap 95% interval. Baselines in the same run:
always "same", ``token_set_ratio``, ``ratio``, and the cosine of TF-IDF vectors (idf over the
pairs' sentences).

Run: ``.venv/bin/python -m benchmarks.eval_mrpc [--data PATH]``
"""

from __future__ import annotations

import argparse
import math
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from rapidfuzz import fuzz

from benchmarks.fit_relation import cross_validated as relation_cross_validated
from benchmarks.mrpc import DEFAULT_DATA, FOLDS, PARAPHRASE, Pair, folds, load, metrics
from provdiff.claims.features import features
from provdiff.claims.options import RelationOptions
from provdiff.claims.relation import judge

GRID = [k / 100 for k in range(20, 96)]


def cross_validated(
    labels: Sequence[int], decide: Callable[[float], Sequence[bool]]
) -> tuple[list[bool], list[float]]:
    """Held-out predictions of every pair, each fold's threshold chosen on the other folds."""
    answers = {t: decide(t) for t in GRID}
    fold = folds(len(labels))
    pooled = [False] * len(labels)
    chosen: list[float] = []
    for k in range(FOLDS):
        train = [i for i in range(len(labels)) if fold[i] != k]
        best = max(GRID, key=lambda t: sum(answers[t][i] == (labels[i] == 1) for i in train))
        chosen.append(best)
        for i in range(len(labels)):
            if fold[i] == k:
                pooled[i] = answers[best][i]
    return pooled, chosen


def tfidf_cosines(pairs: Sequence[Pair]) -> list[float]:
    """Cosine of the two sentences' TF-IDF vectors (idf over every sentence of the pairs)."""
    words = re.compile(r"\w+")
    bags = [(Counter(words.findall(a.lower())), Counter(words.findall(b.lower()))) for _, a, b in pairs]
    held = Counter(w for pair in bags for bag in pair for w in bag)
    total = 2 * len(pairs)
    idf = {w: math.log(total / n) for w, n in held.items()}

    def cosine(x: Counter[str], y: Counter[str]) -> float:
        dot = sum(x[w] * y[w] * idf[w] ** 2 for w in x.keys() & y.keys())
        norm = math.sqrt(
            sum((c * idf[w]) ** 2 for w, c in x.items()) * sum((c * idf[w]) ** 2 for w, c in y.items())
        )
        return dot / norm if norm else 0.0

    return [cosine(x, y) for x, y in bags]


def paired_bootstrap(
    labels: Sequence[int], ours: Sequence[bool], theirs: Sequence[bool]
) -> tuple[float, float]:
    """95% interval of the accuracy gain, resampling pairs (both deciders see the same pairs)."""
    rng = random.Random(7)
    gains = [int(a == (y == 1)) - int(b == (y == 1)) for y, a, b in zip(labels, ours, theirs, strict=True)]
    rounds = 2000
    means = sorted(sum(rng.choices(gains, k=len(gains))) / len(gains) for _ in range(rounds))
    return means[int(0.025 * rounds)], means[int(0.975 * rounds) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    pairs = load(args.data)
    labels = [label for label, _, _ in pairs]
    base = RelationOptions()
    start = time.perf_counter()
    judged = [judge(features(a), features(b), base) for _, a, b in pairs]
    rate = len(pairs) / (time.perf_counter() - start)
    default = [found.relation in PARAPHRASE for found in judged]
    consulted = sum(found.evidence.meaning is not None for found in judged)

    def cut(scores: Sequence[float]) -> Callable[[float], list[bool]]:
        return lambda t: [s >= t for s in scores]

    print(
        f"pairs: {len(pairs)} (positive share {sum(labels) / len(labels):.3f}); {FOLDS}-fold cross-validated"
    )
    accuracy, f1 = metrics(labels, default)
    print(
        f"relation as shipped (fitted on all pairs; in-sample): accuracy {accuracy:.3f}  F1 {f1:.3f}  "
        f"({rate:.0f} pairs/s, sentence encoder included); semantic model consulted on {consulted} pairs "
        f"({consulted / len(pairs):.1%})"
    )
    results = {"relation": relation_cross_validated(pairs)}
    accuracy, f1 = metrics(labels, results["relation"])
    print(f"{'relation':<20} accuracy {accuracy:.3f}  F1 {f1:.3f}  (models fitted on the other folds)")
    results["lexical"] = relation_cross_validated(pairs, semantic=False)
    accuracy, f1 = metrics(labels, results["lexical"])
    print(f"{'relation --lexical':<20} accuracy {accuracy:.3f}  F1 {f1:.3f}  (lexical model only)")
    deciders: list[tuple[str, Callable[[float], Sequence[bool]]]] = [
        ("token_set_ratio", cut([fuzz.token_set_ratio(a, b) / 100 for _, a, b in pairs])),
        ("ratio", cut([fuzz.ratio(a, b) / 100 for _, a, b in pairs])),
        ("tf-idf cosine", cut(tfidf_cosines(pairs))),
    ]
    for name, decide in deciders:
        pooled, chosen = cross_validated(labels, decide)
        results[name] = pooled
        accuracy, f1 = metrics(labels, pooled)
        print(f"{name:<20} accuracy {accuracy:.3f}  F1 {f1:.3f}  thresholds {chosen}")
    accuracy, f1 = metrics(labels, [True] * len(labels))
    print(f"{'always same':<20} accuracy {accuracy:.3f}  F1 {f1:.3f}")
    low, high = paired_bootstrap(labels, results["relation"], results["token_set_ratio"])
    gain = metrics(labels, results["relation"])[0] - metrics(labels, results["token_set_ratio"])[0]
    print(
        f"relation - token_set_ratio: accuracy {gain:+.3f} (paired bootstrap 95%: {low:+.3f} .. {high:+.3f})"
    )
    low, high = paired_bootstrap(labels, results["relation"], results["lexical"])
    gain = metrics(labels, results["relation"])[0] - metrics(labels, results["lexical"])[0]
    print(
        f"relation - relation --lexical: accuracy {gain:+.3f} "
        f"(paired bootstrap 95%: {low:+.3f} .. {high:+.3f})"
    )


if __name__ == "__main__":
    main()
