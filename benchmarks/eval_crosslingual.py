"""Cross-lingual "same claim": the relation on ``tests/fixtures/crosslingual.tsv``, beside the
sentence encoder's cosine alone at a threshold chosen by leave-one-sentence-out cross-validation.

The fixture (written for provdiff) holds 12 English news sentences about one summit, each with its
Korean, Japanese, Chinese and German translation (48 pairs that state the same claim), and 56
same-topic pairs that do not: each translation beside the next English sentence, and hard cases
that share a figure or a wording with another subject (Korea's 15% tariff beside Japan's). The
cosine baseline's threshold is chosen on the pairs of the 11 other base sentences and applied to
the held-out one's, so a base sentence is never both fitted and scored.

Run: ``.venv/bin/python -m benchmarks.eval_crosslingual``
"""

from __future__ import annotations

import csv
from pathlib import Path

from provdiff.claims import meaning
from provdiff.claims.relation import judge_texts

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "crosslingual.tsv"


def _scores(found: list[bool], gold: list[bool]) -> tuple[float, float]:
    right = sum(f and g for f, g in zip(found, gold, strict=True))
    return right / max(1, sum(found)), right / max(1, sum(gold))


def main() -> None:
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    gold = [row["same"] == "1" for row in rows]
    base = [row["id"].split("-")[1] for row in rows]  # the English sentence a translation renders
    relation = [judge_texts(row["a"], row["b"]).same for row in rows]
    cosine = [meaning.similarity(row["a"], row["b"]) for row in rows]
    held: list[bool] = []
    for i, sentence in enumerate(base):
        train = [(c, g) for c, g, b in zip(cosine, gold, base, strict=True) if b != sentence]
        cut = max(
            sorted({c for c, _ in train}),
            key=lambda t: sum((c >= t) == g for c, g in train),
        )
        held.append(cosine[i] >= cut)
    print(f"pairs: {len(rows)} ({sum(gold)} the same claim), languages: {sorted({r['lang'] for r in rows})}")
    for name, found in (("relation", relation), ("cosine, threshold cross-validated", held)):
        precision, recall = _scores(found, gold)
        print(f"{name:<36} precision {precision:.3f}  recall {recall:.3f}")
    for lang in sorted({row["lang"] for row in rows}):
        pos = [c for c, g, r in zip(cosine, gold, rows, strict=True) if g and r["lang"] == lang]
        neg = [c for c, g, r in zip(cosine, gold, rows, strict=True) if not g and r["lang"] == lang]
        print(
            f"{lang}: cosine of translations {min(pos):.3f}..{max(pos):.3f}, "
            f"of others {min(neg):.3f}..{max(neg):.3f}"
        )


if __name__ == "__main__":
    main()
