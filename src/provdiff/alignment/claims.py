"""Claim similarity for reworded text: shared terms that are rare in both documents.

Across sources the same claim is rarely worded alike: the "$350 billion" claim of two seed articles
scores 44-54 on rapidfuzz's ``token_set_ratio`` while unrelated sentence pairs score about 53. What
carries over is a figure, a name, or a word that each document uses in one place only ("flexibility",
"troops"). Like patience diff's unique lines, a term found in exactly one unit of each document is an
anchor that ties those two units together; a term found in many units ties nothing.

Each shared term adds ``1 / (df_A * df_B)`` (its document frequencies in the two documents; figures
count double, and adjacent word pairs count as terms too), and the evidence ``E`` maps to a 0..1 score
``1 - exp(-E / 2)``: two anchors give 0.63, one gives 0.39.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from provdiff.segment import figures, plain

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_STOP = frozenset(
    (
        "a an the and or but if then so of to in on at by for with from as into onto about over under "
        "between through during before after above below up down out off again further once here there "
        "when where why how all any both each few more most other some such only own same than too very "
        "can will just should now is are was were be been being have has had having do does did doing "
        "i me my we our you your he him his she her it its they them their what which who whom this that "
        "these those am would could may might must shall also said says say according while because "
        "until against among per via like new one two first last year years week time"
    ).split()
)
_FIGURE_WEIGHT = 2.0  # a shared figure is stronger evidence than a shared rare word
_EVIDENCE_SCALE = 2.0  # evidence at which the score reaches 1 - 1/e
_POSSESSIVE = re.compile(r"['’]s\b")


@lru_cache(maxsize=1 << 17)
def _stem(word: str) -> str:
    """Lower case, plural -s and -ies off. Cached: a corpus repeats a small vocabulary, and
    stemming was an eighth of the time of matching one article (cProfile, 3,000 articles)."""
    word = word.lower()
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def content_words(text: str) -> list[str]:
    """Stemmed words of three letters or more that are not stopwords or bare numbers, in order:
    what says what a whole article is about (story grouping).

    >>> content_words("Lee's visit to the U.S. shipyards, 2025")
    ['lee', 'visit', 'shipyard']
    """
    flat = _POSSESSIVE.sub("", plain(text))
    return [
        _stem(w) for w in _WORD.findall(flat) if len(w) > 2 and w.lower() not in _STOP and not w.isdigit()
    ]


class ClaimScorer:
    """Scores pairs of units from two documents by their shared rare terms."""

    def __init__(self, a: Sequence[str], b: Sequence[str]) -> None:
        self.a_terms = [term_set(text) for text in a]
        self.b_terms = [term_set(text) for text in b]
        self.df_a: Counter[str] = Counter(t for unit in self.a_terms for t in unit)
        self.df_b: Counter[str] = Counter(t for unit in self.b_terms for t in unit)

    def evidence(self, i: int, j: int) -> float:
        """Sum over shared terms of ``weight / (df_A * df_B)``."""
        shared = self.a_terms[i] & self.b_terms[j]
        return sum(
            (_FIGURE_WEIGHT if t.startswith("#") else 1.0) / (self.df_a[t] * self.df_b[t]) for t in shared
        )

    def score(self, i: int, j: int) -> float:
        """0..1 from the evidence (see the module docstring)."""
        return 1.0 - math.exp(-self.evidence(i, j) / _EVIDENCE_SCALE)


@lru_cache(maxsize=1 << 16)
def term_set(text: str) -> frozenset[str]:
    """Content terms and adjacent content-word pairs of a text, in one set (cached: every stage
    asks again).

    Content terms are stemmed non-stopwords and figure tokens (years and small counts left out: they
    are not claims); the pairs (``a_b``) join adjacent content words.

    >>> sorted(t for t in term_set("Seoul pledged $350B in investments.") if "_" not in t)
    ['#USD350000000000', 'investment', 'pledged', 'seoul']
    """
    flat, tokens, stems = _tokens(text)
    words = [
        stem
        for token, stem in zip(tokens, stems, strict=True)
        if not token[0].isdecimal() and len(token) > 1 and token.lower() not in _STOP
    ]
    return frozenset((*words, *_figure_terms(flat), *(f"{x}_{y}" for x, y in pairwise(words))))


def _figure_terms(flat: str) -> set[str]:
    """The figure terms of ``term_set``: amounts, percents and counts of 100 or more, years left out."""
    return {
        f"#{f.token}" for f in figures(flat) if f.unit or (f.value >= 100 and not 1900 <= f.value <= 2100)
    }


def is_measure(term: str) -> bool:
    """A figure term with a unit (``#USD350000000000``, ``#15%``), not a bare count such as ``#100``,
    which unrelated sentences share by chance ("100 or 200 protesters", "100,000 pounds of cheese")."""
    return term.startswith("#") and not term[1:].replace(".", "").replace("-", "").isdigit()


@lru_cache(maxsize=1 << 12)
def measure_terms(text: str) -> frozenset[str]:
    """The measures (``is_measure``) among a text's terms, without the rest of ``term_set``:
    matching asks them of candidates that share little wording with a new claim holding one.

    >>> sorted(measure_terms("Seoul pledged $350B, or 15% of it, to 300 yards."))
    ['#15%', '#USD350000000000']
    """
    return frozenset(t for t in _figure_terms(_POSSESSIVE.sub("", plain(text))) if is_measure(t))


@lru_cache(maxsize=1 << 16)
def wording(text: str) -> frozenset[str]:
    """Every word (stemmed, stopwords too) and every number of a text: what a restatement repeats.

    Unlike ``term_set`` this keeps function words and small numbers. Weighted by their rarity they
    decide whether two claims say the same thing or merely share a fact (``cluster.verify``).

    >>> sorted(wording("The tariffs rose to 15% in 2025."))
    ['15', '2025', 'in', 'rose', 'tariff', 'the', 'to']
    """
    return frozenset(_tokens(text)[2])


_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+(?:[.,]\d+)*")  # a word (``_WORD``) or a number


@lru_cache(maxsize=1 << 12)
def _tokens(text: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """(flat text, its words and numbers, their stems): what ``term_set`` and ``wording`` are
    made of, from one pass of one pattern. Matching a new article asks both of each of its claims,
    and a pass of each pattern was a quarter of that article's own text work; a candidate claim
    is asked only its ``wording``, so each keeps its own cache. The words are the tokens that do
    not start with a decimal digit (what ``\\d`` matches): a number never ends inside a word, so
    they are what ``_WORD`` finds."""
    flat = _POSSESSIVE.sub("", plain(text))
    tokens = tuple(_TOKEN.findall(flat))
    return flat, tokens, tuple(map(_stem, tokens))
