"""Corpus-wide claim grouping at scale, against planted truth and a naive all-pairs baseline.

For each corpus size a generated corpus (``benchmarks.synth_corpus``: ~15 paragraphs per article,
planted verbatim copies, edited copies and changed figures, the rest unique claims) is grouped by the
bulk copy path (``provdiff.cluster.shingles``) in a child process, so that its time and peak memory
are its own. Printed per size: time (hashing, candidates and verification), time per 1,000
articles, peak memory of the engine's processes (summed PSS sampled every 0.1 s, ``benchmarks.memory``,
and the ``ru_maxrss`` upper bound beside it), pair recall (all planted pairs; verbatim
pairs alone) and pair precision of the resulting groups, and the p50/p95 latency of matching one new
article against the grouped corpus. The baseline compares every sentence pair of a sample of
articles (rapidfuzz ``cdist``, both cores) and is extrapolated quadratically to each size.

Run: ``.venv/bin/python -m benchmarks.bench_grouping [--sizes 1000 10000 100000] [--workers 2]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from benchmarks import synth_corpus
from benchmarks.memory import PeakMemory
from benchmarks.synth_corpus import SynthCorpus, generate

CACHE = Path(__file__).resolve().parents[1] / "build" / "bench-cache"
HELD_OUT = 100  # articles generated after the corpus, matched one by one for latency


def _corpus(size: int) -> tuple[Path, Path]:
    """Files of the generated corpus of ``size`` articles (plus the held-out ones): its articles and
    its truth apart, so the engine's process loads the articles only. Cached on disk."""
    version = hashlib.sha256(Path(synth_corpus.__file__).read_bytes()).hexdigest()[:8]  # a changed generator
    articles = CACHE / f"synth-{size}-{version}.articles.pickle"
    truth = CACHE / f"synth-{size}-{version}.truth.pickle"
    if not articles.exists() or not truth.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        synth = generate(size + HELD_OUT)
        articles.write_bytes(pickle.dumps(synth.articles, protocol=pickle.HIGHEST_PROTOCOL))
        truth.write_bytes(pickle.dumps(synth, protocol=pickle.HIGHEST_PROTOCOL))
    return articles, truth


def _engine(path: Path, size: int, workers: int, out: Path) -> None:
    """Child process: group the corpus, time it, match the held-out articles, write the links."""
    from provdiff.cluster.shingles import Corpus, Document

    articles: list[tuple[str, str, str, tuple[str, ...]]] = pickle.loads(path.read_bytes())
    documents = [Document(a, 1, s, w, p) for a, s, w, p in articles]
    corpus_docs, held = documents[:size], documents[size:]
    del articles
    with PeakMemory(interval=0.1) as peak:
        start = time.perf_counter()
        corpus = Corpus(corpus_docs, workers=workers)
        hashed = time.perf_counter()
        links = corpus.links()
        done = time.perf_counter()
    latencies = []
    for document in held:
        began = time.perf_counter()
        corpus.match(document)
        latencies.append(time.perf_counter() - began)
    index = {doc.article_id: k for k, doc in enumerate(corpus_docs)}
    rows = [
        (
            index[x.a.article_id],
            x.a.paragraph,
            x.a.sentence,
            index[x.b.article_id],
            x.b.paragraph,
            x.b.sentence,
        )
        for x in links
    ]
    np.save(out, np.array(rows, dtype=np.int64).reshape(-1, 6))
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    report = {
        "hash_s": hashed - start,
        "links_s": done - hashed,
        "links": len(links),
        "relations": Counter(x.relation.value for x in links),
        # the parent's peak plus one worker's per extra worker: an upper bound (forked workers
        # share the parent's pages, which each one's resident size counts again)
        "peak_mb": (own + children * max(0, workers - 1)) / 1024,
        "pss_mb": peak.mb,
        "match_p50_ms": statistics.median(latencies) * 1000,
        "match_p95_ms": float(np.percentile(latencies, 95)) * 1000,
    }
    print(json.dumps(report))


