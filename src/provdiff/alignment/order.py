"""Order: which links stay in place (the backbone), difflib-shaped opcodes, and reconstruction.

A link is *in place* when it belongs to the longest chain of links increasing in both documents;
every other matched link is a move. For units that occur once in each document the backbone is
exactly their longest common subsequence, which the tests check against a dynamic-programming oracle.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from provdiff.model import Link, LinkKind, Opcode, PatchOp
from provdiff.segment import tokens


def longest_increasing(pairs: Sequence[tuple[int, int]]) -> set[int]:
    """Indices into ``pairs`` (sorted by first item) of a longest chain increasing in the second.

    Patience sorting, O(n log n). On ties the earliest pair is kept, so repeated units pair in
    document order (the first copy with the first copy).

    >>> sorted(longest_increasing([(0, 2), (1, 0), (2, 1), (3, 3)]))
    [1, 2, 3]
    """
    tails: list[int] = []  # tails[k]: second item ending the best chain of length k + 1
    tail_at: list[int] = []  # index into pairs of that tail
    parent = [-1] * len(pairs)
    for index, (_, value) in enumerate(pairs):
        k = bisect_left(tails, value)
        if k < len(tails) and tails[k] == value:
            continue
        if k == len(tails):
            tails.append(value)
            tail_at.append(index)
        else:
            tails[k] = value
            tail_at[k] = index
        parent[index] = tail_at[k - 1] if k else -1
    chain: set[int] = set()
    at = tail_at[-1] if tail_at else -1
    while at != -1:
        chain.add(at)
        at = parent[at]
    return chain


def opcodes(n: int, m: int, backbone: Sequence[Link]) -> tuple[Opcode, ...]:
    """difflib-style opcodes over the in-place links (sorted in both documents).

    Unchanged links are ``equal``; in-place edits, splits and merges are ``replace``; the gaps
    between them are ``delete``, ``insert`` or ``replace``. Adjacent ranges of one tag are merged.
    """
    out: list[Opcode] = []

    def emit(tag: str, i1: int, i2: int, j1: int, j2: int) -> None:
        if out and out[-1][0] == tag and out[-1][2] == i1 and out[-1][4] == j1:
            out[-1] = (tag, out[-1][1], i2, out[-1][3], j2)
        else:
            out.append((tag, i1, i2, j1, j2))

    i = j = 0
    for link in (*backbone, None):
        i_next = link.a[0] if link else n
        j_next = link.b[0] if link else m
        if i < i_next and j < j_next:
            emit("replace", i, i_next, j, j_next)
        elif i < i_next:
            emit("delete", i, i_next, j, j)
        elif j < j_next:
            emit("insert", i, i, j, j_next)
        if link is None:
            break
        i2, j2 = link.a[-1] + 1, link.b[-1] + 1
        emit("equal" if link.kind is LinkKind.UNCHANGED else "replace", i_next, i2, j_next, j2)
        i, j = i2, j2
    return tuple(out)


def apply_patch(source: str, patch: Sequence[PatchOp]) -> str:
    """Apply word-level patch operations to ``source``.

    >>> apply_patch("a b c", [("replace", 1, 2, "x "), ("insert", 3, 3, " d")])
    'a x c d'
    """
    words = tokens(source)
    parts: list[str] = []
    at = 0
    for _, i1, i2, text in patch:
        parts.extend(words[at:i1])
        parts.append(text)
        at = i2
    parts.extend(words[at:])
    return "".join(parts)


def reconstruct(a: Sequence[str], links: Sequence[Link]) -> list[str]:
    """B's units rebuilt from A's units and the links alone (the losslessness check)."""
    b: dict[int, str] = {}
    for link in links:
        if not link.b:
            continue
        target = apply_patch("\n".join(a[i] for i in link.a), link.patch)
        for index, text in zip(link.b, target.split("\n"), strict=True):
            b[index] = text
    return [b[index] for index in range(len(b))]
