"""The claim relation's options: every threshold of the relation and of its candidates, in one
object that every report echoes. Kept apart from the relation itself so that what only prints the
thresholds (a diff, git's textconv) does not load the relation's libraries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from provdiff.claims.restatement import Coefficients


@dataclass(frozen=True, slots=True)
class RelationOptions:
    """Thresholds of the relation (0..1), echoed in every report that uses it."""

    copy: float = 0.9  # key (and skeleton) similarity of an edited copy or a figure variant
    # probability of the restatement model (``claims.restatement``) at which one claim restates the
    # other: the model is calibrated, so 0.5 is "more likely than not"
    restate: float = 0.5
    overlap: float = 0.25  # wording overlap of claims that share an amount or a percent
    # restatement probability below which two claims cannot share a group (``claims.groups``)
    compatible: float = 0.25
    # the restatement model; None for the one shipped with the package (``restatement.json``)
    model: Coefficients | None = None
    # candidates (``claims.candidates``): which pairs are judged at all
    gram_cap: int = 100  # a term held by more claims than this (in the whole corpus) proposes nothing
    # shared terms that make two claims a candidate pair: 3, not 2, made 37 times fewer candidates
    # of 1k generated articles for 4 fewer links of 2,786, and on ECB+ 10 fewer links within one
    # event of 1,299 and 6 fewer across topics (benchmarks/bench_relate.py, eval_links_ecbplus.py)
    min_shared: int = 3
    lone_figure: int = 3  # a figure held by at most this many claims is a candidate pair on its own

    def echo(self) -> dict[str, float]:
        """The thresholds by name, as reports print them."""
        return {
            "copy": self.copy,
            "restate": self.restate,
            "overlap": self.overlap,
            "compatible": self.compatible,
            "model": self._model_version(),
            "gram_cap": self.gram_cap,
            "min_shared": self.min_shared,
            "lone_figure": self.lone_figure,
        }

    def _model_version(self) -> int:
        if self.model is not None:
            return self.model.version
        from provdiff.claims.restatement import coefficients  # noqa: PLC0415 - loads rapidfuzz

        return coefficients().version
