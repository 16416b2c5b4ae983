"""Diff speed: two 200-paragraph versions, the cascade against plain difflib in the same run.

Baseline: what a difflib user writes: ``SequenceMatcher(autojunk=False)`` over the paragraphs, then a
word-level ``SequenceMatcher`` for each pair of lines inside its ``replace`` blocks. It cannot see moves:
a moved paragraph is a delete plus an insert. provdiff's cascade runs on the same paragraphs.

Prints the median time of each over repeated runs, the ratio (target: under 10x), and the moves each
one reports.

Run: ``.venv/bin/python -m benchmarks.bench_diff [--paragraphs N] [--repeat N]``
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from difflib import SequenceMatcher

from benchmarks.synth import sentence
from benchmarks.text_caches import forget_texts
from provdiff.alignment import align
from provdiff.model import LinkKind


def versions(rng: random.Random, count: int) -> tuple[list[str], list[str], int]:
    """A document and a revision: 10% edited, 5 moved, 3 added, 3 deleted. Returns the moves planted."""
    old = [" ".join(sentence(rng) for _ in range(rng.randint(2, 4))) for _ in range(count)]
    new = list(old)
    for k in rng.sample(range(count), count // 10):
        words = new[k].split(" ")
        words[rng.randrange(len(words))] = "revised"
        new[k] = " ".join(words)
    moved = 5
    for _ in range(moved):
        new.insert(rng.randrange(len(new)), new.pop(rng.randrange(len(new))))
    for _ in range(3):
        new.insert(rng.randrange(len(new)), sentence(rng))
        new.pop(rng.randrange(len(new)))
    return old, new, moved


def difflib_baseline(old: list[str], new: list[str]) -> int:
    """Paragraph opcodes plus word diffs inside replace blocks; returns the number of opcodes."""
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    ops = matcher.get_opcodes()
    for tag, i1, i2, j1, j2 in ops:
        if tag == "replace":
            for left, right in zip(old[i1:i2], new[j1:j2], strict=False):
                SequenceMatcher(None, left.split(), right.split(), autojunk=False).get_opcodes()
    return len(ops)


def median_time(function: object, *args: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        forget_texts()
        start = time.perf_counter()
        function(*args)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    old, new, planted = versions(random.Random(11), args.paragraphs)
    base = median_time(difflib_baseline, old, new, repeat=args.repeat)
    ours = median_time(align, old, new, repeat=args.repeat)
    links = align(old, new).links
    moves = sum(link.kind in (LinkKind.MOVED, LinkKind.MOVED_EDITED) for link in links)
    print(f"cores: {os.cpu_count()}  paragraphs: {len(old)} -> {len(new)}  runs: {args.repeat} (median)")
    print(f"difflib baseline: {base * 1000:.1f} ms, moves found: 0 (a move is a delete + an insert)")
    print(f"provdiff cascade: {ours * 1000:.1f} ms, moves found: {moves} (planted: {planted})")
    ratio = ours / base
    print(f"ratio: {ratio:.2f}x difflib -> target under 10x {'met' if ratio < 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
