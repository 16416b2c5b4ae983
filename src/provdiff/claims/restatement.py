"""Does one claim restate the other? A logistic model over the pair's evidence, fitted on data.

Hand-set thresholds on one score cannot tell "says the same" from "shares words": on MRPC's news
paraphrases a tuned threshold on any single lexical score stays within noise of rapidfuzz's
``token_set_ratio`` (benchmarks/eval_mrpc.py). The model weighs every score of the evidence at once
(``vector``: wording overlap, character and word-set similarity, lengths, figures and names agreeing
or not), and its probability is calibrated, so its cut (``RelationOptions.restate``) means what it
says. The coefficients are a versioned file in the package (``restatement.json``), written by
``benchmarks/fit_relation.py``, which prints the cross-validated figures they were chosen by; a
semantic score (issue 32) is one more column.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from provdiff.claims.features import Features
from provdiff.model import Evidence

NAME_COLUMNS = frozenset(("names_shared", "names_unmatched"))  # what ``vector`` reads of the names
COLUMNS = (
    "wording",
    "copy",
    "word_set",
    "lengths",
    "names_shared",
    "names_unmatched",
    "figures_agree",
    "figures_differ",
    "figures_one_side",
)


def vector(a: Features, b: Features, found: Evidence) -> tuple[float, ...]:
    """The model's inputs for one pair, in ``COLUMNS`` order (each 0..1)."""
    unmatched = len(found.names_only_a) + len(found.names_only_b)
    named = len(found.shared_names) + unmatched
    one_side = bool(a.measures) != bool(b.measures)
    return (
        found.wording,
        found.copy,
        found.word_set,
        found.lengths,
        len(found.shared_names) / named if named else 0.0,
        min(unmatched, 4) / 4,
        float(bool(found.shared_figures)),
        float(bool(found.differing_figures)),
        float(one_side),
    )


@dataclass(frozen=True, slots=True)
class Coefficients:
    """A fitted logistic model: ``P(restates) = 1 / (1 + exp(-(bias + weights . vector)))``."""

    version: int
    columns: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    fitted_on: str

    def probability(self, inputs: tuple[float, ...]) -> float:
        """The model's probability for one pair's ``vector``."""
        z = self.bias + sum(w * x for w, x in zip(self.weights, inputs, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def most(self, inputs: tuple[float, ...], unknown: frozenset[str]) -> float:
        """The highest probability the pair can have whatever the ``unknown`` columns hold (each is
        0..1): what lets the relation tell most pairs different before weighing their names."""
        z = self.bias + sum(
            max(w, 0.0) if column in unknown else w * x
            for column, w, x in zip(self.columns, self.weights, inputs, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> str:
        """The file ``benchmarks/fit_relation.py`` writes."""
        body = {
            "version": self.version,
            "columns": list(self.columns),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "fitted_on": self.fitted_on,
        }
        return json.dumps(body, indent=2) + "\n"


@cache
def coefficients() -> Coefficients:
    """The coefficients shipped with the package (``restatement.json``)."""
    body = json.loads(files("provdiff.claims").joinpath("restatement.json").read_text(encoding="utf-8"))
    if tuple(body["columns"]) != COLUMNS:
        raise ValueError("restatement.json does not match this version's columns; refit it")
    return Coefficients(
        int(body["version"]),
        tuple(body["columns"]),
        tuple(float(w) for w in body["weights"]),
        float(body["bias"]),
        str(body["fitted_on"]),
    )
