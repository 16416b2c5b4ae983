"""Ingest throughput: 1,000 new articles in one batch, then 1,000 revisions of them.

Baseline, in the same run on the same files: plain ``git add -A && git commit`` of the raw files into
an empty repository. provdiff runs as the installed command (``provdiff ingest DIR``), so both sides
pay their process start-up. Prints articles/second for each and the ratio (target: provdiff within 3x).

Run: ``.venv/bin/python -m benchmarks.bench_ingest [--articles N]``
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synth import article, revise

_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def _timed(*commands: list[str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    for command in commands:
        subprocess.run(command, cwd=cwd, check=True, env=_ENV, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _write(folder: Path, texts: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number, text in enumerate(texts):
        (folder / f"a{number:05d}.txt").write_text(text, encoding="utf-8")


def _plain_git(repo: Path, files: Path) -> float:
    shutil.copytree(files, repo, dirs_exist_ok=True)
    return _timed(
        ["git", "add", "-A"],
        ["git", "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-q", "-m", "batch"],
        cwd=repo,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    provdiff = str(Path(sys.executable).parent / "provdiff")
    rng = random.Random(7)
    originals = [article(rng) for _ in range(args.articles)]
    revised = [revise(rng, text) for text in originals]
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        _write(root / "v1", originals)
        _write(root / "v2", revised)
        repo = root / "plain"
        subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True, env=_ENV)
        git_first = _plain_git(repo, root / "v1")
        git_second = _plain_git(repo, root / "v2")
        corpus = root / "corpus"
        subprocess.run([provdiff, "init", str(corpus)], check=True, env=_ENV, stdout=subprocess.DEVNULL)
        ours_first = _timed(
            [provdiff, "ingest", "--corpus", str(corpus), "--source", "bench", str(root / "v1")]
        )
        # the revisions must be ingested under the same article ids: same file names, same source
        shutil.rmtree(root / "v1")
        (root / "v2").rename(root / "v1")
        ours_second = _timed(
            [provdiff, "ingest", "--corpus", str(corpus), "--source", "bench", str(root / "v1")]
        )
        commits = subprocess.run(
            ["git", "-C", str(corpus), "rev-list", "--count", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    n = args.articles
    print(f"cores: {os.cpu_count()}  articles: {n}  corpus commits: {commits} (init + 2 batches)")
    print(f"{'step':<28}{'plain git art/s':>16}{'provdiff art/s':>16}{'provdiff/git time':>19}")
    for label, base, ours in (
        ("first ingest (new)", git_first, ours_first),
        ("second ingest (revisions)", git_second, ours_second),
    ):
        print(f"{label:<28}{n / base:>16.0f}{n / ours:>16.0f}{ours / base:>18.2f}x")
    worst = max(ours_first / git_first, ours_second / git_second)
    print(f"target: within 3x of plain git -> {'met' if worst <= 3 else 'NOT met'} (worst {worst:.2f}x)")


if __name__ == "__main__":
    main()
