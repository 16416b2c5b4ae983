"""Rebuilding the claim index: in memory then loaded in bulk, against one revision at a time in SQLite.

For each size a generated corpus (``benchmarks.synth_corpus``, planted copies and figure changes) is
ingested by the installed command, then its whole history is indexed twice, each in a child
process of its own: by ``api.rebuild_index`` (replayed into ``index.memory.MemoryIndex``, written
in bulk: what ``reindex`` does now) and, as the baseline, by ``api.replay_revisions`` into SQLite,
one transaction per revision (what ``reindex`` did before, and what ingest still does for a small
batch). Printed: seconds, ms per revision, peak memory (summed PSS), the ratio, and whether the two
index files hold the same rows in every table (they must).

Run: ``.venv/bin/python -m benchmarks.bench_rebuild [--sizes 1000 3000]``
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.bench_scale import _ENV, _PROVDIFF, write_jsonl
from benchmarks.memory import PeakMemory
from benchmarks.synth_corpus import generate
from provdiff import api
from provdiff.index import Index, table_rows
from provdiff.store import Corpus


def _build(corpus: Path, target: Path, bulk: bool) -> None:
    store = Corpus(corpus)
    with Index(target) as index:
        index.reset()
        with index.transaction():
            if bulk:
                api.rebuild_index(store, index)
            else:
                api.replay_revisions(store, index, store.timeline(None))


def timed(corpus: Path, target: Path, *, bulk: bool) -> tuple[float, float]:
    """Seconds and peak MB of one build, in a forked child (its memory is its own)."""
    child = multiprocessing.get_context("fork").Process(target=_build, args=(corpus, target, bulk))
    with PeakMemory(children=True) as peak:
        start = time.perf_counter()
        child.start()
        child.join()
        took = time.perf_counter() - start
    if child.exitcode != 0:
        raise SystemExit(f"the {'bulk' if bulk else 'one-by-one'} build failed")
    return took, peak.mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000])
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}")
    print(f"{'articles':>8} {'build':<12} {'seconds':>8} {'ms/rev':>7} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        for size in args.sizes:
            corpus = scratch / f"corpus-{size}"
            subprocess.run([_PROVDIFF, "init", str(corpus)], env=_ENV, check=True, stdout=subprocess.DEVNULL)
            batch = scratch / f"articles-{size}.jsonl"
            write_jsonl(batch, generate(size), range(size))
            subprocess.run(
                [_PROVDIFF, "ingest", "--corpus", str(corpus), "--format", "jsonl", str(batch)],
                env=_ENV,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            revisions = len(Corpus(corpus).timeline(None))
            bulk_file, one_file = scratch / f"bulk-{size}.sqlite", scratch / f"one-{size}.sqlite"
            bulk = timed(corpus, bulk_file, bulk=True)
            one = timed(corpus, one_file, bulk=False)
            for name, (seconds, mb) in (("in memory", bulk), ("one by one", one)):
                print(f"{size:>8,} {name:<12} {seconds:>8.1f} {seconds / revisions * 1000:>7.1f} {mb:>8.0f}")
            same = table_rows(bulk_file) == table_rows(one_file)
            ratio = one[0] / bulk[0]
            print(f"{size:>8,} one by one / in memory: {ratio:.2f}x; same rows in every table: {same}")


if __name__ == "__main__":
    main()
