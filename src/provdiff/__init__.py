"""provdiff: a document-diff and provenance tracker for news.

Articles are versioned in a git-backed corpus; the diff engine aligns paragraphs and claims across
revisions and sources. Library users start from :mod:`provdiff.api`; the ``provdiff`` command is a
thin shell over it.
"""

from __future__ import annotations

__version__ = "0.1.0"
