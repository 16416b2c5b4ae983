"""Emptying provdiff's per-text caches, so that a timed run pays for text new to the process.

The matcher and the diff remember what they computed per sentence text (terms, wording, figures,
match keys, skeletons). A benchmark that runs the same texts twice, or matches the same held-out
articles at every checkpoint, would otherwise time them cached, which no new article is. The
stems of words (``alignment.claims._stem``) are kept: a running process has them for every word
of a vocabulary it has seen.
"""

from __future__ import annotations

from provdiff import segment
from provdiff.alignment import claims

_CACHES = (
    claims._tokens,
    claims.term_set,
    claims.wording,
    claims.measure_terms,
    segment.figures,
    segment.plain,
    segment.states_something,
    segment.match_key,
    segment.skeleton,
)


def forget_texts() -> None:
    """Empty every per-text cache."""
    for cache in _CACHES:
        cache.cache_clear()
