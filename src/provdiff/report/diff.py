"""Rendering of an ``Alignment``: terminal (optionally coloured), Markdown, and JSON.

Every view marks each class with a symbol as well as a colour, so it reads without colour, and echoes
the thresholds it was made with. Word-level changes are drawn from the links' patches, so what is
shown is exactly what reconstructs B.

JSON schema ``provdiff.diff/1`` (documented in docs/reference/json.md): ``a``/``b`` (label, units), ``mode``,
``granularity``, ``thresholds``, ``summary`` (count per class), ``links`` (id, kind, a, b, reason,
score, edit, edit_rule, patch), ``related`` (same shape), ``opcodes`` (difflib's 5-tuples).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from provdiff.claims.options import RelationOptions
from provdiff.model import Alignment, Link, LinkKind
from provdiff.segment import sentences, tokens

SCHEMA = "provdiff.diff/1"

SYMBOLS = {
    LinkKind.UNCHANGED: "=",
    LinkKind.EDITED: "~",
    LinkKind.MOVED: "^",
    LinkKind.MOVED_EDITED: "^~",
    LinkKind.SPLIT: "<",
    LinkKind.MERGED: ">",
    LinkKind.ADDED: "+",
    LinkKind.DELETED: "-",
}
_RED, _GREEN, _YELLOW, _CYAN, _DIM, _RESET = (
    "\033[31m",
    "\033[32m",
    "\033[33m",
    "\033[36m",
    "\033[2m",
    "\033[0m",
)
_STRIKE = "\033[9m"
_KIND_COLOUR = {
    LinkKind.ADDED: _GREEN,
    LinkKind.DELETED: _RED,
    LinkKind.MOVED: _CYAN,
    LinkKind.MOVED_EDITED: _CYAN,
    LinkKind.EDITED: _YELLOW,
    LinkKind.SPLIT: _YELLOW,
    LinkKind.MERGED: _YELLOW,
}
_SHORT = 100


def link_id(link: Link) -> str:
    """Stable id from the unit positions: ``a3:b5``, ``a:b7`` (added), ``a2+a3:b2`` (merged)."""
    left = "+".join(f"a{i}" for i in link.a) or "a"
    right = "+".join(f"b{j}" for j in link.b) or "b"
    return f"{left}:{right}"


def summary(alignment: Alignment) -> dict[str, int]:
    """Count of links per class, every class present (zeros included) in a fixed order."""
    counts = Counter(link.kind for link in alignment.links)
    return {kind.value: counts.get(kind, 0) for kind in LinkKind}


def segments(alignment: Alignment, link: Link) -> list[tuple[str, str]]:
    """The link's text as (style, text) runs: "" kept, "-" deleted, "+" inserted."""
    source = "\n".join(alignment.a[i] for i in link.a)
    words = tokens(source)
    runs: list[tuple[str, str]] = []
    at = 0
    for tag, i1, i2, text in link.patch:
        runs.append(("", "".join(words[at:i1])))
        removed = "".join(words[i1:i2]) if tag in ("replace", "delete") else ""
        # Tokens carry their trailing space; a space both sides share is shown as kept text.
        shared = len(removed) - len(removed.rstrip()) if removed and text else 0
        shared = min(shared, len(text) - len(text.rstrip()))
        runs.append(("-", removed[: len(removed) - shared]))
        runs.append(("+", text[: len(text) - shared]))
        runs.append(("", text[len(text) - shared :]))
        at = i2
    runs.append(("", "".join(words[at:])))
    return [(style, text.replace("\n", " ¶ ")) for style, text in runs if text]


def _kind_label(alignment: Alignment, kind: LinkKind) -> str:
    if alignment.options.related and kind is LinkKind.ADDED:
        return "only in B"
    if alignment.options.related and kind is LinkKind.DELETED:
        return "only in A"
    return kind.value


def unit_label(alignment: Alignment, link: Link) -> str:
    """The class name shown to people: across sources, added/deleted read as only in B / only in A."""
    if link.kind in (LinkKind.ADDED, LinkKind.DELETED) or not alignment.options.related:
        return _kind_label(alignment, link.kind)
    return (
        f"shared claim, {link.reason.removeprefix('claim: ')}"
        if link.reason.startswith("claim")
        else "shared claim"
    )


