"""How often claim links join articles of different events, on real multi-outlet news (ECB+).

ECB+ groups its documents by topic, and each topic by two events (``ecb`` and ``ecbplus`` files).
Claims of documents about different topics are never one claim, so a link between them is certainly
false; a link within one event is very likely true (the same fact told by two outlets). The share of
links that cross topics is therefore a floor on each relation's false-link rate on real news, where
the generated corpus of ``benchmarks.bench_scale`` can only say how the matcher does on planted text.

Every document is ingested as in ``benchmarks.eval_audit_ecbplus``, the claim index built, and each
link counted as within one event, across the two events of one topic, or across topics.

Run: ``.venv/bin/python -m benchmarks.eval_links_ecbplus [--data PATH]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from benchmarks.ecbplus import DEFAULT_DATA, ingest, load
from provdiff import api


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    documents = load(args.data)
    story = {doc.name: doc.story for doc in documents}
    provdiff = str(Path(sys.executable).parent / "provdiff")
    with tempfile.TemporaryDirectory() as scratch:
        corpus = ingest(documents, Path(scratch))
        listing = subprocess.run(
            [provdiff, "list", "--corpus", str(corpus), "-f", "json"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        event = {row["id"]: story[row["native_id"]] for row in json.loads(listing)["articles"]}
        with api.open_claims_index(api.open_corpus(corpus, corpus)) as index:
            links = index.links()
    counts: Counter[tuple[str, str]] = Counter()
    for link in links:
        a, b = event[link.a.article_id], event[link.b.article_id]
        where = "event" if a == b else "topic" if a.split("/")[0] == b.split("/")[0] else "across"
        counts[link.relation.value, where] += 1
    print(f"documents: {len(documents)}  links: {len(links)}")
    print("| relation | links | within one event | other event, same topic | across topics (false) |")
    print("|---|---|---|---|---|")
    for relation in sorted({r for r, _ in counts}):
        row = [counts[relation, where] for where in ("event", "topic", "across")]
        total = sum(row)
        print(f"| {relation} | {total} | {row[0]} | {row[1]} | {row[2]} ({row[2] / total:.1%}) |")


if __name__ == "__main__":
    main()
