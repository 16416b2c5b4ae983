"""Cross-lingual "same claim": the relation on ``tests/fixtures/crosslingual.tsv``, beside the
sentence encoder's cosine alone at a threshold chosen by leave-one-sentence-out cross-validation.

The fixture (written for provdiff) holds 12 English news sentences about one summit, each with its
Korean, Japanese, Chinese and German translation (48 pairs that state the same claim), and 56
same-topic pairs that do not: each translation beside the next English sentence, and hard cases
that share a figure or a wording with another subject (Korea's 15% tariff beside Japan's). The
cosine baseline's threshold is chosen on the pairs of the 11 other base sentences and applied to
the held-out one's, so a base sentence is never both fitted and scored.

Run: ``.venv/bin/python -m benchmarks.eval_crosslingual [--write]`` (``--write`` stores the
threshold chosen on all pairs as ``across`` in ``restatement.json``, which the relation reads).
"""

from __future__ import annotations

import argparse
import csv
import json
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

from benchmarks.fit_relation import MODEL_FILE
from provdiff.claims import meaning, restatement
from provdiff.claims.options import RelationOptions
from provdiff.claims.relation import judge_texts

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "crosslingual.tsv"


def _scores(found: list[bool], gold: list[bool]) -> tuple[float, float]:
    right = sum(f and g for f, g in zip(found, gold, strict=True))
    return right / max(1, sum(found)), right / max(1, sum(gold))


def threshold(pairs: list[tuple[float, bool]]) -> float:
    """The cosine cut that gets most ``(cosine, same)`` pairs right: the midpoint between the two
    neighbouring cosines it falls between, the lowest of equally good ones."""
    values = sorted({c for c, _ in pairs})
    cuts = [(x + y) / 2 for x, y in pairwise(values)] or values
    return max(cuts, key=lambda t: (sum((c >= t) == g for c, g in pairs), -t))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--write", action="store_true", help="write the threshold of all pairs into restatement.json"
    )
    args = parser.parse_args()
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    gold = [row["same"] == "1" for row in rows]
    base = [row["id"].split("-")[1] for row in rows]  # the English sentence a translation renders
    cosine = [meaning.similarity(row["a"], row["b"]) for row in rows]
    shipped = restatement.coefficients()
    lexical_only = replace(RelationOptions(), model=replace(shipped, across=None))
    before = [judge_texts(row["a"], row["b"], lexical_only).same for row in rows]
    held, relation = [], []
    for i, sentence in enumerate(base):
        cut = threshold([(c, g) for c, g, b in zip(cosine, gold, base, strict=True) if b != sentence])
        held.append(cosine[i] >= cut)
        options = replace(RelationOptions(), model=replace(shipped, across=cut))
        relation.append(judge_texts(rows[i]["a"], rows[i]["b"], options).same)
    print(f"pairs: {len(rows)} ({sum(gold)} the same claim), languages: {sorted({r['lang'] for r in rows})}")
    print("held out: each base sentence's pairs judged with the threshold of the other eleven's")
    for name, found in (
        ("relation without the cross-lingual cut", before),
        ("cosine alone", held),
        ("relation", relation),
    ):
        precision, recall = _scores(found, gold)
        print(f"{name:<40} precision {precision:.3f}  recall {recall:.3f}")
    for lang in sorted({row["lang"] for row in rows}):
        pos = [c for c, g, r in zip(cosine, gold, rows, strict=True) if g and r["lang"] == lang]
        neg = [c for c, g, r in zip(cosine, gold, rows, strict=True) if not g and r["lang"] == lang]
        print(
            f"{lang}: cosine of translations {min(pos):.3f}..{max(pos):.3f}, "
            f"of others {min(neg):.3f}..{max(neg):.3f}"
        )
    cut = round(threshold(list(zip(cosine, gold, strict=True))), 4)
    print(f"threshold on all pairs: {cut} (shipped: {shipped.across})")
    if args.write:
        body = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
        body["across"] = cut
        MODEL_FILE.write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_FILE}")


if __name__ == "__main__":
    main()
