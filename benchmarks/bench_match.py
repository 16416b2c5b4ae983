"""A claim lookup (``provdiff match``) against corpora of growing size: latency of one sentence.

For each size a generated corpus (``benchmarks.synth_corpus``) is ingested and indexed through the
installed ``provdiff`` command; the sentences of articles generated with it but held out of it
(which restate some of its claims, as a new article does) are then looked up one at a time:

* in process, on one open index (as a service would run it): p50 and p95 of ``api.match`` with the
  semantic evidence and with ``--lexical``, beside the baseline of the same run, a verbatim lookup
  of the same sentence (``Index.same_key``: one indexed read, what ``blame`` does per sentence);
  the first lookup, which loads the sentence encoder, is timed apart;
* as a command (``provdiff match TEXT``, fresh process: imports, corpus, index, the encoder when
  asked for), median of five, beside ``provdiff --version`` of the same run.

Run: ``.venv/bin/python -m benchmarks.bench_match [--sizes 1000 10000]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.bench_scale import _ENV, _PROVDIFF, write_jsonl
from benchmarks.synth_corpus import generate
from provdiff import api
from provdiff.claims.lookup import match_text
from provdiff.claims.options import RelationOptions
from provdiff.segment import match_key, sentences

_HELD_OUT = 20  # articles whose sentences are looked up


def _quantiles(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def _command(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([_PROVDIFF, *args], env=_ENV, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def measure(size: int, scratch: Path) -> None:
    generated = generate(size + _HELD_OUT)
    corpus = scratch / f"corpus-{size}"
    subprocess.run([_PROVDIFF, "init", str(corpus)], env=_ENV, check=True, stdout=subprocess.DEVNULL)
    batch = scratch / f"articles-{size}.jsonl"
    write_jsonl(batch, generated, range(size))
    subprocess.run(
        [_PROVDIFF, "ingest", "--corpus", str(corpus), "--format", "jsonl", str(batch)],
        env=_ENV,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    started = time.perf_counter()
    subprocess.run(
        [_PROVDIFF, "reindex", "--corpus", str(corpus)], env=_ENV, check=True, stdout=subprocess.DEVNULL
    )
    built = time.perf_counter() - started
    queries = [
        s for a in range(size, size + _HELD_OUT) for p in generated.articles[a][3] for s in sentences(p)
    ]
    lexical = RelationOptions(semantic=False)
    with api.open_claims_index(api.open_corpus(corpus, corpus), postings=True) as index:
        started = time.perf_counter()
        api.match(index, queries[0])
        first = time.perf_counter() - started
        timed: dict[str, list[float]] = {"verbatim lookup (baseline)": [], "match": [], "match --lexical": []}
        found = 0
        for text in queries:
            started = time.perf_counter()
            index.same_key(match_key(text))
            timed["verbatim lookup (baseline)"].append(time.perf_counter() - started)
            started = time.perf_counter()
            [result] = api.match(index, text)
            timed["match"].append(time.perf_counter() - started)
            found += bool(result.matches)
            started = time.perf_counter()
            match_text(index, text, lexical)
            timed["match --lexical"].append(time.perf_counter() - started)
        claims = index.current_claim_count()
    base = _quantiles(timed["verbatim lookup (baseline)"])
    print(
        f"\n{size:,} articles ({claims:,} claims; reindex {built:.1f} s), {len(queries)} sentences looked up,"
        f" {found} with a match; first lookup (loads the encoder) {first * 1000:.0f} ms"
    )
    print(f"  {'in process':<28}{'p50 ms':>9}{'p95 ms':>9}{'p95 / baseline':>16}")
    for name, times in timed.items():
        p50, p95 = _quantiles(times)
        print(f"  {name:<28}{p50 * 1000:>9.2f}{p95 * 1000:>9.2f}{p95 / base[1]:>15.1f}x")
    version = statistics.median(_command("--version") for _ in range(5))
    sentence = queries[1]
    command = statistics.median(_command("match", "--corpus", str(corpus), sentence) for _ in range(5))
    lexical_command = statistics.median(
        _command("--lexical", "match", "--corpus", str(corpus), sentence) for _ in range(5)
    )
    print(
        f"  command: provdiff match {command * 1000:.0f} ms, --lexical {lexical_command * 1000:.0f} ms, "
        f"provdiff --version {version * 1000:.0f} ms (baseline): "
        f"{command / version:.1f}x, {lexical_command / version:.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        for size in args.sizes:
            measure(size, Path(scratch))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
