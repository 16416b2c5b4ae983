"""Matching one article as the claim index grows: how much work per article, and where it goes.

The claims issue asks that time per article stay flat as the corpus grows, and that one match take
at most 10 ms at 100k articles. The end-to-end figures (``benchmarks.bench_scale``) need a git
corpus and hours at 100k; this isolates the matcher. A generated corpus (``benchmarks.synth_corpus``)
is replayed, oldest first, into ``index.memory.MemoryIndex`` (what a rebuild fills, matched by the
same ``cluster.matcher.match_claims`` as ingest), without git. At each checkpoint the same 100
held-out articles are matched against it, counting what each match asks the index for. The checkpoints are
prefixes of one corpus generated for the largest size (its stories are sized to it), so compare rows
of runs with the same largest size.

Printed per checkpoint: ms per article indexed since the previous checkpoint, ms per match (p50 /
p95), and per match the candidate claims verified, the candidate articles, the *witness* articles
(with a reworded link or a pair the overlaps rule has still to score, which the story check must
weigh) and how many of those it kept. The last column divides each checkpoint's p50 by the
first's, measured in the same run: flat is 1.

With ``--sqlite`` the largest index is then written to SQLite as a rebuild writes it and the
held-out articles are matched through that file too: a fresh connection per article, then one
connection's first and second pass, then a *running* connection: one that has matched 300 indexed
articles first, as ``watch`` or a batch ingest has matched others before the next. Each pass but
the second starts with the per-text caches emptied (``benchmarks.text_caches``): the held-out
articles are new text to ingest, not to the benchmark. The first pass pays for a connection new to
the file: SQLite's page cache and the memory map fill as it reads, and on this machine a
file-backed page fault of the map costs ~23 us (a first pass at 100k took ~500 page faults per
match, the second pass 2).
Before commit b8c71e3 they were not, so every checkpoint after the first and the SQLite passes
timed them with their own sentences cached (they are matched at every checkpoint). At 30k the
SQLite first pass took 12.4 ms p50 that way (machine idle), and 30.6-34.4 ms in a process new to
the held-out articles (another job on the second core).

With ``--keep FILE`` the SQLite file is written there and kept, and a later run given the same
file and the same largest size skips the replay (half an hour and 10 GB at 100k) and only matches
through it: a change to the matching code can then be timed at 100k in minutes, alternating with
the code before it on the same file. A change to what the index stores needs a new file.

Run: ``.venv/bin/python -m benchmarks.bench_match_growth [--sizes 1000 3000 10000] [--sqlite]
[--keep FILE]``
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.synth_corpus import generate
from benchmarks.text_caches import forget_texts
from provdiff import api
from provdiff.cluster import extract_claims
from provdiff.cluster.matcher import WITNESSES, Stored, match_claims
from provdiff.index import FILE_NAME, Index
from provdiff.index.memory import MemoryIndex
from provdiff.model import Article, ClaimLink, Revision, RevisionKind

HELD_OUT = 100
WARM_UP = 300  # indexed articles a running connection has matched before the held-out ones


class _Counting(MemoryIndex):
    """The in-memory index, counting what matching asks of it since the last ``reset``."""

    def __init__(self) -> None:
        super().__init__()
        self.reset()

    def reset(self) -> None:
        self.candidates = 0  # claims fetched for verification
        self.candidate_articles: set[str] = set()
        self.witnesses = 0  # ``stories`` is read for witness articles only

    def claims_by_id(self, ids: Sequence[int]) -> dict[int, Stored]:
        found = super().claims_by_id(ids)
        self.candidates += len(found)
        self.candidate_articles.update(stored.claim.article_id for stored in found.values())
        return found

    def stories(self, article_ids: Sequence[str]) -> list[bytes]:
        self.witnesses += len(article_ids)
        return super().stories(article_ids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000])
    parser.add_argument(
        "--sqlite", action="store_true", help="then write the largest index to SQLite and match through it"
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="write the largest index's SQLite file here and keep it; if it exists, only match through it",
    )
    args = parser.parse_args()
    sizes = sorted(set(args.sizes))
    synth = generate(sizes[-1] + HELD_OUT)
    if args.keep is not None and args.keep.exists():
        with Index(args.keep) as stored:
            if stored.article_count() != sizes[-1]:
                parser.error(f"{args.keep} indexes {stored.article_count():,} articles, not {sizes[-1]:,}")
        warm_up, held = (
            [synth.article(number) for number in numbers]
            for numbers in (range(sizes[-1] - WARM_UP, sizes[-1]), range(sizes[-1], sizes[-1] + HELD_OUT))
        )
        del synth  # see ``_matching_alone``
        _matching_alone()
        _through_sqlite(args.keep, None, held, warm_up)
        return
    articles = [synth.article(number) for number in range(len(synth.articles))]
    del synth
    corpus, held = articles[: sizes[-1]], articles[sizes[-1] :]
    index = _Counting()
    print(
        f"{'articles':>9} {'ms/indexed':>10} {'match p50':>9} {'p95 ms':>7} {'candidates':>10} "
        f"{'cand. art.':>10} {'witnesses':>9} {'kept':>5} {'p50 / first':>11}"
    )
    first_p50 = None
    done = 0
    step = api.freezing(None)  # the heap freezes as a rebuild's does
    for size in sizes:
        start = time.perf_counter()
        for article in corpus[done:size]:
            when = article.meta.published or ""
            revision = Revision(article.article_id, 1, "", when, RevisionKind.FIRST)
            index.add_revision(article, revision, when, [])
            step(1)
        indexed_ms = (time.perf_counter() - start) / (size - done) * 1000
        done = size
        gc.freeze()
        latencies, candidates, candidate_articles, witnesses, kept = [], [], [], [], []
        forget_texts()
        for article in held:
            claims = extract_claims(article, 1, article.meta.published or "")
            index.reset()
            began = time.perf_counter()
            links = match_claims(index, claims, index.options)
            latencies.append(time.perf_counter() - began)
            candidates.append(index.candidates)
            candidate_articles.append(len(index.candidate_articles))
            witnesses.append(index.witnesses)
            kept.append(len({link.a.article_id for link in links if link.relation in WITNESSES}))
        p50, p95 = _p50_p95(latencies)
        first_p50 = first_p50 or p50
        print(
            f"{size:>9,} {indexed_ms:>10.1f} {p50:>9.1f} {p95:>7.1f} {statistics.mean(candidates):>10.1f} "
            f"{statistics.mean(candidate_articles):>10.1f} {statistics.mean(witnesses):>9.1f} "
            f"{statistics.mean(kept):>5.2f} {p50 / first_p50:>10.2f}x",
            flush=True,
        )

    if args.sqlite or args.keep is not None:
        with tempfile.TemporaryDirectory() as folder:
            path = args.keep or Path(folder) / FILE_NAME
            written = _write_sqlite(index, path)
            # an ingest's process holds no replayed index (10 GB at 100k): matched beside it, a
            # match paid for the memory traffic of a process ten times its real size
            warm_up = corpus[-WARM_UP:]
            del index, articles, corpus
            gc.unfreeze()
            _matching_alone()
            _through_sqlite(path, written, held, warm_up)


def _matching_alone() -> None:
    """Free what generating and replaying the corpus left, before matching through SQLite: an
    ingest or a watcher holds none of the corpus's articles. Holding them all (100k ``Article``
    objects, as this script did before), a first pass over the held-out articles through the
    100k file took p50 / p95 6.7-7.5 / 9.1-13.5 ms, and without them 5.9-6.3 / 7.8-8.3 ms (two
    alternated runs of a scratch script)."""
    gc.collect()


def _p50_p95(seconds: list[float]) -> tuple[float, float]:
    """Median and 95th percentile in ms (of 100: the 96th fastest)."""
    return statistics.median(seconds) * 1000, sorted(seconds)[int(0.95 * len(seconds))] * 1000


def _write_sqlite(memory: MemoryIndex, path: Path) -> float:
    """Write the replayed index to SQLite at ``path`` (``Index.load``, as a rebuild does); seconds."""
    start = time.perf_counter()
    with Index(path) as stored:
        stored.reset()
        stored.load(memory)
    return time.perf_counter() - start


def _through_sqlite(path: Path, written: float | None, held: list[Article], warm_up: list[Article]) -> None:
    """Match the held-out articles through the SQLite index at ``path`` (written in ``written``
    seconds, None for a kept file): the file ingest matches against, without the git corpus and the hours
    ``benchmarks.bench_scale`` needs at 100k. Timed three ways: a fresh connection per article
    (one ``ingest`` command), then one connection's first and second pass over the 100, then a
    connection that matched the ``warm_up`` articles first (a running ingest)."""
    cold = []
    forget_texts()
    for article in held:
        began = time.perf_counter()
        with Index(path) as fresh:
            fresh.match(article, article.meta.published or "")
        cold.append(time.perf_counter() - began)
    passes: list[list[float]] = []
    digest = hashlib.sha256()
    forget_texts()
    with Index(path) as running:
        for _ in range(2):
            latencies = []
            for article in held:
                began = time.perf_counter()
                links = running.match(article, article.meta.published or "")
                latencies.append(time.perf_counter() - began)
                if len(passes) == 0:
                    digest.update(repr(sorted(map(_link_key, links))).encode())
            passes.append(latencies)
    with Index(path) as running:
        for article in warm_up:
            running.match(article, article.meta.published or "")
        forget_texts()
        latencies = []
        for article in held:
            began = time.perf_counter()
            running.match(article, article.meta.published or "")
            latencies.append(time.perf_counter() - began)
        passes.append(latencies)
    size_mb = path.stat().st_size / 1e6
    shown = ", ".join(
        "{} p50 {:.1f} / p95 {:.1f} ms".format(name, *_p50_p95(times))
        for name, times in (
            ("fresh connection", cold),
            ("first pass", passes[0]),
            ("second pass", passes[1]),
            ("running", passes[2]),
        )
    )
    origin = "kept file" if written is None else f"written in {written:.0f} s"
    print(f"SQLite ({size_mb:,.0f} MB, {origin}): {shown}; links {digest.hexdigest()[:12]}", flush=True)


def _link_key(link: ClaimLink) -> tuple[str, str, str, float, str]:
    """What a link says, for the digest that shows two versions of the matcher link alike."""
    return (link.a.claim_id, link.b.claim_id, link.relation.value, link.score, link.conflict)


if __name__ == "__main__":
    main()
