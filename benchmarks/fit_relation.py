"""Fit the relation's restatement model (``provdiff.claims.restatement``) on MRPC dev, by
cross-validation, and write its coefficients into the package.

The model is a logistic regression (L2-penalised, fitted by Newton's method in numpy) over the
pair's evidence vector (``restatement.vector``). The label is MRPC's: 1 when the two news sentences
mean the same. Five folds: each fold's model is fitted on the other four and the *whole relation*
(``judge`` with that fold's coefficients, exactly as ``claims`` uses it) decides the held-out
pairs, so the printed accuracy is what the relation does on pairs its model never saw. The model
written to ``restatement.json`` is then fitted on every pair.

Run: ``.venv/bin/python -m benchmarks.fit_relation [--data PATH] [--write]``
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from benchmarks.mrpc import DEFAULT_DATA, FOLDS, Pair, folds, load, metrics, same_claim
from provdiff.claims import restatement
from provdiff.claims.evidence import evidence
from provdiff.claims.features import features
from provdiff.claims.options import RelationOptions

MODEL_FILE = Path(__file__).resolve().parents[1] / "src" / "provdiff" / "claims" / "restatement.json"
VERSION = 1
PENALTY = 1.0  # L2 on the weights (not the bias), in units of the summed log-likelihood


def design(pairs: Sequence[Pair]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The evidence vectors of the pairs and their labels."""
    rows = []
    for _, left, right in pairs:
        a, b = features(left), features(right)
        rows.append(restatement.vector(a, b, evidence(a, b)))
    return np.array(rows, dtype=np.float64), np.array([label for label, _, _ in pairs], dtype=np.float64)


def fit(x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], source: str) -> restatement.Coefficients:
    """Logistic regression by Newton's method (iteratively reweighted least squares)."""
    rows, cols = x.shape
    with_bias = np.hstack([np.ones((rows, 1)), x])
    beta = np.zeros(cols + 1)
    penalty = np.full(cols + 1, PENALTY)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-with_bias @ beta))
        gradient = with_bias.T @ (y - p) - penalty * beta
        hessian = (with_bias * (p * (1 - p))[:, None]).T @ with_bias + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta += step
        if float(np.max(np.abs(step))) < 1e-9:
            break
    return restatement.Coefficients(
        VERSION, restatement.COLUMNS, tuple(float(w) for w in beta[1:]), float(beta[0]), source
    )


def cross_validated(pairs: Sequence[Pair]) -> list[bool]:
    """The relation's held-out answer for every pair, each fold's model fitted on the others."""
    x, y = design(pairs)
    fold = np.array(folds(len(pairs)))
    pooled = [False] * len(pairs)
    for k in range(FOLDS):
        model = fit(x[fold != k], y[fold != k], f"MRPC dev, folds other than {k}")
        options = replace(RelationOptions(), model=model)
        for i in np.flatnonzero(fold == k).tolist():
            _, left, right = pairs[i]
            pooled[i] = same_claim(left, right, options)
    return pooled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--write", action="store_true", help=f"write the fitted model to {MODEL_FILE.name}")
    args = parser.parse_args()
    pairs = load(args.data)
    labels = [label for label, _, _ in pairs]
    accuracy, f1 = metrics(labels, cross_validated(pairs))
    print(
        f"relation with the fitted model, {FOLDS}-fold cross-validated: accuracy {accuracy:.3f}  F1 {f1:.3f}"
    )
    x, y = design(pairs)
    model = fit(x, y, f"MRPC dev, all {len(pairs)} pairs")
    for column, weight in zip(model.columns, model.weights, strict=True):
        print(f"  {column:<17} {weight:+.3f}")
    print(f"  {'bias':<17} {model.bias:+.3f}")
    if args.write:
        MODEL_FILE.write_text(model.to_json(), encoding="utf-8")
        print(f"wrote {MODEL_FILE}")


if __name__ == "__main__":
    main()