def display_order(alignment: Alignment) -> list[Link]:
    """Links in reading order.

    Revisions: B's order, each deleted unit right after the link holding the A unit before it.
    Sources: shared claims first (in B's order), then what only A says, then what only B says.
    """
    if alignment.options.related:
        shared = [lk for lk in alignment.links if lk.a and lk.b]
        only_a = [lk for lk in alignment.links if not lk.b]
        only_b = [lk for lk in alignment.links if not lk.a]
        return [*shared, *only_a, *only_b]
    deleted = {lk.a[0]: lk for lk in alignment.links if not lk.b}
    order: list[Link] = [deleted[i] for i in sorted(deleted) if i == 0 or all(k in deleted for k in range(i))]
    placed = {id(lk) for lk in order}
    for link in alignment.links:
        if not link.b:
            continue
        order.append(link)
        if link.a:
            following = link.a[-1] + 1
            while following in deleted and id(deleted[following]) not in placed:
                order.append(deleted[following])
                placed.add(id(deleted[following]))
                following += 1
    order.extend(lk for i, lk in sorted(deleted.items()) if id(lk) not in placed and lk not in order)
    return order


def _where(link: Link) -> str:
    left = ",".join(str(i + 1) for i in link.a) or "-"
    right = ",".join(str(j + 1) for j in link.b) or "-"
    return f"A{left} -> B{right}"


def _short(text: str) -> str:
    return text if len(text) <= _SHORT else text[: _SHORT - 1] + "…"


def thresholds_line(alignment: Alignment) -> str:
    options = alignment.options
    if options.related:
        return (
            f"granularity {options.granularity}; claims paired by the claim relation "
            f"(thresholds: {', '.join(f'{k} {v}' for k, v in RelationOptions().echo().items())})"
        )
    return (
        f"granularity {options.granularity}; thresholds: fuzzy {options.fuzzy}, "
        f"split/merge {options.split_merge}"
    )


def terminal(
    alignment: Alignment, label_a: str, label_b: str, *, colour: bool = False, unchanged: bool = True
) -> str:
    """The diff for a terminal: one block per link in B's order, inline word changes.

    Without colour, changes are marked ``[-deleted-]{+inserted+}`` (as ``wdiff`` does). With
    ``unchanged=False`` (git's diff driver) unchanged units are counted in the summary, not shown.
    """

    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if colour else text

    lines = [
        paint(_DIM, f"--- A: {label_a} ({len(alignment.a)} units)"),
        paint(_DIM, f"+++ B: {label_b} ({len(alignment.b)} units)"),
        paint(_DIM, thresholds_line(alignment)),
        " ".join(f"{SYMBOLS[LinkKind(k)]} {k}: {n}" for k, n in summary(alignment).items() if n),
        "",
    ]
    for link in display_order(alignment):
        if not unchanged and link.kind is LinkKind.UNCHANGED:
            continue
        head = f"{SYMBOLS[link.kind]:<2} {_where(link)}  {unit_label(alignment, link)}"
        lines.extend(_terminal_link(alignment, link, head, paint, colour))
    for link in alignment.related:
        rule = f"{link.edit.value}: {link.edit_rule}" if link.edit else "same text"
        head = f"&  {_where(link)}  also shared ({rule})"
        lines.extend(
            _terminal_link(alignment, link, head + f"  [{link.reason} {link.score:.2f}]", paint, colour)
        )
    return "\n".join(lines)


def _terminal_link(
    alignment: Alignment, link: Link, head: str, paint: Callable[[str, str], str], colour: bool
) -> list[str]:
    if link.edit is not None and not head.startswith("&"):
        head += f" ({link.edit.value}: {link.edit_rule})"
    if link.kind not in (LinkKind.ADDED, LinkKind.DELETED) and not head.startswith("&"):
        head += f"  [{link.reason} {link.score:.2f}]"
    lines = [paint(_KIND_COLOUR[link.kind], head) if link.kind in _KIND_COLOUR else head]
    if link.kind in (LinkKind.UNCHANGED, LinkKind.MOVED):
        return [*lines, "   " + paint(_DIM, _short(alignment.b[link.b[0]]))]
    if link.kind is LinkKind.ADDED:
        return [*lines, "   " + paint(_GREEN, alignment.b[link.b[0]])]
    if link.kind is LinkKind.DELETED:
        return [*lines, "   " + paint(_RED, alignment.a[link.a[0]])]
    if link.reason.startswith("claim"):
        # Reworded across sources: a word diff of two different sentences is noise; show both.
        a_text = " ".join(alignment.a[i] for i in link.a)
        b_text = " ".join(alignment.b[j] for j in link.b)
        return [*lines, f"   A: {a_text}", f"   B: {b_text}"]
    body = []
    for style, text in segments(alignment, link):
        if style == "-":
            body.append(paint(_RED + _STRIKE, text) if colour else f"[-{text}-]")
        elif style == "+":
            body.append(paint(_GREEN, text) if colour else f"{{+{text}+}}")
        else:
            body.append(text)
    return [*lines, "   " + "".join(body)]


