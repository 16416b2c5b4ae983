"""``provdiff review`` over a real revision history: ../shared/data/wiki-versions-dev.

Every page's versions are ingested version by version: commit k holds version k of every page that
has one (223 pages, 3-8 versions each), so the corpus history is the pages' history. Then
``provdiff review`` runs over the whole history (first commit to head) and over each commit. Printed:
ingest time, review times, the counts of each kind of claim change, the exit codes, and a sample of
the Markdown output.

Run: ``.venv/bin/python -m benchmarks.eval_review_wiki [--data PATH] [--limit N]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "wiki-versions-dev"


def _run(*args: str, ok: tuple[int, ...] = (0,)) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return time.perf_counter() - start, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    args = parser.parse_args()
    provdiff = str(Path(sys.executable).parent / "provdiff")
    pages = sorted(p for p in (args.data / "version_documents").iterdir() if p.is_dir())
    if args.limit:
        pages = pages[: args.limit]
    depth = max(len(list(page.glob("*.txt"))) for page in pages)
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        corpus = str(root / "corpus")
        _run(provdiff, "init", corpus)
        ingest_time = 0.0
        for version in range(depth):
            batch = root / f"v{version}"
            batch.mkdir()
            for page in pages:
                source = page / f"{version}.txt"
                if source.exists():
                    text = source.read_text(encoding="utf-8", errors="replace")
                    (batch / f"{page.name[:60]}.txt").write_text(f"{page.name}\n\n{text}", encoding="utf-8")
            took, _ = _run(provdiff, "ingest", "--corpus", corpus, "--source", "wikipedia", str(batch))
            ingest_time += took
        first = _run("git", "-C", corpus, "rev-list", "--max-parents=0", "HEAD")[1].stdout.strip()
        whole, result = _run(
            provdiff, "review", f"{first}..HEAD", "--corpus", corpus, "-f", "json", ok=(0, 1)
        )
        if not result.stdout.strip():
            raise SystemExit(f"review printed nothing (exit {result.returncode}): {result.stderr[-2000:]}")
        document = json.loads(result.stdout)
        _, markdown = _run(
            provdiff, "review", "HEAD~1..HEAD", "--corpus", corpus, "-f", "markdown", ok=(0, 1)
        )
        per_commit = []
        codes: Counter[int] = Counter()
        for k in range(1, depth):
            took, step = _run(provdiff, "review", f"HEAD~{k}..HEAD~{k - 1}", "--corpus", corpus, ok=(0, 1))
            per_commit.append(took)
            codes[step.returncode] += 1
    kinds = Counter(c["kind"] for a in document["articles"] for c in a["changes"])
    print(f"cores: {os.cpu_count()}  pages: {len(pages)}  commits: {depth} (one per version number)")
    print(f"ingest, all versions: {ingest_time:.1f} s")
    print(
        f"review of the whole history: {whole:.1f} s, {len(document['articles'])} articles, "
        f"substantive: {document['substantive']}; claim changes {dict(kinds)}"
    )
    median = sorted(per_commit)[len(per_commit) // 2]
    print(f"review of each commit: {len(per_commit)} ranges, median {median:.1f} s, exit codes {dict(codes)}")
    print("\nsample (review HEAD~1..HEAD, Markdown, first 25 lines):")
    print("\n".join(markdown.stdout.splitlines()[:25]))


if __name__ == "__main__":
    main()
