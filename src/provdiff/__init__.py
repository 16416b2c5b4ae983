"""provdiff: a document-diff and provenance tracker for news.

Articles are versioned in a git-backed corpus; the diff engine aligns paragraphs and claims across
revisions and sources. Library users start from :mod:`provdiff.api`; the ``provdiff`` command is a
thin shell over it.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "align"]


def __getattr__(name: str) -> Any:
    """``provdiff.align``: imported on first use, so importing a core module never loads rapidfuzz."""
    if name == "align":
        from provdiff.alignment import align  # noqa: PLC0415 - lazy by design

        return align
    raise AttributeError(f"module 'provdiff' has no attribute {name!r}")
