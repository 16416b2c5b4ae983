"""What git shows of an article file, as provdiff's diff driver and textconv filter.

``git diff`` runs the driver once per changed article and ``git log -p`` the textconv once per
file version, so each is a process of its own: this module imports only what the two need (the
article file format, the aligner, the diff renderer), never the corpus, the index or the readers.
"""

from __future__ import annotations

from provdiff.errors import CorpusError
from provdiff.model import AlignOptions, Metadata
from provdiff.report.diff import sentence_lines
from provdiff.report.diff import terminal as terminal_diff
from provdiff.store.layout import parse_text


def git_diff(path: str, old: bytes | None, new: bytes | None, *, colour: bool) -> str:
    """What ``git diff`` shows for one article file: changed metadata, then the aligned word diff.

    ``old`` / ``new`` are None for an added or deleted file (git passes ``/dev/null``).
    """
    old_id, old_meta, old_paragraphs = _article_file(old, path)
    new_id, new_meta, new_paragraphs = _article_file(new, path)
    lines = [f"diff --provdiff a/{path} b/{path}"]
    for key in Metadata.__slots__:
        before, after = getattr(old_meta, key), getattr(new_meta, key)
        if before != after:
            lines.append(f"  {key}: {before or '(none)'} -> {after or '(none)'}")
    from provdiff.alignment import align  # noqa: PLC0415 - textconv, run far more often, needs none of it

    alignment = align(old_paragraphs, new_paragraphs, AlignOptions())
    label_a = f"{old_id or new_id} (before)" if old else "(new article)"
    label_b = f"{new_id or old_id} (after)" if new else "(deleted article)"
    lines.append(terminal_diff(alignment, label_a, label_b, colour=colour, unchanged=False))
    return "\n".join(lines)


def textconv(data: bytes, path: str) -> str:
    """An article file as git's textconv shows it (one sentence per line)."""
    text = data.decode("utf-8", errors="replace")
    header, found, _ = text.partition("\n---\n")
    _, _, paragraphs = _article_file(data, path)
    return sentence_lines([*header.splitlines(), "---"] if found else [], paragraphs)


def _article_file(data: bytes | None, path: str) -> tuple[str, Metadata, tuple[str, ...]]:
    """A ``text.md`` as (id, metadata, paragraphs); a file edited out of shape by hand still diffs,
    as its blank-line separated blocks (git must not fail on it)."""
    if not data:
        return "", Metadata(), ()
    try:
        return parse_text(data, path)
    except (CorpusError, UnicodeDecodeError):
        text = data.decode("utf-8", errors="replace")
        return "", Metadata(), tuple(b.strip() for b in text.split("\n\n") if b.strip())
