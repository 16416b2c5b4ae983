"""Does one claim restate the other? A logistic model over the pair's evidence, fitted on data.

Hand-set thresholds on one score cannot tell "says the same" from "shares words": on MRPC's news
paraphrases a tuned threshold on any single lexical score stays within noise of rapidfuzz's
``token_set_ratio`` (benchmarks/eval_mrpc.py). The model weighs every score of the evidence at once
(``vector``: wording overlap, character and word-set similarity, lengths, figures and names agreeing
or not), and its probability is calibrated, so its cut (``RelationOptions.restate``) means what it
says. The coefficients are a versioned file in the package (``restatement.json``), written by
``benchmarks/fit_relation.py``, which prints the cross-validated figures they were chosen by.

Two models: the lexical one decides most pairs; where its probability is neither low nor high
(``Coefficients.consult``) the semantic one decides, over the same inputs plus the two sentences'
vectors (``claims.meaning``): their cosine, and their products and differences per dimension, as
sentence-pair classifiers over embeddings do (the dimensions' weights are fitted with a strong
penalty: 1,024 of them from 4,076 pairs). With ``RelationOptions.semantic`` off (``--lexical``),
the lexical model decides every pair.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from provdiff.claims.features import Features
from provdiff.claims.meaning import DIMENSIONS
from provdiff.model import Evidence

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

NAME_COLUMNS = frozenset(("names_shared", "names_unmatched", "subject_differs"))  # read of the names
COLUMNS = (
    "wording",
    "copy",
    "word_set",
    "lengths",
    "names_shared",
    "names_unmatched",
    "subject_differs",
    "figures_agree",
    "figures_differ",
    "figures_one_side",
)
# the semantic model's columns beyond ``COLUMNS`` (``meaning_inputs``)
MEANING_COLUMNS = (
    "meaning",
    *(f"product_{k}" for k in range(DIMENSIONS)),
    *(f"distance_{k}" for k in range(DIMENSIONS)),
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
        float(bool(found.other_subject)),
        float(bool(found.shared_figures)),
        float(bool(found.differing_figures)),
        float(one_side),
    )


@dataclass(frozen=True, slots=True)
class Model:
    """A fitted logistic model: ``P(restates) = 1 / (1 + exp(-(bias + weights . inputs)))``."""

    columns: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float

    def probability(self, inputs: Sequence[float]) -> float:
        """The model's probability for one pair's inputs (in ``columns`` order)."""
        z = self.bias + math.fsum(w * x for w, x in zip(self.weights, inputs, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def most(self, inputs: tuple[float, ...], unknown: frozenset[str]) -> float:
        """The highest probability the pair can have whatever the ``unknown`` columns hold (each is
        0..1): what lets the relation tell most pairs different before weighing their names."""
        z = self.bias + sum(
            max(w, 0.0) if column in unknown else w * x
            for column, w, x in zip(self.columns, self.weights, inputs, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-z))

    def body(self) -> dict[str, object]:
        """The model as ``restatement.json`` holds it."""
        return {
            "columns": list(self.columns),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
        }


@dataclass(frozen=True, slots=True)
class Coefficients:
    """The restatement models: ``lexical`` over ``vector``, and ``semantic`` over ``vector`` and the
    two sentences' meaning (``meaning_inputs``), which decides a pair whose lexical probability lies
    in ``consult`` (outside it, the semantic model changed no decision of the cross-validation)."""

    version: int
    lexical: Model
    semantic: Model
    consult: tuple[float, float]
    fitted_on: str
    # the cosine of two sentences in two languages at which they state one claim
    # (``benchmarks/eval_crosslingual.py --write``); None: such pairs are judged like any other
    across: float | None = None

    def to_json(self) -> str:
        """The file ``benchmarks/fit_relation.py`` writes."""
        body = {
            "version": self.version,
            "fitted_on": self.fitted_on,
            "consult": list(self.consult),
            "lexical": self.lexical.body(),
            "semantic": self.semantic.body(),
            **({"across": self.across} if self.across is not None else {}),
        }
        return json.dumps(body, indent=1) + "\n"


def meaning_inputs(a: npt.NDArray[np.float32], b: npt.NDArray[np.float32]) -> list[float]:
    """The semantic model's inputs beyond ``vector``: the cosine of the two sentence vectors
    (``claims.meaning``), their products and their absolute differences, dimension by dimension."""
    import numpy as np  # noqa: PLC0415

    return [float(a @ b), *(a * b).tolist(), *np.abs(a - b).tolist()]


@cache
def coefficients() -> Coefficients:
    """The coefficients shipped with the package (``restatement.json``)."""
    body = json.loads(files("provdiff.claims").joinpath("restatement.json").read_text(encoding="utf-8"))
    lexical, semantic = (_model(body[name]) for name in ("lexical", "semantic"))
    if lexical.columns != COLUMNS or semantic.columns != COLUMNS + MEANING_COLUMNS:
        raise ValueError("restatement.json does not match this version's columns; refit it")
    low, high = body["consult"]
    across = body.get("across")
    return Coefficients(
        int(body["version"]),
        lexical,
        semantic,
        (float(low), float(high)),
        str(body["fitted_on"]),
        None if across is None else float(across),
    )


def _model(body: dict[str, Any]) -> Model:
    return Model(tuple(body["columns"]), tuple(float(w) for w in body["weights"]), float(body["bias"]))
