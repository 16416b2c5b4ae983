"""Sentence boundaries and languages on the multilingual fixtures, beside the libraries measured
for them in the same run when they are installed (Wikimedia's ``sentencex``, ``py3langid``).

For each language of ``tests/fixtures/sentences``: the boundary F1 of provdiff's splitter (ends
inside a paragraph; a paragraph's own end is free) and of ``sentencex``; then the share of
fixture sentences whose language ``segment.language.detect`` names right, wrong or not at all,
beside ``py3langid`` limited to the same languages, and each one's time per sentence.

Run: ``.venv/bin/python -m benchmarks.eval_sentences``
"""

from __future__ import annotations

import time
from collections.abc import Callable

from tests.test_languages import LANGS, boundary_f1, paragraphs

from provdiff.segment import sentences
from provdiff.segment.language import LANGUAGES, detect


def main() -> None:
    try:
        from sentencex import segment  # type: ignore[import-not-found]
    except ImportError:
        segment = None
    print(f"{'lang':<6}{'paragraphs':>11}{'provdiff F1':>13}{'sentencex F1':>14}")
    for lang in LANGS:
        ours = boundary_f1(lang, sentences)
        theirs = "-"
        if segment is not None:

            def split(text: str, code: str = lang) -> list[str]:
                return [str(piece) for piece in segment(code, text)]

            theirs = f"{boundary_f1(lang, split):.3f}"
        print(f"{lang:<6}{len(paragraphs(lang)):>11}{ours:>13.3f}{theirs:>14}")
    items = [(lang, s) for lang in LANGS for block in paragraphs(lang) for s in block]
    detectors: list[tuple[str, Callable[[str], str | None]]] = [("provdiff", detect)]
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-not-found]

        started = time.perf_counter()
        identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
        identifier.set_languages(list(LANGUAGES))
        print(f"py3langid model loaded in {time.perf_counter() - started:.2f} s")
        detectors.append(("py3langid", lambda text: str(identifier.classify(text)[0])))
    except ImportError:
        pass
    print(f"{'detector':<11}{'right':>7}{'wrong':>7}{'none':>6}{'us/sentence':>13}")
    for name, guess in detectors:
        started = time.perf_counter()
        found = [(lang, guess(text)) for lang, text in items]
        per = (time.perf_counter() - started) / len(items) * 1e6
        right = sum(lang == got for lang, got in found)
        none = sum(got is None for _, got in found)
        print(f"{name:<11}{right:>7}{len(items) - right - none:>7}{none:>6}{per:>13.1f}")


if __name__ == "__main__":
    main()