_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|~"})


def _md(text: str) -> str:
    return text.translate(_MD_SPECIAL)


def markdown(alignment: Alignment, label_a: str, label_b: str) -> str:
    """The diff as Markdown for a pull request or a report: a summary table, then one item per change.

    Deletions are ``~~struck~~`` and insertions **bold**; unchanged units are counted, not repeated.
    """
    counts = summary(alignment)
    lines = [
        f"### provdiff: {_md(label_a)} → {_md(label_b)}",
        "",
        f"_{_md(thresholds_line(alignment))}_",
        "",
        "| class | symbol | count |",
        "|---|---|---|",
        *(
            f"| {_kind_label(alignment, LinkKind(kind))} | `{SYMBOLS[LinkKind(kind)]}` | {n} |"
            for kind, n in counts.items()
            if n
        ),
        "",
    ]
    for link in display_order(alignment):
        if link.kind is LinkKind.UNCHANGED:
            continue
        head = f"- `{SYMBOLS[link.kind]}` **{unit_label(alignment, link)}** {_where(link)}"
        if link.edit is not None:
            head += f" — {link.edit.value}: {_md(link.edit_rule)}"
        if link.kind not in (LinkKind.ADDED, LinkKind.DELETED):
            head += f" _({_md(link.reason)} {link.score:.2f})_"
        lines.append(head)
        if link.kind is LinkKind.MOVED:
            continue
        if link.reason.startswith("claim"):
            lines.append(f"  > A: {_md(' '.join(alignment.a[i] for i in link.a))}")
            lines.append(f"  > B: {_md(' '.join(alignment.b[j] for j in link.b))}")
            continue
        if alignment.options.related and link.kind in (LinkKind.ADDED, LinkKind.DELETED):
            lines.append(f"  > {_md(alignment.b[link.b[0]] if link.b else alignment.a[link.a[0]])}")
            continue
        parts = []
        for style, text in segments(alignment, link):
            if style == "-" and text.strip():
                parts.append(f"~~{_md(text)}~~")
            elif style == "+" and text.strip():
                parts.append(f"**{_md(text)}**")
            elif style != "-":
                parts.append(_md(text))
        lines.append(f"  > {''.join(parts)}")
    for link in alignment.related:
        lines.append(f"- `&` **related claim** {_where(link)} _({link.score:.2f}; {_md(link.edit_rule)})_")
    return "\n".join(lines).rstrip() + "\n"


def _link_json(link: Link) -> dict[str, Any]:
    return {
        "id": link_id(link),
        "kind": link.kind.value,
        "a": list(link.a),
        "b": list(link.b),
        "reason": link.reason,
        "score": link.score,
        "edit": link.edit.value if link.edit else None,
        "edit_rule": link.edit_rule,
        "patch": [list(op) for op in link.patch],
    }


def as_json(alignment: Alignment, label_a: str, label_b: str) -> str:
    """The alignment as JSON (schema ``provdiff.diff/1``)."""
    options = asdict(alignment.options)
    document = {
        "schema": SCHEMA,
        "a": {"label": label_a, "units": list(alignment.a)},
        "b": {"label": label_b, "units": list(alignment.b)},
        "mode": "sources" if alignment.options.related else "revisions",
        "granularity": options.pop("granularity"),
        "thresholds": options,
        "summary": summary(alignment),
        "links": [_link_json(link) for link in alignment.links],
        "related": [_link_json(link) for link in alignment.related],
        "opcodes": [list(op) for op in alignment.opcodes],
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


def sentence_lines(header: list[str], paragraphs: tuple[str, ...]) -> str:
    """An article as git's textconv shows it: front matter, then one sentence per line and a blank
    line between paragraphs, so that git's own line diff (``git log -p``, ``git show``) is
    sentence-aligned instead of marking whole paragraphs changed."""
    body = "\n\n".join("\n".join(sentences(paragraph)) for paragraph in paragraphs)
    return "\n".join(header) + "\n\n" + body + "\n"
