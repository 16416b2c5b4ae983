"""Stage ``segment``: paragraphs into sentences (claims), text into tokens, figures into one form.

Everything here is pure and lossless where it cuts text: sentences are spans of their paragraph, and
tokens joined give back the text, so the aligner can promise exact reconstruction.

Figures are normalized because the same claim is written many ways ("$350B", "$350 billion",
"350 billion dollars"; "15 percent", "15%"), and because a changed figure must read as an edit of the
same claim, not as one claim deleted and another added.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

# Abbreviations after which a period does not end a sentence (compared lower-case, without the dot).
_ABBREVIATIONS = frozenset(
    (
        "mr mrs ms dr prof rev st jr sr sen rep gov gen lt col maj capt sgt adm cmdr pres supt insp "
        "inc corp co ltd llc plc dept univ assn bros no nos vol fig approx est vs "
        "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun "
        "ave blvd rd mt ft"
    ).split()
)
# A sentence ends at . ! ? (closing quotes/brackets may follow), then space, then an opening quote,
# bracket, capital letter or digit.
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?= +[\"'“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?]*[\"'”’)\]]*$")
_ACRONYM = re.compile(r"(?:[A-Za-z]\.){2,}$|^[A-Z]$")

# A word or a punctuation mark with the whitespace after it: half as many tokens as splitting the
# spaces off, which halves the work of every word diff, and a change never starts inside a space.
_TOKEN = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")
_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "\u00a0": " ",
    }
)

_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "mln": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "bln": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "t": 1e12,
}
_CURRENCIES = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₩": "KRW"}
_CURRENCY_WORDS = {
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "pounds": "GBP",
    "yen": "JPY",
    "won": "KRW",
}
_DIGIT = re.compile(r"\d")
# Where a figure can start: a currency sign or a digit. Scanning for this character set first is
# several times faster than trying the full pattern at every position.
_FIGURE_START = re.compile(r"[\d$€£¥₩]")
_FIGURE = re.compile(
    r"(?P<cur>US\$|\$|€|£|¥|₩)?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|mln|bln|bn|mn|tn|[kmbt])\b)?"
    r"(?:\s?(?P<pct>%|per\s?cent\b|percent\b|pct\b))?"
    r"(?:\s(?P<curword>dollars?|euros?|pounds|yen|won)\b)?",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Figure:
    """A number found in text, with its unit (``USD``, ``%``, ``""`` for a count) and where it stands."""

    value: float
    unit: str
    start: int
    end: int

    @property
    def token(self) -> str:
        """Canonical form: equal for "$350B" and "$350 billion".

        >>> [f.token for f in figures("$350B, $350 billion and 15 percent")]
        ['USD350000000000', 'USD350000000000', '15%']
        """
        number = f"{self.value:.6f}".rstrip("0").rstrip(".")
        return f"{number}%" if self.unit == "%" else f"{self.unit}{number}"


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; the gaps between spans are the spaces that separated them.

    >>> p = "The U.S. and Lee Jae-Myung met. Sen. Jim Risch (R-ID) spoke on $350B. He left!"
    >>> [p[s:e] for s, e in sentence_spans(p)]
    ['The U.S. and Lee Jae-Myung met.', 'Sen. Jim Risch (R-ID) spoke on $350B.', 'He left!']
    """
    spans = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        # The word before the mark cannot hold a space: search from the last space, not from the
        # sentence start (the regex would otherwise be retried at every position of the sentence).
        space = paragraph.rfind(" ", start, match.start())
        if paragraph[match.start()] == ".":
            word = paragraph[start if space < 0 else space + 1 : match.start()]
            if len(word) > 1 and word.isalpha():
                # most sentences end in a plain word: no acronym can match, only the list can
                if word.lower() in _ABBREVIATIONS:
                    continue
            elif _abbreviation(paragraph, start if space < 0 else space + 1, match.end()):
                continue
        end = match.end()
        spans.append((start, end))
        start = end
        while start < len(paragraph) and paragraph[start] == " ":
            start += 1
    if start < len(paragraph):
        spans.append((start, len(paragraph)))
    return spans


def _abbreviation(paragraph: str, start: int, end: int) -> bool:
    """Whether the word ending at ``end`` (a ``.``) is an abbreviation or an initial, not a sentence end."""
    before = _WORD_BEFORE.search(paragraph, start, end)
    if before is None:
        return False
    word = before.group(1).rstrip(".")
    return word.lower() in _ABBREVIATIONS or bool(_ACRONYM.search(word + ".") or _ACRONYM.search(word))


def sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph (see ``sentence_spans``)."""
    return [paragraph[s:e] for s, e in sentence_spans(paragraph)]


def tokens(text: str) -> list[str]:
    """Words and single punctuation marks, each with its trailing whitespace; lossless.

    >>> tokens(" It’s $350B. ")
    [' ', 'It', '’', 's ', '$', '350B', '. ']
    """
    return _TOKEN.findall(text)


@lru_cache(maxsize=1 << 16)
def figures(text: str) -> tuple[Figure, ...]:
    """Numbers with their scale and unit: amounts, percentages, counts (cached: the cascade asks
    for the same sentence's figures at several stages)."""
    if _DIGIT.search(text) is None:
        return ()
    found = []
    at = 0
    while (start := _FIGURE_START.search(text, at)) is not None:
        begin = start.start()
        if text.startswith("US", begin - 2) and text[begin] == "$":
            begin -= 2
        match = _FIGURE.match(text, begin)
        if match is None:  # a currency sign without a number
            at = start.end()
            continue
        at = match.end()
        raw = match.group("num").replace(",", "")
        value = float(raw)
        scale = match.group("scale")
        if scale:
            value *= _SCALES[scale.lower()]
        currency = match.group("cur")
        word = match.group("curword")
        if match.group("pct"):
            unit = "%"
        elif currency:
            unit = _CURRENCIES[currency.lower()]
        elif word:
            unit = _CURRENCY_WORDS[word.lower()]
        else:
            unit = ""
        found.append(Figure(value, unit, match.start(), match.end()))
    return tuple(found)


@lru_cache(maxsize=1 << 12)
def plain(text: str) -> str:
    """Text with typographic quotes, dashes and spaces made plain and whitespace collapsed.

    Two texts equal under ``plain`` differ only cosmetically. Cached: verifying one pair of
    claims asks for each one's plain text four times (terms, wording, match key, skeleton).
    """
    return " ".join(text.translate(_QUOTES).split())


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE = re.compile(
    rf"\b(?:(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})\.?(?:,?\s+(?P<y2>\d{{4}}))?"
    rf"|(?P<m3>{_MONTH})\s+(?P<y3>\d{{4}}))\b",
    re.I,
)


_CLOCK_WORD = re.compile(r"[^\W\d_]{3,}")
_NOT_CONTENT = {*_MONTHS, "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_NOT_CONTENT |= {name[:3] for name in _NOT_CONTENT} | {"edt", "est", "gmt", "utc", "cet", "pst", "pdt"}


@lru_cache(maxsize=1 << 16)
def states_something(text: str) -> bool:
    """True when a sentence has two words besides dates and times, so it can state a claim.

    A dateline ("Updated: July 7, 2012, 10:04 PM ET") is page furniture: two of them differ only in
    their figures, which made them figure variants (conflicts) of each other across unrelated
    articles of the ECB+ news (benchmarks/eval_links_ecbplus.py).
    """
    # the first two words decide for most sentences: matching verifies ~90 candidate claims of
    # other articles per new article, and finding every word of each was a third of verifying
    found = 0
    for match in _CLOCK_WORD.finditer(text):
        if match.group().lower() not in _NOT_CONTENT:
            found += 1
            if found == 2:
                return True
    return False


def dates(text: str) -> tuple[str, ...]:
    """Dates written in the text, normalized: ``2025-02-17``, ``--02-17`` (no year), ``2025-07``.

    >>> dates("Signed on Feb. 17, 2025, after talks on 3 March and in July 2025 (2025-02-16).")
    ('2025-02-17', '--03-03', '2025-07', '2025-02-16')
    """
    if not _DIGIT.search(text):  # every form has a day or a year; the full pattern is slow
        return ()
    found = []
    for match in _DATE.finditer(text):
        if match.group("iso"):
            found.append(match.group("iso"))
            continue
        month_name = match.group("m1") or match.group("m2") or match.group("m3")
        month = _MONTHS[month_name.lower()]
        day = match.group("d1") or match.group("d2")
        year = match.group("y1") or match.group("y2") or match.group("y3")
        if day is None:
            found.append(f"{year}-{month:02d}")
        else:
            found.append(f"{year or '-'}-{month:02d}-{int(day):02d}")
    return tuple(found)


def names(text: str) -> tuple[str, ...]:
    """Capitalized words other than a sentence's first, in order, once each: a rough name finder
    without a language model, enough to tell "Lee" from "Moon" in two versions of a claim.

    >>> names("Both leaders met Lee Jae-Myung in Seoul. They left.")
    ('Lee', 'Jae-Myung', 'Seoul')
    """
    found: dict[str, None] = {}
    for sentence in sentences(plain(text)):
        words = re.findall(r"[^\W\d_][\w'-]*", sentence)
        for word in words[1:]:
            if word[0].isupper() and len(word) > 1:
                found.setdefault(word)
    return tuple(found)


def _with_figures(text: str, render: Callable[[Figure], str]) -> str:
    """``plain`` text with each figure replaced by ``render(figure)``, whitespace collapsed."""
    flat = plain(text)
    parts, last = [], 0
    for figure in figures(flat):
        parts.append(flat[last : figure.start])
        parts.append(f" {render(figure)} ")
        last = figure.end
    parts.append(flat[last:])
    return " ".join("".join(parts).split())


@lru_cache(maxsize=1 << 16)
def match_key(text: str) -> str:
    """Exact-match key: ``plain`` text with figures in canonical form ("$350B" = "$350 billion")."""
    return _with_figures(text, lambda figure: figure.token)


@lru_cache(maxsize=1 << 16)
def skeleton(text: str) -> str:
    """Lower-case ``plain`` text with every figure replaced by ``#`` and its unit.

    Two sentences that differ only in their figures have the same skeleton, so fuzzy matching pairs
    them and the edit check then reports the changed figure.
    """
    return _with_figures(text, lambda figure: f"#{figure.unit}").lower()
