"""Start-up: how long each command waits before doing its work, against a bare interpreter.

Issue target: ``provdiff --help``, ``provdiff list`` on a small corpus and git's textconv and diff
drivers start within 100 ms of ``python -c pass`` on the same machine. Each is run as a fresh
process (the installed console script), ``--repeat`` times interleaved with the baseline so both
see the same load; medians are printed with the difference and the ratio. ``git log -p -1`` on
the sample corpus (its textconv runs once per article file) is printed beside ``--no-textconv``.

Run: ``.venv/bin/python -m benchmarks.bench_startup [--repeat 15]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = str(Path(sys.executable).parent / "provdiff")


def _time(command: Sequence[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        env = {**os.environ, "GIT_PAGER": "cat"}
        subprocess.run([SCRIPT, "init", str(corpus)], check=True, capture_output=True)
        subprocess.run(
            [SCRIPT, "ingest", "--corpus", str(corpus), str(ROOT / "corpus")], check=True, capture_output=True
        )
        text = str(next(corpus.glob("articles/*/*/text.md")))
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "provdiff --help": [SCRIPT, "--help"],
            "provdiff --version": [SCRIPT, "--version"],
            "provdiff list": [SCRIPT, "list"],
            "provdiff git-textconv": [SCRIPT, "git-textconv", text],
            "provdiff git-diff": [SCRIPT, "git-diff", "a/text.md", os.devnull, "0", "0", text, "1", "100644"],
            "git log -p -1": ["git", "--no-pager", "log", "-p", "-1"],
            "git log -p -1 --no-textconv": ["git", "--no-pager", "log", "-p", "-1", "--no-textconv"],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, command in commands.items():
                times[name].append(
                    _time(command, corpus) if "git log" not in name else _git(command, corpus, env)
                )
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians["python -c pass"]
    print(f"start-up, median of {args.repeat} fresh processes, interleaved")
    print(f"  baseline: python -c pass {base * 1000:.0f} ms")
    for name, value in medians.items():
        if not name.startswith("git log"):
            above = (value - base) * 1000
            print(f"  {name:28} {value * 1000:6.0f} ms  {above:+6.0f} ms above  {value / base:5.1f}x")
    with_textconv, plain = medians["git log -p -1"], medians["git log -p -1 --no-textconv"]
    print(
        f"  git log -p -1, sample corpus: {with_textconv * 1000:.0f} ms textconv, {plain * 1000:.0f} ms none"
    )


def _git(command: Sequence[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
