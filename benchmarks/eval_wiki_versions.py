"""Evaluation of the diff engine on real revision histories: ../shared/data/wiki-versions-dev.

For every page, every consecutive pair of versions is aligned paragraph by paragraph. Printed:
losslessness (applying the alignment to version k rebuilds version k+1 exactly), whether byte-identical
pairs report zero changes, the count of each class, and throughput in version pairs per second.

Run: ``.venv/bin/python -m benchmarks.eval_wiki_versions [--data PATH] [--limit N]``
"""

from __future__ import annotations

import argparse
import itertools
import os
import time
from collections import Counter
from pathlib import Path

from provdiff.alignment import align, reconstruct
from provdiff.model import LinkKind
from provdiff.normalize.blocks import text_blocks

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "wiki-versions-dev"


def versions(page: Path) -> list[list[str]]:
    """The page's versions, oldest first, each cut into paragraphs."""
    files = sorted(page.glob("*.txt"), key=lambda p: int(p.stem))
    return [text_blocks(f.read_text(encoding="utf-8", errors="replace")) for f in files]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    args = parser.parse_args()
    pages = sorted(p for p in (args.data / "version_documents").iterdir() if p.is_dir())
    if args.limit:
        pages = pages[: args.limit]
    kinds: Counter[str] = Counter()
    pairs = lossless = identical = identical_clean = paragraphs = 0
    elapsed = 0.0
    for page in pages:
        history = versions(page)
        for old, new in itertools.pairwise(history):
            start = time.perf_counter()
            alignment = align(old, new)
            elapsed += time.perf_counter() - start
            pairs += 1
            paragraphs += len(old) + len(new)
            lossless += reconstruct(old, alignment.links) == new
            kinds.update(link.kind.value for link in alignment.links)
            if old == new:
                identical += 1
                identical_clean += alignment.same
    print(f"cores: {os.cpu_count()}  pages: {len(pages)}  version pairs: {pairs}  paragraphs: {paragraphs}")
    print(f"lossless reconstruction: {lossless}/{pairs} ({100 * lossless / max(pairs, 1):.1f}%)")
    print(f"identical pairs reporting zero changes: {identical_clean}/{identical}")
    print("links per class: " + ", ".join(f"{k.value} {kinds[k.value]}" for k in LinkKind))
    print(f"throughput: {pairs / elapsed:.1f} version pairs/s ({paragraphs / elapsed:.0f} paragraphs/s)")


if __name__ == "__main__":
    main()
