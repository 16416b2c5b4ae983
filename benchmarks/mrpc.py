"""MRPC dev (../shared/data/mrpc-dev) for the relation's fit and evaluation: the pairs, the folds
every script shares, and the relation's answer on MRPC's terms."""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from pathlib import Path

from provdiff.claims.features import features
from provdiff.claims.options import RelationOptions
from provdiff.claims.relation import judge
from provdiff.model import Relation

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mrpc-dev"
FOLDS = 5
# MRPC's "same meaning": a copy or a restatement (a figure that disagrees included: a rounded or
# corrected number in one outlet's sentence); a sentence that says more (*overlaps*) is not
PARAPHRASE = (Relation.VERBATIM, Relation.EDITED_COPY, Relation.REWORDED)
Pair = tuple[int, str, str]


def load(data: Path) -> list[Pair]:
    """(label, sentence 1, sentence 2) of every pair of the train split."""
    with (data / "msr_paraphrase_train.txt").open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)
        return [(int(row[0]), row[3], row[4]) for row in rows if len(row) == 5]


def same_claim(left: str, right: str, options: RelationOptions) -> bool:
    """The relation's answer on MRPC's terms."""
    return judge(features(left), features(right), options).relation in PARAPHRASE


def folds(count: int) -> list[int]:
    """The fold of each pair: a fixed shuffle, dealt round."""
    order = list(range(count))
    random.Random(11).shuffle(order)
    fold = [0] * count
    for position, index in enumerate(order):
        fold[index] = position % FOLDS
    return fold


def metrics(labels: Sequence[int], guesses: Sequence[bool]) -> tuple[float, float]:
    """(accuracy, F1 of the positive class)."""
    tp = sum(g and y == 1 for y, g in zip(labels, guesses, strict=True))
    fp = sum(g and y == 0 for y, g in zip(labels, guesses, strict=True))
    fn = sum((not g) and y == 1 for y, g in zip(labels, guesses, strict=True))
    correct = sum(g == (y == 1) for y, g in zip(labels, guesses, strict=True))
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return correct / len(labels), f1
