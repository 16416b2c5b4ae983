"""The claim relation: the one definition in provdiff of "these two sentences state the same claim".

Pipeline, one module each:

* ``lexicon``: what is known about words before any corpus (general-language weights, titles, places);
* ``features``: what the relation reads of one claim, from its text alone;
* ``evidence``: the scores, figures and names of a pair;
* ``restatement``: the fitted model that weighs the evidence (coefficients shipped in the package);
* ``relation``: the decision, ``judge``: verbatim, edited copy, figure variant, reworded, overlaps
  (the same claim), compatible or different;
* ``candidates``: which pairs of a corpus are judged;
* ``groups``: cohesive groups and their status;
* ``batch``: all of it over a set of claims, ``relate``.
* ``lookup``: one sentence against a corpus (``provdiff match``), and pairs judged one by one.

Import from the modules themselves: this package loads nothing, so that what only needs the
options (``claims.options``) stays light. Every command that says "same claim" (claims, diff
across sources, blame, audit, review, report) gets it from here; the index stores what
``relate`` found and decides nothing.
"""
