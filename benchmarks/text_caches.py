"""Emptying provdiff's per-text caches, so that a timed run pays for text new to the process.

The relation and the diff remember what they computed per sentence text (features, figures, match
keys, skeletons). A benchmark that runs the same texts twice would otherwise time them cached,
which no new article is. Stems and word weights are kept: a running process has them for every
word of a vocabulary it has seen.
"""

from __future__ import annotations

from provdiff import segment
from provdiff.claims import features

_CACHES = (
    features.features,
    segment.figures,
    segment.plain,
    segment.states_something,
    segment.match_key,
    segment.skeleton,
    segment.sentence_spans,
)


def forget_texts() -> None:
    """Empty every per-text cache."""
    for cache in _CACHES:
        cache.cache_clear()
