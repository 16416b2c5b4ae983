"""The claim relation over a whole generated corpus in one batch, beside the bulk copy engine on the
same corpus in the same run.

For each size a generated corpus (``benchmarks.synth_corpus``: ~15 paragraphs per article, planted
verbatim copies, edited copies and changed figures) is related by ``provdiff.claims.batch.relate``
(features, candidates, judgements, cohesive groups: what ``reindex`` and the first ``claims`` after
an ingest compute) and grouped by the copy engine (``provdiff.cluster.shingles``, both cores), each
in a child process of its own, so that its time and peak memory (``ru_maxrss``) are its own. The
figure is the ratio of the two times; the pair recall and precision of the relation's groups against
the planted truth are printed beside it. The relation runs twice: with semantic evidence (the
default) and with ``--lexical``; ``sem/lex`` is the ratio of their times, and ``encoded`` the share
of distinct claim texts the sentence encoder read (the pairs the lexical model was unsure of).

Run: ``.venv/bin/python -m benchmarks.bench_relate [--sizes 1000 10000]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.bench_grouping import _corpus
from benchmarks.synth_corpus import SynthCorpus


def _child(which: str, path: Path, size: int, out: Path) -> None:
    """Relate (or copy-group) the first ``size`` articles; write seconds, candidates and groups."""
    import pickle

    from provdiff.claims.batch import extract_claims, relate
    from provdiff.cluster.engine import LocalEngine
    from provdiff.cluster.shingles import Corpus, Document
    from provdiff.model import Article, Format, Metadata

    articles: list[tuple[str, str, str, tuple[str, ...]]] = pickle.loads(path.read_bytes())[:size]
    from provdiff.claims import meaning
    from provdiff.claims.options import EVIDENCE

    if which == "lexical":
        os.environ[EVIDENCE] = "lexical"
    start = time.perf_counter()
    texts = 0
    if which in ("relate", "lexical"):
        claims = [
            claim
            for article_id, source, when, paragraphs in articles
            for claim in extract_claims(
                Article(article_id, Metadata(source=source, published=when), Format.TEXT, paragraphs), 1, when
            )
        ]
        found = relate(claims)
        texts = len({claim.text for claim in claims})
        groups = [[c.claim_id for c in (*cluster.claims, *cluster.also)] for cluster in found.clusters]
        links = len(found.links)
    else:
        documents = [Document(a, 1, s, w, p) for a, s, w, p in articles]
        copies = Corpus(documents, engine=LocalEngine(os.cpu_count() or 1)).links()
        groups, links = [], len(copies)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.write_text(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak,
                "links": links,
                "groups": groups,
                "encoded": meaning.encoded(),
                "texts": texts,
            }
        )
    )


def _run(which: str, path: Path, size: int, out: Path) -> dict[str, object]:
    subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_relate", "--child", which, str(path), str(size), str(out)],
        check=True,
    )
    result: dict[str, object] = json.loads(out.read_text())
    return result


def _scores(groups: list[list[str]], synth: SynthCorpus, size: int) -> tuple[float, float]:
    """Pair recall and precision of the groups against the planted families (claim ids parsed)."""
    family = {}
    for a in range(size):
        article_id = synth.articles[a][0]
        for p, sentences in enumerate(synth.truth[a]):
            for s, claim in enumerate(sentences):
                family[f"{article_id}@1#p{p + 1}s{s + 1}"] = claim.family
    members: dict[int, list[str]] = defaultdict(list)
    for claim_id, fam in family.items():
        members[fam].append(claim_id)
    truth = sum(len(m) * (len(m) - 1) // 2 for m in members.values())
    found = correct = 0
    together: set[tuple[str, str]] = set()
    for group in groups:
        for i, x in enumerate(group):
            for y in group[i + 1 :]:
                found += 1
                same = family.get(x) == family.get(y) and x in family
                correct += same
                if same:
                    together.add((min(x, y), max(x, y)))
    return (len(together) / truth if truth else 1.0), (correct / found if found else 1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        which, path, size, out = args.child
        _child(which, Path(path), int(size), Path(out))
        return
    import pickle

    print(f"cores: {os.cpu_count()}")
    columns = ("articles", "relate s", "MB", "lexical s", "MB", "copies s", "MB", "ratio", "sem/lex")
    widths = (9, 9, 6, 9, 6, 9, 6, 6, 7)
    print(" ".join(f"{name:>{width}}" for name, width in zip(columns, widths, strict=True)), end="")
    print("  encoded  recall   prec. lex.rec lex.prec")
    for size in args.sizes:
        articles, truth = _corpus(size)
        synth: SynthCorpus = pickle.loads(truth.read_bytes())
        out = articles.with_suffix(".out.json")
        related = _run("relate", articles, size, out)
        lexical = _run("lexical", articles, size, out)
        copies = _run("copies", articles, size, out)
        recall, precision = _scores(related["groups"], synth, size)  # type: ignore[arg-type]
        lex_recall, lex_precision = _scores(lexical["groups"], synth, size)  # type: ignore[arg-type]
        seconds = float(related["seconds"])  # type: ignore[arg-type]
        ratio = seconds / float(copies["seconds"])  # type: ignore[arg-type]
        semantic_cost = seconds / float(lexical["seconds"])  # type: ignore[arg-type]
        share = int(related["encoded"]) / max(1, int(related["texts"]))  # type: ignore[call-overload]
        print(
            f"{size:>9,} {seconds:>9.1f} {related['peak_mb']:>6.0f} {lexical['seconds']:>9.1f} "
            f"{lexical['peak_mb']:>6.0f} {copies['seconds']:>9.1f} {copies['peak_mb']:>6.0f} {ratio:>5.2f}x "
            f"{semantic_cost:>6.2f}x {share:>7.1%} {recall:>7.4f} {precision:>7.4f} {lex_recall:>7.4f} "
            f"{lex_precision:>7.4f}"
        )


if __name__ == "__main__":
    main()
