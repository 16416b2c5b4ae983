"""The corpus commands at growing corpus sizes: ingest, claim index, claims, audit, review, diff.

For each size a generated corpus (``benchmarks.synth_corpus``: ~15 paragraphs per article, planted
verbatim copies, edited copies and changed figures, the truth of every sentence known) is written as
one JSON Lines file and driven through the installed ``provdiff`` command in a fresh corpus:

* ``ingest`` of the whole file (one batch, one commit);
* ``list -f json`` (every article's metadata, read from git);
* ``reindex``: the SQLite claim index built from git, which ``claims``, ``audit`` and ``review`` use;
* ``claims -f json``: pair recall (all planted pairs; verbatim pairs alone) and pair precision of the
  claim groups against the planted truth. Unlike ``benchmarks.bench_grouping`` (copies only), these
  groups include reworded and overlapping links, so precision here measures the whole matcher;
* ``ingest`` of one article generated with the corpus but held out of it (the command, which adds
  its claims to the index), then ``claims --status conflict``, which relates the corpus again;
* ``audit -f json``;
* ``review``: 1% of the articles revised (their first amount changed), ingested as
  one commit, then ``review HEAD~1..HEAD -f json``: recall and precision of the revised articles
  among those it reports with changed figures;
* ``diff`` of a planted pair of articles (median of five runs).

Printed per size and step: seconds, per 1,000 articles, and peak memory of the command (summed PSS
of its process tree, ``benchmarks.memory``, and its anonymous part: PSS also counts the pages of
git's pack files that git maps and reads, which the kernel can drop). How time grows is printed as
the ratio of each step's per-article time at each size to the smallest size's, measured in the
same run (flat cost: close to 1).

Run: ``.venv/bin/python -m benchmarks.bench_scale [--sizes 1000 10000]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from benchmarks.memory import PeakMemory
from benchmarks.synth_corpus import SynthCorpus, generate

_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
_PROVDIFF = str(Path(sys.executable).parent / "provdiff")
_CLAIM = re.compile(r"^(?P<article>.+)@\d+#p(?P<p>\d+)s(?P<s>\d+)$")
_AMOUNT = re.compile(r"\$(\d[\d,]*)")
Step = tuple[float, float, float]  # seconds, peak PSS MB, its anonymous part
_HELD_OUT = 1  # generated with the corpus, ingested after the rest as one new article


def run(*args: str, ok: tuple[int, ...] = (0,)) -> tuple[Step, str]:
    """Run ``provdiff ARGS``; its time, peak memory and standard output. Any exit status not in ``ok``
    stops the benchmark: a failed step must not be timed as a fast one."""
    with PeakMemory(children=True, commands_only=True) as peak:
        start = time.perf_counter()
        done = subprocess.run([_PROVDIFF, *args], env=_ENV, capture_output=True, text=True, check=False)
        took = time.perf_counter() - start
    if done.returncode not in ok:
        raise SystemExit(f"provdiff {' '.join(args)} failed: {done.stderr.strip()}")
    # as it goes: a 100k run takes an hour and a half, and a run stopped half-way still tells
    print(
        f"  {args[0]}: {took:.1f} s, {peak.mb:.0f} MB ({peak.anon_mb:.0f} anonymous)",
        file=sys.stderr,
        flush=True,
    )
    return (took, peak.mb, peak.anon_mb), done.stdout


def write_jsonl(path: Path, synth: SynthCorpus, chosen: range | list[int], revise: bool = False) -> None:
    with path.open("w", encoding="utf-8") as out:
        for a in chosen:
            native, source, when, paragraphs = synth.articles[a]
            texts = list(paragraphs)
            if revise:  # the first amount of the article, raised by 7
                at = next(k for k, text in enumerate(texts) if _AMOUNT.search(text))
                texts[at] = _AMOUNT.sub(
                    lambda m: f"${int(m.group(1).replace(',', '')) + 7:,}", texts[at], count=1
                )
            record = {
                "id": native,
                "title": native,
                "source": source,
                "date": when,
                "text": "\n\n".join(texts),
            }
            out.write(json.dumps(record) + "\n")


def read_groups(path: Path) -> Iterator[dict[str, Any]]:
    """The groups of a ``claims -f json`` file, one per line between the head and the closing line."""
    with path.open(encoding="utf-8") as lines:
        next(lines)  # schema, thresholds, the opening of the list
        for line in lines:
            if line.startswith("]}"):
                return
            yield json.loads(line.rstrip().removesuffix(","))


def pair_scores(
    groups: Iterable[dict[str, Any]], synth: SynthCorpus, index: dict[str, int]
) -> dict[str, float]:
    """Pair recall (all, verbatim) and precision of claim groups against the planted families."""
    family: dict[tuple[int, int, int], int] = {}
    for a, article in enumerate(synth.truth):
        for p, paragraph in enumerate(article):
            for s, claim in enumerate(paragraph):
                family[a, p, s] = claim.family
    group_of: dict[tuple[int, int, int], int] = {}
    found = correct = 0
    for number, group in enumerate(groups):
        nodes = []
        for claim in group["claims"]:
            match = _CLAIM.match(claim["id"])
            if match and match["article"] in index:
                node = (index[match["article"]], int(match["p"]) - 1, int(match["s"]) - 1)  # ids count from 1
                group_of[node] = number
                nodes.append(node)
        for i, x in enumerate(nodes):
            for y in nodes[i + 1 :]:
                if x[0] != y[0]:
                    found += 1
                    correct += family.get(x) == family.get(y) is not None
    members: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for node, fam in family.items():
        members[fam].append(node)
    truth = recalled = verbatim = verbatim_recalled = 0
    for nodes in members.values():
        for i, x in enumerate(nodes):
            for y in nodes[i + 1 :]:
                if x[0] == y[0]:
                    continue
                same = x in group_of and group_of.get(x) == group_of.get(y)
                truth += 1
                recalled += same
                plain = synth.truth[x[0]][x[1]][x[2]].kind in ("new", "verbatim") and synth.truth[y[0]][y[1]][
                    y[2]
                ].kind in ("new", "verbatim")
                verbatim += plain
                verbatim_recalled += plain and same
    return {
        "recall": recalled / truth if truth else 1.0,
        "verbatim_recall": verbatim_recalled / verbatim if verbatim else 1.0,
        "precision": correct / found if found else 1.0,
    }


def measure(size: int, scratch: Path) -> dict[str, object]:
    generated = generate(size + _HELD_OUT)
    synth = generated.first(size)
    corpus = scratch / f"corpus-{size}"
    subprocess.run([_PROVDIFF, "init", str(corpus)], env=_ENV, check=True, stdout=subprocess.DEVNULL)
    batch = scratch / f"articles-{size}.jsonl"
    write_jsonl(batch, synth, range(size))
    steps: dict[str, Step] = {}
    # one file of the whole batch (68 MB at 10k articles): it streams, the input limit is per record
    steps["ingest"], _ = run("ingest", "--corpus", str(corpus), "--format", "jsonl", str(batch))
    steps["list"], listing = run("list", "--corpus", str(corpus), "-f", "json")
    number = {synth.articles[a][0]: a for a in range(size)}
    index = {row["id"]: number[row["native_id"]] for row in json.loads(listing)["articles"]}
    steps["reindex"], _ = run("reindex", "--corpus", str(corpus))
    # to a file, read a group at a time: the listing is 4 GB of JSON at 100k articles
    listing_file = scratch / f"claims-{size}.json"
    steps["claims"], _ = run("claims", "--corpus", str(corpus), "-f", "json", "-o", str(listing_file))
    scores = pair_scores(read_groups(listing_file), synth, index)
    listing_file.unlink()
    one = scratch / f"one-{size}.jsonl"
    write_jsonl(one, generated, range(size, size + 1))
    steps["ingest one article"], _ = run("ingest", "--corpus", str(corpus), "--format", "jsonl", str(one))
    steps["claims after it"], _ = run("claims", "--corpus", str(corpus), "--status", "conflict", "-f", "json")
    steps["audit"], _ = run("audit", "--corpus", str(corpus), "-f", "json")
    with_amounts = [a for a in range(size) if any(_AMOUNT.search(text) for text in synth.articles[a][3])]
    revised = sorted(random.Random(size).sample(with_amounts, max(1, size // 100)))
    changes = scratch / f"revised-{size}.jsonl"
    write_jsonl(changes, synth, revised, revise=True)
    steps["ingest revisions"], _ = run("ingest", "--corpus", str(corpus), "--format", "jsonl", str(changes))
    # review exits 1 when a change is substantive
    steps["review"], review = run("review", "--corpus", str(corpus), "HEAD~1..HEAD", "-f", "json", ok=(0, 1))
    reported = {
        index[entry["id"]]
        for entry in json.loads(review)["articles"]
        if any(change["kind"] == "figures" for change in entry["changes"])
    }
    hits = len(reported & set(revised))
    by_number = {a: article_id for article_id, a in index.items()}
    copied = next(a for a in range(1, size) if any(c.kind == "verbatim" for p in synth.truth[a] for c in p))
    origin = next(a for a in range(copied) if synth.articles[a][1] != synth.articles[copied][1])
    diffs = []
    for _ in range(5):
        # like diff(1), exit 1 means the two differ
        step, _ = run("diff", "--corpus", str(corpus), by_number[origin], by_number[copied], ok=(0, 1))
        diffs.append(step)
    steps["diff"] = (
        statistics.median(d[0] for d in diffs),
        max(d[1] for d in diffs),
        max(d[2] for d in diffs),
    )
    return {
        "steps": steps,
        "claims": synth.sentences(),
        **scores,
        "review_recall": hits / len(revised) if revised else 1.0,
        "review_precision": hits / len(reported) if reported else 1.0,
        "revised": len(revised),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}")
    first: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            result = measure(size, Path(folder))
            steps: dict[str, Step] = result["steps"]  # type: ignore[assignment]
            print(
                f"\n{size:,} articles, {result['claims']:,} claims: groups recall {result['recall']:.4f} "
                f"(verbatim {result['verbatim_recall']:.4f}) precision {result['precision']:.4f}; review of "
                f"{result['revised']} revised articles: recall {result['review_recall']:.3f} "
                f"precision {result['review_precision']:.3f}"
            )
            print(f"{'step':<17} {'seconds':>8} {'s/1k art':>9} {'peak MB':>8} {'anon MB':>8} {'growth':>7}")
            for name, (seconds, mb, anon) in steps.items():
                per = seconds / size * 1000 if name != "diff" else seconds
                first.setdefault(name, per)
                growth = per / first[name]
                print(f"{name:<17} {seconds:>8.2f} {per:>9.2f} {mb:>8.0f} {anon:>8.0f} {growth:>6.2f}x")


if __name__ == "__main__":
    main()
