"""The source audit on real multi-outlet news: ../shared/data/ecbplus-dev, one source per outlet.

Every ECB+ document is ingested as a plain-text article with its outlet (the host of its URL line;
"unknown" for ECB documents, which carry none) as source, in one batch; then the claim index is built
and ``provdiff audit`` runs. Printed: the time of each step, the number of sources in the audit, and
the audit's Markdown tables for the ten sources with the most claims.

Run: ``.venv/bin/python -m benchmarks.eval_audit_ecbplus [--data PATH]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.ecbplus import DEFAULT_DATA, ingest, load


def _run(*args: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(args, check=True, capture_output=True, text=True)
    return time.perf_counter() - start, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    provdiff = str(Path(sys.executable).parent / "provdiff")
    documents = load(args.data)
    with tempfile.TemporaryDirectory() as scratch:
        start = time.perf_counter()
        corpus = str(ingest(documents, Path(scratch)))
        ingest_time = time.perf_counter() - start
        index, _ = _run(provdiff, "reindex", "--corpus", corpus)
        audit, document = _run(provdiff, "audit", "--corpus", corpus, "-f", "json")
        _, markdown = _run(provdiff, "audit", "--corpus", corpus, "-f", "markdown")
    rows = json.loads(document)["sources"]
    outlets = {doc.outlet for doc in documents}
    print(f"cores: {os.cpu_count()}  documents: {len(documents)}  outlets: {len(outlets)}")
    print(f"ingest {ingest_time:.1f} s  index build {index:.1f} s  audit (index up to date) {audit:.1f} s")
    print(f"audit rows: {len(rows)} (every outlet present: {sorted(outlets) == [r['source'] for r in rows]})")
    top = sorted(rows, key=lambda r: -r["claims"])[:10]
    print("top sources by claims:")
    for row in top:
        rates = row["rates"]
        print(
            f"  {row['source']:<28} articles {row['articles']:>3}  claims {row['claims']:>4}  "
            f"corroborated {rates['corroboration'] or 0:.2f}  exclusive {rates['exclusivity'] or 0:.2f}  "
            f"copied paragraphs {row['copied_paragraphs']}"
        )
    print(f"\nMarkdown output: {len(markdown.splitlines())} lines")


if __name__ == "__main__":
    main()