def _score(synth: SynthCorpus, size: int, links: np.ndarray) -> dict[str, float]:
    """Pair recall (all, verbatim) and pair precision of the groups the links make."""
    parent: dict[tuple[int, int, int], tuple[int, int, int]] = {}

    def root(node: tuple[int, int, int]) -> tuple[int, int, int]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for row in links.tolist():
        left, right = root((row[0], row[1], row[2])), root((row[3], row[4], row[5]))
        if left != right:
            parent[max(left, right)] = min(left, right)
    members: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    texts: dict[tuple[int, int, int], str] = {}
    for a, article in enumerate(synth.truth[:size]):
        for p, paragraph in enumerate(article):
            for s, claim in enumerate(paragraph):
                members[claim.family].append((a, p, s))
    for family in members.values():
        if len(family) > 1:
            for a, p, s in family:
                texts[a, p, s] = synth.articles[a][3][p]
    from provdiff.segment import sentences

    truth_pairs = verbatim_pairs = found_all = found_verbatim = 0
    for family in members.values():
        if len(family) < 2:
            continue
        words = [sentences(texts[node])[node[2]] for node in family]
        for i in range(len(family)):
            for j in range(i + 1, len(family)):
                if family[i][0] == family[j][0]:
                    continue  # one article restating its own claim is not a cross-article pair
                same = root(family[i]) == root(family[j])
                truth_pairs += 1
                found_all += same
                if words[i] == words[j]:
                    verbatim_pairs += 1
                    found_verbatim += same
    family_of = {node: f for f, nodes in members.items() for node in nodes}
    groups: dict[tuple[int, int, int], list[tuple[int, int, int]]] = defaultdict(list)
    for node in list(parent):
        groups[root(node)].append(node)
    predicted = correct = 0
    for group in groups.values():
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                if group[i][0] == group[j][0]:
                    continue
                predicted += 1
                correct += family_of[group[i]] == family_of[group[j]]
    return {
        "recall": found_all / truth_pairs if truth_pairs else 1.0,
        "verbatim_recall": found_verbatim / verbatim_pairs if verbatim_pairs else 1.0,
        "precision": correct / predicted if predicted else 1.0,
        "truth_pairs": truth_pairs,
    }


def _baseline(synth: SynthCorpus, sample: int, workers: int) -> float:
    """Seconds to compare every sentence pair of ``sample`` articles (the naive method)."""
    from rapidfuzz import fuzz, process

    from provdiff.segment import sentences

    claims = [
        " ".join(s.lower().split()) for a in synth.articles[:sample] for p in a[3] for s in sentences(p)
    ]
    start = time.perf_counter()
    process.cdist(claims, claims, scorer=fuzz.ratio, score_cutoff=80, dtype=np.uint8, workers=workers)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--baseline-sample", type=int, default=300)
    parser.add_argument(
        "--engine", nargs=4, metavar=("PATH", "SIZE", "WORKERS", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.engine:
        path, size, workers, out = args.engine
        _engine(Path(path), int(size), int(workers), Path(out))
        return
    print(f"cores: {os.cpu_count()}  workers: {args.workers}")
    baseline_time = None
    print(
        f"{'articles':>9} {'claims':>10} {'time s':>7} {'s/1k art':>8} {'PSS MB':>7} {'RSS ub':>7} "
        f"{'recall':>7} {'verb. rec':>9} {'precision':>9} {'match p50':>9} {'p95 ms':>7} "
        f"{'all-pairs est.':>15}"
    )
    for size in args.sizes:
        path, truth = _corpus(size)
        synth: SynthCorpus = pickle.loads(truth.read_bytes())
        if baseline_time is None:
            baseline_time = _baseline(synth, min(args.baseline_sample, size), args.workers)
            sample_claims = sum(len(p) for a in synth.truth[: args.baseline_sample] for p in a)
        out = CACHE / f"links-{size}.npy"
        child = subprocess.run(
            [
                sys.executable,
                "-m",
                "benchmarks.bench_grouping",
                "--engine",
                str(path),
                str(size),
                str(args.workers),
                str(out),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        report = json.loads(child.stdout)
        scores = _score(synth, size, np.load(out))
        claims = sum(len(p) for a in synth.truth[:size] for p in a)
        total = report["hash_s"] + report["links_s"]
        naive = baseline_time * (claims / sample_claims) ** 2
        print(
            f"{size:>9,} {claims:>10,} {total:>7.1f} {total / size * 1000:>8.2f} {report['pss_mb']:>7.0f} "
            f"{report['peak_mb']:>7.0f} "
            f"{scores['recall']:>7.4f} {scores['verbatim_recall']:>9.4f} {scores['precision']:>9.4f} "
            f"{report['match_p50_ms']:>9.2f} {report['match_p95_ms']:>7.2f} {naive:>13.0f} s"
        )
        print(
            f"{'':>9} hashing {report['hash_s']:.1f} s, candidates+verification {report['links_s']:.1f} s; "
            f"links {report['links']:,} {dict(report['relations'])}; "
            f"planted pairs {scores['truth_pairs']:,}; all-pairs / provdiff time: {naive / total:,.0f}x"
        )


if __name__ == "__main__":
    main()
