"""Ingest cost as the corpus grows: batches of new articles into one corpus, time and memory per batch.

Each batch is ``--batch`` new synthetic articles ingested by the installed command into the same
corpus, so the k-th batch meets a corpus of (k-1) x batch articles. Printed per batch: seconds, ms per
article, the peak resident memory of the ingest process, and at the end the ratio of the last
batch's per-article time to the first's (flat cost: close to 1). The baseline of that ratio is the
first batch, measured in the same run.

Run: ``.venv/bin/python -m benchmarks.bench_ingest_growth [--batches 10] [--batch 1000]``
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synth import article

_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    provdiff = str(Path(sys.executable).parent / "provdiff")
    rng = random.Random(5)
    per_article = []
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        corpus = root / "corpus"
        subprocess.run([provdiff, "init", str(corpus)], check=True, env=_ENV, stdout=subprocess.DEVNULL)
        print(f"cores: {os.cpu_count()}  batch: {args.batch} new articles")
        print(f"{'batch':>5} {'corpus before':>14} {'seconds':>8} {'ms/article':>11} {'peak MB':>8}")
        for number in range(args.batches):
            folder = root / "batch"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            for k in range(args.batch):
                (folder / f"b{number:03d}-{k:05d}.txt").write_text(article(rng), encoding="utf-8")
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            start = time.perf_counter()
            subprocess.run(
                [provdiff, "ingest", "--corpus", str(corpus), "--source", "bench", str(folder)],
                check=True,
                env=_ENV,
                stdout=subprocess.DEVNULL,
            )
            took = time.perf_counter() - start
            peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
            per_article.append(took / args.batch * 1000)
            size = number * args.batch
            print(f"{number + 1:>5} {size:>14,} {took:>8.2f} {per_article[-1]:>11.2f} {peak:>8.0f}")
    print(f"last / first batch per-article time: {per_article[-1] / per_article[0]:.2f} (flat = 1.00)")
    if len(per_article) > 2:
        # the first batch meets an empty corpus (nothing to look up): the second is the fair start
        print(f"last / second batch: {per_article[-1] / per_article[1]:.2f}")


if __name__ == "__main__":
    main()
