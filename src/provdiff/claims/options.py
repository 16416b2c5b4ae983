"""The claim relation's options: every threshold of the relation and of its candidates, in one
object that every report echoes. Kept apart from the relation itself so that what only prints the
thresholds (a diff, git's textconv) does not load the relation's libraries."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from provdiff.errors import OptionError

if TYPE_CHECKING:
    from provdiff.claims.restatement import Coefficients

EVIDENCE = "PROVDIFF_EVIDENCE"  # the environment variable that chooses the relation's evidence


def evidence_setting() -> str:
    """``semantic`` (the default) or ``lexical``, as ``PROVDIFF_EVIDENCE`` says: one setting for
    every command of a process (the index's links and groups are stored for one of the two)."""
    value = os.environ.get(EVIDENCE, "semantic").strip().lower() or "semantic"
    if value not in ("semantic", "lexical"):
        raise OptionError(f"{EVIDENCE}={value!r}: use semantic or lexical")
    return value


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
    # the restatement models; None for those shipped with the package (``restatement.json``)
    model: Coefficients | None = None
    # weigh what sentences mean (``claims.meaning``) where the lexical evidence cannot decide;
    # False (``provdiff --lexical``, or PROVDIFF_EVIDENCE=lexical): words, figures and names only
    semantic: bool = field(default_factory=lambda: evidence_setting() == "semantic")
    # candidates (``claims.candidates``): which pairs are judged at all
    gram_cap: int = 100  # a term held by more claims than this (in the whole corpus) proposes nothing
    # shared terms that make two claims a candidate pair: 3, not 2, made 37 times fewer candidates
    # of 1k generated articles for 4 fewer links of 2,786, and on ECB+ 10 fewer links within one
    # event of 1,299 and 6 fewer across topics (benchmarks/bench_relate.py, eval_links_ecbplus.py)
    min_shared: int = 3
    lone_figure: int = 3  # a figure held by at most this many claims is a candidate pair on its own

    def echo(self) -> dict[str, float | str]:
        """The thresholds by name, as reports print them."""
        return {
            "copy": self.copy,
            "restate": self.restate,
            "overlap": self.overlap,
            "compatible": self.compatible,
            "model": self._model_version(),
            "evidence": "semantic" if self.semantic else "lexical",
            "gram_cap": self.gram_cap,
            "min_shared": self.min_shared,
            "lone_figure": self.lone_figure,
        }

    def _model_version(self) -> int:
        if self.model is not None:
            return self.model.version
        from provdiff.claims.restatement import coefficients  # noqa: PLC0415 - loads rapidfuzz

        return coefficients().version
